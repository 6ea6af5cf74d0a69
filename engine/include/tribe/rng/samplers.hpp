#pragma once
// Samplers on top of a Stream. Every algorithm is written out here so that the
// numbers are the same on every platform (no std::*_distribution, no libm
// functions whose results vary beyond correctly-rounded IEEE operations except
// log/exp/sqrt/cos from glibc, which are deterministic on a given platform).
#include <cmath>
#include <cstdint>
#include <numbers>

#include "tribe/rng/stream.hpp"

namespace tribe::rng {

/// Uniform on [0, 1).
inline double uniform(Stream& s) noexcept { return u01(s.next_u64()); }

/// Uniform on [a, b).
inline double uniform(Stream& s, double a, double b) noexcept { return a + (b - a) * uniform(s); }

/// true with probability p (p <= 0 never, p >= 1 always); one draw always.
inline bool bernoulli(Stream& s, double p) noexcept { return uniform(s) < p; }

/// Uniform integer in [0, n), n >= 1, unbiased (Lemire 2019, multiply-shift with rejection).
inline std::uint64_t uniform_index(Stream& s, std::uint64_t n) noexcept {
  unsigned __int128 m = static_cast<unsigned __int128>(s.next_u64()) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<unsigned __int128>(s.next_u64()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

/// Exponential with rate 1 (inversion).
inline double exponential(Stream& s) noexcept { return -std::log(u01_open_low(s.next_u64())); }

/// Geometric number of failures before the first success, success probability p in (0, 1]
/// (inversion: floor(log U / log(1 - p))). Mean (1 - p) / p.
inline std::uint64_t geometric(Stream& s, double p) noexcept {
  if (p >= 1.0) return 0;
  const double x = std::floor(std::log(u01_open_low(s.next_u64())) / std::log1p(-p));
  return x >= 9.2e18 ? UINT64_MAX : static_cast<std::uint64_t>(x);
}

/// Standard normal by the Box-Muller transform (one value per two draws; the
/// second value is discarded so that each call consumes a fixed number of draws).
inline double normal(Stream& s) noexcept {
  const double u1 = u01_open_low(s.next_u64());
  const double u2 = uniform(s);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

/// Gamma(shape, 1) by Marsaglia & Tsang (2000); shape < 1 via the boost
/// Gamma(a) = Gamma(a + 1) * U^(1/a).
inline double gamma(Stream& s, double shape) noexcept {
  double boost = 1.0;
  if (shape < 1.0) {
    boost = std::pow(u01_open_low(s.next_u64()), 1.0 / shape);
    shape += 1.0;
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x, v;
    do {
      x = normal(s);
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = u01_open_low(s.next_u64());
    const double x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2) return d * v * boost;
    if (std::log(u) < 0.5 * x2 + d * (1.0 - v + std::log(v))) return d * v * boost;
  }
}

/// Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b).
inline double beta(Stream& s, double a, double b) noexcept {
  const double x = gamma(s, a);
  const double y = gamma(s, b);
  return x / (x + y);
}

/// Beta parameterized by its mean m in (0, 1) and concentration phi > 0
/// (a = m * phi, b = (1 - m) * phi; variance m (1 - m) / (phi + 1)).
/// The degenerate means 0 and 1 return exactly 0 and 1 (no draws).
inline double beta_mean_concentration(Stream& s, double m, double phi) noexcept {
  if (m <= 0.0) return 0.0;
  if (m >= 1.0) return 1.0;
  return beta(s, m * phi, (1.0 - m) * phi);
}

}  // namespace tribe::rng

#pragma once
// Samplers on top of a Stream. Every algorithm is written out here so that the
// numbers are the same on every platform (no std::*_distribution, no libm
// functions whose results vary beyond correctly-rounded IEEE operations except
// log/exp/sqrt/cos from glibc, which are deterministic on a given platform).
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>

#include "tribe/rng/stream.hpp"

namespace tribe::rng {

/// Uniform on [0, 1).
inline double uniform(Stream& s) noexcept { return u01(s.next_u64()); }

/// Uniform on [a, b).
inline double uniform(Stream& s, double a, double b) noexcept { return a + (b - a) * uniform(s); }

/// true with probability p (p <= 0 never, p >= 1 always); one draw always.
inline bool bernoulli(Stream& s, double p) noexcept { return uniform(s) < p; }

// 128-bit products (a GCC/Clang extension; __extension__ keeps -Wpedantic quiet).
__extension__ using uint128 = unsigned __int128;

/// Uniform integer in [0, n), n >= 1, unbiased (Lemire 2019, multiply-shift with rejection).
inline std::uint64_t uniform_index(Stream& s, std::uint64_t n) noexcept {
  uint128 m = static_cast<uint128>(s.next_u64()) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<uint128>(s.next_u64()) * n;
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

/// Beta(a, b), a, b > 0, by Cheng (1978): algorithm BB when both shapes exceed 1,
/// algorithm BC otherwise (as in R's rbeta). Exact rejection samplers that use
/// only log and exp (one of each per try, plus a second log in the rare
/// squeeze failures); acceptance is >= 0.75 for BB and higher for the shapes
/// used in practice. The shape-dependent constants are computed once by the
/// constructor, so drawing many variates of one distribution (the leadership
/// model's agent qualities and difficulties) costs only the tries.
/// Uniforms are (k + 1/2) 2^-53, k a 53-bit integer: open at both ends.
class BetaSampler {
 public:
  BetaSampler() = default;
  BetaSampler(double a, double b) noexcept {
    swap_ = b < a;  // a_ = min(a, b), b_ = max(a, b) (plain comparisons: no libm fmin/fmax)
    a_ = swap_ ? b : a;
    b_ = swap_ ? a : b;
    alpha_ = a_ + b_;
    bc_ = a_ <= 1.0;
    if (bc_) {
      beta_ = 1.0 / a_;
      const double delta = 1.0 + b_ - a_;
      k1_ = delta * (0.0138889 + 0.0416667 * a_) / (b_ * beta_ - 0.777778);
      k2_ = 0.25 + (0.5 + 0.25 / delta) * a_;
    } else {
      beta_ = std::sqrt((alpha_ - 2.0) / (2.0 * a_ * b_ - alpha_));
      gamma_ = a_ + 1.0 / beta_;
    }
  }

  double operator()(Stream& s) const noexcept { return bc_ ? draw_bc(s) : draw_bb(s); }

 private:
  static double u01_open(Stream& s) noexcept {
    return (static_cast<double>(s.next_u64() >> 11) + 0.5) * 0x1.0p-53;
  }
  // v = beta log(u1 / (1 - u1)), w = mult e^v (saturated at DBL_MAX).
  static void vw(double u1, double beta, double mult, double& v, double& w) noexcept {
    constexpr double kExpMax = 1024 * 0.6931471805599453;  // DBL_MAX_EXP log 2
    v = beta * std::log(u1 / (1.0 - u1));
    if (v <= kExpMax) {
      w = mult * std::exp(v);
      if (std::isinf(w)) w = std::numeric_limits<double>::max();
    } else {
      w = std::numeric_limits<double>::max();
    }
  }
  double draw_bb(Stream& s) const noexcept {
    constexpr double kLog4 = 1.3862943611198906;
    double v, w;
    for (;;) {
      const double u1 = u01_open(s), u2 = u01_open(s);
      vw(u1, beta_, a_, v, w);
      const double z = u1 * u1 * u2;
      const double r = gamma_ * v - kLog4;
      const double t0 = a_ + r - w;
      // Cheng's three tests (accept if t0 + 2.609438 >= 5 z, else if t0 > log z, else
      // if r + alpha log(alpha / (b + w)) >= log z), evaluated together: the same
      // decision as the sequential form, but the two logarithms run in parallel and
      // the only branch is the (well predicted) acceptance, which is faster than
      // skipping them behind two unpredictable branches.
      const double t = std::log(z);
      const double l = std::log(alpha_ / (b_ + w));
      if ((t0 + 2.609438 >= 5.0 * z) | (t0 > t) | (r + alpha_ * l >= t)) break;
    }
    return swap_ ? b_ / (b_ + w) : w / (b_ + w);
  }
  double draw_bc(Stream& s) const noexcept {
    constexpr double kLog4 = 1.3862943611198906;
    double v, w;
    for (;;) {
      const double u1 = u01_open(s), u2 = u01_open(s);
      double z;
      if (u1 < 0.5) {
        const double y = u1 * u2;
        z = u1 * y;
        if (0.25 * u2 + z - y >= k1_) continue;
      } else {
        z = u1 * u1 * u2;
        if (z <= 0.25) {
          vw(u1, beta_, b_, v, w);
          break;
        }
        if (z >= k2_) continue;
      }
      vw(u1, beta_, b_, v, w);
      if (alpha_ * (std::log(alpha_ / (a_ + w)) + v) - kLog4 >= std::log(z)) break;
    }
    return swap_ ? w / (a_ + w) : a_ / (a_ + w);
  }

  double a_ = 1, b_ = 1, alpha_ = 2, beta_ = 1, gamma_ = 0, k1_ = 0, k2_ = 0;
  bool swap_ = false, bc_ = true;
};

/// Beta(a, b), a, b > 0 (Cheng 1978; see BetaSampler, which saves the setup when
/// many variates share the shapes).
inline double beta(Stream& s, double a, double b) noexcept { return BetaSampler(a, b)(s); }

/// Beta parameterized by its mean m in (0, 1) and concentration phi > 0
/// (a = m * phi, b = (1 - m) * phi; variance m (1 - m) / (phi + 1)).
/// The degenerate means 0 and 1 return exactly 0 and 1 (no draws).
inline double beta_mean_concentration(Stream& s, double m, double phi) noexcept {
  if (m <= 0.0) return 0.0;
  if (m >= 1.0) return 1.0;
  return beta(s, m * phi, (1.0 - m) * phi);
}

}  // namespace tribe::rng

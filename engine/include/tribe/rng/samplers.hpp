#pragma once
// Samplers on top of a Stream. Every algorithm is written out here so that the
// numbers are the same on every platform (no std::*_distribution, no libm
// functions whose results vary beyond correctly-rounded IEEE operations except
// log/exp/sqrt from glibc, which are deterministic on a given platform).
// The exponential and normal are ziggurats (tribe/rng/ziggurat.hpp), and gamma and
// beta are built on them, so that most draws need no transcendental function.
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include "tribe/rng/stream.hpp"
#include "tribe/rng/ziggurat.hpp"

namespace tribe::rng {

/// Uniform on [0, 1).
inline double uniform(Stream& s) noexcept {
  return u01(s.next_u64());
}

/// Uniform on [a, b).
inline double uniform(Stream& s, double a, double b) noexcept {
  return a + (b - a) * uniform(s);
}

/// true with probability p (p <= 0 never, p >= 1 always); one draw always.
inline bool bernoulli(Stream& s, double p) noexcept {
  return uniform(s) < p;
}

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

/// Uniform on (0, 1): (k + 1/2) 2^-53 for a 53-bit integer k (safe for log of u and
/// of 1 - u).
inline double uniform_open(Stream& s) noexcept {
  return (static_cast<double>(s.next_u64() >> 11) + 0.5) * 0x1.0p-53;
}

/// Exponential with rate 1 by the ziggurat (tribe/rng/ziggurat.hpp): one 64-bit word
/// and no transcendental function in about 99% of the draws. The low 8 bits choose
/// the layer, the high 53 bits the position in it.
inline double exponential(Stream& s) noexcept {
  const ZigguratTables& z = kZiggurat;
  for (;;) {
    const std::uint64_t word = s.next_u64();
    const unsigned layer = static_cast<unsigned>(word & 0xff);
    const std::uint64_t k = word >> 11;
    const double x = static_cast<double>(k) * z.we[layer];
    if (k < z.ke[layer]) [[likely]]
      return x;
    if (layer == 0)  // the tail beyond r: r + Exp(1) (memorylessness), by inversion
      return kZigguratExpR - std::log(uniform_open(s));
    if ((z.fe[layer - 1] - z.fe[layer]) * uniform(s) + z.fe[layer] < std::exp(-x)) return x;
  }
}

/// Geometric number of failures before the first success, success probability p in (0, 1]:
/// floor(E / -log(1 - p)) for E ~ Exp(1), exact since P(G >= k) = exp(-k (-log(1 - p)))
/// = (1 - p)^k. Mean (1 - p) / p.
inline std::uint64_t geometric(Stream& s, double p) noexcept {
  if (p >= 1.0) return 0;
  const double x = exponential(s) / -std::log1p(-p);  // >= 0: truncation is the floor
  return x >= 9.2e18 ? UINT64_MAX : static_cast<std::uint64_t>(x);
}

/// Standard normal by the ziggurat: one 64-bit word and no transcendental function in
/// about 99% of the draws. Bits 0-7 choose the layer, bit 8 the sign, bits 9-60 the
/// magnitude. The tail beyond r by Marsaglia's (1964) method.
inline double normal(Stream& s) noexcept {
  constexpr std::uint64_t kSignBit = std::uint64_t{1} << 63;
  const ZigguratTables& z = kZiggurat;
  for (;;) {
    const std::uint64_t word = s.next_u64();
    const unsigned layer = static_cast<unsigned>(word & 0xff);
    const bool negative = ((word >> 8) & 1) != 0;
    const std::uint64_t k = (word >> 9) & ((std::uint64_t{1} << 52) - 1);
    const double x = static_cast<double>(k) * z.wn[layer];
    // The sign is applied by flipping the sign bit, not by a branch: the branch would
    // be mispredicted in half of the draws (the same value as negative ? -x : x).
    if (k < z.kn[layer]) [[likely]]
      return std::bit_cast<double>(std::bit_cast<std::uint64_t>(x) ^ ((word << 55) & kSignBit));
    if (layer == 0) {
      for (;;) {
        const double xx = exponential(s) / kZigguratNormR;
        const double yy = exponential(s);
        if (yy + yy > xx * xx) return negative ? -(kZigguratNormR + xx) : kZigguratNormR + xx;
      }
    }
    if ((z.fn[layer - 1] - z.fn[layer]) * uniform(s) + z.fn[layer] < std::exp(-0.5 * x * x))
      return negative ? -x : x;
  }
}

/// Gamma(shape, 1) by Marsaglia & Tsang (2000) on the ziggurat normal, with the shape's
/// constants computed once. Shapes below 1 use Gamma(a) = Gamma(a + 1) U^(1/a), drawn as
/// Gamma(a + 1) exp(-E / a) with E ~ Exp(1); `log_draw` returns the logarithm instead,
/// which cannot underflow for tiny shapes. Acceptance >= 0.95 per try; the squeeze
/// accepts most draws without a logarithm.
class GammaSampler {
 public:
  GammaSampler() = default;
  explicit GammaSampler(double shape) noexcept {
    small_ = shape < 1.0;
    inv_shape_ = 1.0 / shape;
    d_ = (small_ ? shape + 1.0 : shape) - 1.0 / 3.0;
    c_ = 1.0 / std::sqrt(9.0 * d_);
  }

  double operator()(Stream& s) const noexcept {
    const double g = core(s);
    return small_ ? g * std::exp(-exponential(s) * inv_shape_) : g;
  }
  /// log of a Gamma(shape) variate.
  double log_draw(Stream& s) const noexcept {
    const double g = std::log(core(s));
    return small_ ? g - exponential(s) * inv_shape_ : g;
  }
  bool small_shape() const noexcept { return small_; }

 private:
  double core(Stream& s) const noexcept {  // Gamma(d + 1/3), d + 1/3 >= 1
    for (;;) {
      double x, v;
      do {
        x = normal(s);
        v = 1.0 + c_ * x;
      } while (v <= 0.0);
      v = v * v * v;
      const double u = uniform_open(s);
      const double x2 = x * x;
      if (u < 1.0 - 0.0331 * x2 * x2) return d_ * v;
      if (std::log(u) < 0.5 * x2 + d_ * (1.0 - v + std::log(v))) return d_ * v;
    }
  }

  double d_ = 2.0 / 3.0, c_ = 1.0 / std::sqrt(6.0), inv_shape_ = 1.0;
  bool small_ = false;
};

/// Gamma(shape, 1) (see GammaSampler, which saves the set-up for many draws).
inline double gamma(Stream& s, double shape) noexcept {
  return GammaSampler(shape)(s);
}

/// Beta(a, b), a, b > 0, as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b) independent
/// (exact). X is drawn before Y. When a shape is below 1 the ratio is formed from the
/// logarithms, so that tiny shapes (whose gamma variates underflow) still give values in
/// [0, 1]. The shapes' constants are computed once by the constructor, so drawing many
/// variates of one distribution (the leadership model's agent qualities and
/// difficulties) costs only the draws: about four 64-bit words and no transcendental
/// function for shapes >= 1.
class BetaSampler {
 public:
  BetaSampler() = default;
  BetaSampler(double a, double b) noexcept
      : x_(a), y_(b), logs_(x_.small_shape() || y_.small_shape()) {}

  double operator()(Stream& s) const noexcept {
    if (!logs_) [[likely]] {
      const double x = x_(s);
      const double y = y_(s);
      return x / (x + y);
    }
    const double lx = x_.log_draw(s);
    const double ly = y_.log_draw(s);
    // x / (x + y) = 1 / (1 + e^(ly - lx)), evaluated on the side that cannot overflow.
    if (lx >= ly) return 1.0 / (1.0 + std::exp(ly - lx));
    const double r = std::exp(lx - ly);
    return r / (1.0 + r);
  }

 private:
  GammaSampler x_, y_;
  bool logs_ = false;
};

/// Beta(a, b), a, b > 0 (see BetaSampler, which saves the set-up when many variates
/// share the shapes).
inline double beta(Stream& s, double a, double b) noexcept {
  return BetaSampler(a, b)(s);
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

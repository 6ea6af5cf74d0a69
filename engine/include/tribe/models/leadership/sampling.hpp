#pragma once
// The leadership model's Beta draws. The sampler itself (since leadership 3.0.0 the
// ratio of two Marsaglia–Tsang gamma variates on the ziggurat normal) lives in
// tribe/rng/samplers.hpp as rng::BetaSampler, which is also what rng::beta uses; this
// header keeps the model's mean/concentration spelling.
#include "tribe/rng/samplers.hpp"

namespace tribe::models::leadership {

/// Beta(m phi, (1 - m) phi) with its shape constants computed once; the
/// degenerate means 0 and 1 return exactly 0 and 1 without drawing.
class BetaMean {
 public:
  BetaMean() = default;
  BetaMean(double m, double phi) noexcept
      : degenerate_(m <= 0.0 || m >= 1.0),
        value_(m >= 1.0 ? 1.0 : 0.0),
        sampler_(degenerate_ ? rng::BetaSampler() : rng::BetaSampler(m * phi, (1.0 - m) * phi)) {}
  double operator()(rng::Stream& s) const noexcept { return degenerate_ ? value_ : sampler_(s); }

 private:
  bool degenerate_ = true;
  double value_ = 0.0;
  rng::BetaSampler sampler_;
};

/// Beta with mean m and concentration phi (a = m phi, b = (1 - m) phi); the
/// degenerate means 0 and 1 return exactly 0 and 1 without drawing.
inline double beta_mean(rng::Stream& s, double m, double phi) noexcept {
  return BetaMean(m, phi)(s);
}

}  // namespace tribe::models::leadership

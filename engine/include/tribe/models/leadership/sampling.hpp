#pragma once
// A faster Beta sampler for the leadership model (Cheng 1978, algorithms BB and
// BC, as in R's rbeta). It draws uniforms from a tribe::rng::Stream and uses
// only log and exp, so it is as reproducible as tribe/rng/samplers.hpp; it is
// about 3-4x faster than the gamma-ratio sampler there (one log and one exp per
// try instead of two normals and two gammas), which is what makes the quality
// and difficulty draws fit the per-organization time budget.
// (A candidate for tribe/rng/samplers.hpp; kept here because that file is not
// this model's.)
#include <cfloat>
#include <cmath>

#include "tribe/rng/stream.hpp"

namespace tribe::models::leadership {

/// Uniform on the open interval (0, 1).
inline double u01_open(rng::Stream& s) noexcept {
  return (static_cast<double>(s.next_u64() >> 11) + 0.5) * 0x1.0p-53;
}

/// Beta(a, b), a, b > 0 (Cheng 1978).
inline double beta_cheng(rng::Stream& s, double aa, double bb) noexcept {
  constexpr double kLog4 = 1.3862943611198906;
  const double expmax = DBL_MAX_EXP * 0.6931471805599453;
  const double a = std::fmin(aa, bb), b = std::fmax(aa, bb), alpha = a + b;
  double v = 0.0, w = 0.0;
  const auto vw = [&](double u1, double beta, double mult) {
    v = beta * std::log(u1 / (1.0 - u1));
    if (v <= expmax) {
      w = mult * std::exp(v);
      if (std::isinf(w)) w = DBL_MAX;
    } else {
      w = DBL_MAX;
    }
  };
  if (a <= 1.0) {  // algorithm BC
    const double beta = 1.0 / a, delta = 1.0 + b - a;
    const double k1 = delta * (0.0138889 + 0.0416667 * a) / (b * beta - 0.777778);
    const double k2 = 0.25 + (0.5 + 0.25 / delta) * a;
    for (;;) {
      const double u1 = u01_open(s), u2 = u01_open(s);
      double z;
      if (u1 < 0.5) {
        const double y = u1 * u2;
        z = u1 * y;
        if (0.25 * u2 + z - y >= k1) continue;
      } else {
        z = u1 * u1 * u2;
        if (z <= 0.25) {
          vw(u1, beta, b);
          break;
        }
        if (z >= k2) continue;
      }
      vw(u1, beta, b);
      if (alpha * (std::log(alpha / (a + w)) + v) - kLog4 >= std::log(z)) break;
    }
    return aa == a ? a / (a + w) : w / (a + w);
  }
  // algorithm BB
  const double beta = std::sqrt((alpha - 2.0) / (2.0 * a * b - alpha));
  const double gamma = a + 1.0 / beta;
  for (;;) {
    const double u1 = u01_open(s), u2 = u01_open(s);
    vw(u1, beta, a);
    const double z = u1 * u1 * u2;
    const double r = gamma * v - kLog4;
    const double s_ = a + r - w;
    if (s_ + 2.609438 >= 5.0 * z) break;
    const double t = std::log(z);
    if (s_ > t) break;
    if (r + alpha * std::log(alpha / (b + w)) >= t) break;
  }
  return aa != a ? b / (b + w) : w / (b + w);
}

/// Beta with mean m and concentration phi (a = m phi, b = (1 - m) phi); the
/// degenerate means 0 and 1 return exactly 0 and 1 without drawing.
inline double beta_mean(rng::Stream& s, double m, double phi) noexcept {
  if (m <= 0.0) return 0.0;
  if (m >= 1.0) return 1.0;
  return beta_cheng(s, m * phi, (1.0 - m) * phi);
}

}  // namespace tribe::models::leadership

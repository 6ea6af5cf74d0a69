#include "tribe/stats/intervals.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>
#include <numeric>
#include <string>

#include "tribe/core/error.hpp"

namespace tribe::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

void check_confidence(double confidence) {
  if (!(confidence > 0.0 && confidence < 1.0))
    throw InputError("confidence = " + std::to_string(confidence) +
                     ": a confidence level must lie strictly between 0 and 1");
}

void check_counts(std::uint64_t k, std::uint64_t n) {
  if (k > n)
    throw InputError("successes = " + std::to_string(k) + " exceed trials = " + std::to_string(n));
}

/// Upper-tail normal quantile z with P(Z > z) = q, accurate also for q near 0.
double normal_upper_quantile(double q) { return -normal_quantile(q); }

/// z for a two-sided interval of the given confidence: P(Z > z) = (1 - c) / 2.
double z_for(double confidence) { return normal_upper_quantile(0.5 * (1.0 - confidence)); }

// ---------------------------------------------------------------------------
// Student t machinery

/// log B(a, 1/2) = lgamma(a) + lgamma(1/2) - lgamma(a + 1/2). For a >= 12 the difference
/// lgamma(a + 1/2) - lgamma(a) is taken from its asymptotic series (checked against mpmath:
/// error < 1e-16 there), which avoids the cancellation of two huge lgamma values.
double log_beta_half(double a) {
  constexpr double kLogSqrtPi = 0.57236494292470008707;  // lgamma(1/2) = log(sqrt(pi))
  if (a < 12.0) return std::lgamma(a) + kLogSqrtPi - std::lgamma(a + 0.5);
  const double r = 1.0 / a;
  const double r2 = r * r;
  // lgamma(a + 1/2) - lgamma(a) = log(a)/2 - 1/(8a) + 1/(192a^3) - 1/(640a^5) + 17/(14336a^7)
  //                               - 31/(18432a^9) + 691/(180224a^11) - ...
  const double series =
      r * (-1.0 / 8.0 +
           r2 * (1.0 / 192.0 +
                 r2 * (-1.0 / 640.0 +
                       r2 * (17.0 / 14336.0 + r2 * (-31.0 / 18432.0 + r2 * (691.0 / 180224.0))))));
  return kLogSqrtPi - (0.5 * std::log(a) + series);
}

/// Continued fraction of the regularized incomplete beta function (modified Lentz,
/// Numerical Recipes' betacf); converges quickly for x < (a + 1) / (a + b + 2).
double beta_continued_fraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  constexpr double kEps = 1e-16;
  const double qab = a + b, qap = a + 1.0, qam = a - 1.0;
  double c = 1.0;
  double d = 1.0 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= 100000; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1.0) < kEps) break;
  }
  return h;
}

/// x = df / (df + t^2) and y = 1 - x with their logarithms, computed without cancellation
/// or overflow.
struct TPoint {
  double x, y, log_x, log_y;
};

TPoint t_point(double t, double df) {
  const double at = std::fabs(t);
  TPoint p{};
  const double r = (at / df) * at;  // t^2 / df
  if (r <= 1.0) {
    p.x = 1.0 / (1.0 + r);
    p.y = r / (1.0 + r);
    p.log_x = -std::log1p(r);
    p.log_y = std::log(r) + p.log_x;
  } else {
    const double s = (df / at) / at;  // df / t^2 (may underflow; its log is taken apart)
    p.x = s / (1.0 + s);
    p.y = 1.0 / (1.0 + s);
    p.log_y = -std::log1p(s);
    p.log_x = std::log(df) - 2.0 * std::log(at) + p.log_y;
  }
  return p;
}

/// Above this many degrees of freedom, and while t^2 <= kCornishFisherRange * df, the
/// continued fraction loses accuracy (its terms cancel when x is within ~1/df of 1: 2e-13
/// relative at df = 1e4, 4e-11 at 1e6), and the Cornish-Fisher expansion to df^-4 is used
/// instead: its error grows like (t^2/df)^5 and is < 3e-14 relative for t^2 <= 5e-3 df
/// (checked against 500-digit mpmath). Outside that range x is far enough from 1 for the
/// continued fraction to be accurate again (< 3e-13).
constexpr double kLargeDf = 2e4;
constexpr double kCornishFisherRange = 5e-3;

/// Cornish-Fisher expansion of the t quantile about the normal one (Abramowitz & Stegun
/// 26.7.5), terms to df^-4.
double cornish_fisher_t(double z, double df) {
  const double z2 = z * z;
  const double g1 = z * (z2 + 1.0) / 4.0;
  const double g2 = z * ((5.0 * z2 + 16.0) * z2 + 3.0) / 96.0;
  const double g3 = z * (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) / 384.0;
  const double g4 =
      z * ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) / 92160.0;
  const double r = 1.0 / df;
  return z + r * (g1 + r * (g2 + r * (g3 + r * g4)));
}

/// d/dz of cornish_fisher_t.
double cornish_fisher_t_slope(double z, double df) {
  const double z2 = z * z;
  const double d1 = (3.0 * z2 + 1.0) / 4.0;
  const double d2 = ((25.0 * z2 + 48.0) * z2 + 3.0) / 96.0;
  const double d3 = (((21.0 * z2 + 95.0) * z2 + 51.0) * z2 - 15.0) / 384.0;
  const double d4 =
      ((((711.0 * z2 + 5432.0) * z2 + 7410.0) * z2 - 5760.0) * z2 - 945.0) / 92160.0;
  const double r = 1.0 / df;
  return 1.0 + r * (d1 + r * (d2 + r * (d3 + r * d4)));
}

/// P(T > |t|) for df > kLargeDf, t^2 <= kCornishFisherRange * df: solve
/// cornish_fisher_t(z) = |t| by Newton, then Phi(-z).
double t_upper_tail_large_df(double t, double df) {
  const double at = std::fabs(t);
  double z = at;
  for (int it = 0; it < 50; ++it) {
    const double step = (cornish_fisher_t(z, df) - at) / cornish_fisher_t_slope(z, df);
    z -= step;
    if (std::fabs(step) <= 1e-16 * std::max(1.0, z)) break;
  }
  return 0.5 * std::erfc(z / std::numbers::sqrt2);
}

/// P(T > |t|) for T ~ Student t with df degrees of freedom (0 < df < inf): I_x(df/2, 1/2) / 2.
double t_upper_tail(double t, double df) {
  if (t == 0.0) return 0.5;
  if (std::isinf(t)) return 0.0;
  if (df > kLargeDf && (std::fabs(t) / df) * std::fabs(t) <= kCornishFisherRange)
    return t_upper_tail_large_df(t, df);
  const TPoint p = t_point(t, df);
  const double a = 0.5 * df, b = 0.5;
  const double log_beta = log_beta_half(a);
  if (p.x < (a + 1.0) / (a + b + 2.0)) {
    // I_x(a, b) directly.
    const double front = std::exp(a * p.log_x + b * p.log_y - log_beta) / a;
    return 0.5 * front * beta_continued_fraction(a, b, p.x);
  }
  // I_x(a, b) = 1 - I_y(b, a).
  const double front = std::exp(b * p.log_y + a * p.log_x - log_beta) / b;
  return 0.5 * (1.0 - front * beta_continued_fraction(b, a, p.y));
}

/// Student t density.
double t_pdf(double t, double df) {
  const TPoint p = t_point(t, df);
  // (1 + t^2/df) = 1/x, so the density is x^((df+1)/2) / (sqrt(df) B(df/2, 1/2)).
  return std::exp(0.5 * (df + 1.0) * p.log_x - 0.5 * std::log(df) - log_beta_half(0.5 * df));
}

/// Hill (1970), Algorithm 396 (as in R's qt): approximate t with P(|T| > t) = two_tail, df >= 1.
double hill_t_quantile(double two_tail, double df) {
  const double a = 1.0 / (df - 0.5);
  const double b = 48.0 / (a * a);
  double c = ((20700.0 * a / b - 98.0) * a - 16.0) * a + 96.36;
  const double d = ((94.5 / (b + c) - 3.0) / b + 1.0) * std::sqrt(a * std::numbers::pi / 2.0) * df;
  double y = std::pow(d * two_tail, 2.0 / df);
  if ((df < 2.1 && two_tail > 0.5) || y > 0.05 + a) {
    const double x = normal_quantile(0.5 * two_tail);
    y = x * x;
    if (df < 5.0) c += 0.3 * (df - 4.5) * (x + 0.6);
    c = (((0.05 * d * x - 5.0) * x - 7.0) * x - 2.0) * x + b + c;
    y = (((((0.4 * y + 6.3) * y + 36.0) * y + 94.5) / c - y - 3.0) / b + 1.0) * x;
    y = std::expm1(a * y * y);
  } else {
    y = ((1.0 / (((df + 6.0) / (df * y) - 0.089 * d - 0.822) * (df + 2.0) * 3.0) +
          0.5 / (df + 4.0)) *
             y -
         1.0) *
            (df + 1.0) / (df + 2.0) +
        1.0 / y;
  }
  return std::sqrt(df * y);
}

/// t > 0 with P(T > t) = q, 0 < q < 0.5, finite df > 0.
double t_upper_quantile(double q, double df) {
  if (df > kLargeDf) {
    const double z = normal_upper_quantile(q);
    if (z * z <= kCornishFisherRange * df) return cornish_fisher_t(z, df);
  }
  if (df == 1.0) {
    // Cauchy: t = cot(pi q), accurate in the far tail.
    const double angle = std::numbers::pi * q;
    return std::cos(angle) / std::sin(angle);
  }
  if (df == 2.0) {
    // P(T > t) = (1 - t / sqrt(2 + t^2)) / 2  =>  t = (1 - 2q) / sqrt(2 q (1 - q)).
    return (1.0 - 2.0 * q) / std::sqrt(2.0 * q * (1.0 - q));
  }
  double t = df >= 1.0 ? hill_t_quantile(2.0 * q, df) : 1.0;
  if (!(t > 0.0) || !std::isfinite(t)) t = 1.0;

  // Bracket [lo, hi] with S(lo) >= q >= S(hi), S the upper tail (decreasing, convex on t > 0).
  double lo = 0.0, hi = kInf;
  double s = t_upper_tail(t, df);
  if (s == q) return t;
  if (s > q) {
    lo = t;
    for (double probe = 2.0 * t;; probe *= 2.0) {
      if (!std::isfinite(probe)) return kInf;
      const double sp = t_upper_tail(probe, df);
      if (sp <= q) {
        hi = probe;
        break;
      }
      lo = probe;
      t = probe;
      s = sp;
    }
  } else {
    hi = t;
    for (double probe = 0.5 * t; probe > 1e-300; probe *= 0.5) {
      const double sp = t_upper_tail(probe, df);
      if (sp >= q) {
        lo = probe;
        t = probe;
        s = sp;
        break;
      }
      hi = probe;
    }
    if (lo == 0.0) {
      t = 0.5 * hi;
      s = t_upper_tail(t, df);
    }
  }

  // Safeguarded Newton on log S (S spans hundreds of orders of magnitude in the tails, where
  // Newton on S itself crawls): a step leaving the bracket, and every 16th step, is replaced
  // by bisection (geometric when the bracket spans orders of magnitude).
  const double log_q = std::log(q);
  for (int it = 1; it <= 400; ++it) {
    if (s > q) lo = t; else hi = t;
    const double step = (std::log(s) - log_q) * s / t_pdf(t, df);
    double next = t + step;
    if (!(next > lo && next < hi) || (it % 16 == 0 && std::isfinite(hi))) {
      next = (lo > 0.0 && hi > 4.0 * lo) ? std::sqrt(lo) * std::sqrt(hi) : 0.5 * (lo + hi);
    }
    if (std::fabs(next - t) <= 1e-15 * t || next == lo || next == hi) return next;
    t = next;
    s = t_upper_tail(t, df);
    if (s == q) return t;
  }
  return t;
}

// ---------------------------------------------------------------------------
// Interval building blocks at a given z (so p-value inversion can work on the z scale).

struct Bounds {
  double low, high;
};

Bounds wilson_z(std::uint64_t k, std::uint64_t n, double z) {
  if (n == 0) return {0.0, 1.0};
  const double kd = static_cast<double>(k), nd = static_cast<double>(n);
  const double z2 = z * z;
  // (2k + z^2 -+ z sqrt(z^2 + 4 k (n - k) / n)) / (2 (n + z^2)): exact 0 at k = 0, 1 at k = n.
  const double root = z * std::sqrt(z2 + 4.0 * kd * ((nd - kd) / nd));
  const double denom = 2.0 * (nd + z2);
  double low = k == 0 ? 0.0 : (2.0 * kd + z2 - root) / denom;
  double high = k == n ? 1.0 : (2.0 * kd + z2 + root) / denom;
  return {std::clamp(low, 0.0, 1.0), std::clamp(high, 0.0, 1.0)};
}

Bounds newcombe_z(std::uint64_t k1, std::uint64_t n1, std::uint64_t k2, std::uint64_t n2,
                  double z) {
  const double p1 = static_cast<double>(k1) / static_cast<double>(n1);
  const double p2 = static_cast<double>(k2) / static_cast<double>(n2);
  const Bounds w1 = wilson_z(k1, n1, z), w2 = wilson_z(k2, n2, z);
  const double d = p1 - p2;
  const double low = d - std::hypot(p1 - w1.low, w2.high - p2);
  const double high = d + std::hypot(w1.high - p1, p2 - w2.low);
  return {std::max(-1.0, low), std::min(1.0, high)};
}

double paired_phi(const PairedCounts& c) {
  const double a = static_cast<double>(c.both), b = static_cast<double>(c.first_only);
  const double cc = static_cast<double>(c.second_only), d = static_cast<double>(c.neither);
  const double n = a + b + cc + d;
  const double r1 = a + b, r2 = cc + d, c1 = a + cc, c2 = b + d;
  if (r1 == 0.0 || r2 == 0.0 || c1 == 0.0 || c2 == 0.0) return 0.0;
  const double cross = a * d - b * cc;
  double num;
  if (cross > n / 2.0)
    num = cross - n / 2.0;
  else if (cross >= 0.0)
    num = 0.0;
  else
    num = cross;
  return num / (std::sqrt(r1 * r2) * std::sqrt(c1 * c2));
}

Bounds paired_newcombe_z(const PairedCounts& c, double z) {
  const std::uint64_t n = c.n();
  const double nd = static_cast<double>(n);
  const double p1 = static_cast<double>(c.both + c.first_only) / nd;
  const double p2 = static_cast<double>(c.both + c.second_only) / nd;
  const double diff = (static_cast<double>(c.first_only) - static_cast<double>(c.second_only)) / nd;
  const Bounds w1 = wilson_z(c.both + c.first_only, n, z);
  const Bounds w2 = wilson_z(c.both + c.second_only, n, z);
  const double phi = paired_phi(c);
  const double dl1 = p1 - w1.low, du2 = w2.high - p2;
  const double du1 = w1.high - p1, dl2 = p2 - w2.low;
  const double low = diff - std::sqrt(std::max(0.0, dl1 * dl1 - 2.0 * phi * dl1 * du2 + du2 * du2));
  const double high = diff + std::sqrt(std::max(0.0, dl2 * dl2 - 2.0 * phi * dl2 * du1 + du1 * du1));
  return {std::max(-1.0, low), std::min(1.0, high)};
}

/// p-value of "estimate > margin" from a family of bounds indexed by z >= 0 (see the header):
/// find z* with low(z*) = margin (or high(z*) = margin when estimate < margin) by bisection.
template <class BoundsAtZ>
double invert_on_z(const BoundsAtZ& bounds_at, double estimate, double margin) {
  if (std::isnan(estimate) || std::isnan(margin)) return kNaN;
  if (estimate == margin) return 0.5;
  const bool above = estimate > margin;
  auto reaches = [&](double z) {  // true when the bound at z has reached (crossed) the margin
    const Bounds b = bounds_at(z);
    return above ? b.low <= margin : b.high >= margin;
  };
  constexpr double kZMax = 38.5;  // Phi(-38.5) ~ 1e-324: beyond, the p-value is 0 in double
  if (!reaches(kZMax)) return above ? 0.0 : 1.0;
  double lo = 0.0, hi = kZMax;
  for (int it = 0; it < 200 && hi - lo > 1e-13 * std::max(1.0, hi); ++it) {
    const double mid = 0.5 * (lo + hi);
    if (reaches(mid)) hi = mid; else lo = mid;
  }
  const double z = 0.5 * (lo + hi);
  const double tail = normal_cdf(-z);  // p-value of the claim on the side of the estimate
  return above ? tail : 1.0 - tail;
}

/// NaN-skipping two-pass mean and standard deviation of a_i - b_i.
struct PairedSummary {
  double mean, sd;
  std::uint64_t n;
};

PairedSummary paired_summary(std::span<const double> a, std::span<const double> b) {
  if (a.size() != b.size())
    throw InputError("paired samples differ in length: " + std::to_string(a.size()) + " and " +
                     std::to_string(b.size()));
  std::uint64_t n = 0;
  double sum = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) || std::isnan(b[i])) continue;
    sum += a[i] - b[i];
    ++n;
  }
  if (n == 0) return {kNaN, kNaN, 0};
  const double mean0 = sum / static_cast<double>(n);
  double ss = 0.0, corr = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) || std::isnan(b[i])) continue;
    const double e = (a[i] - b[i]) - mean0;
    ss += e * e;
    corr += e;
  }
  const double nd = static_cast<double>(n);
  const double mean = mean0 + corr / nd;  // second-pass correction of the mean
  const double sd = n >= 2 ? std::sqrt(std::max(0.0, (ss - corr * corr / nd) / (nd - 1.0))) : kNaN;
  return {mean, sd, n};
}

}  // namespace

// ---------------------------------------------------------------------------
// Distribution functions

double normal_cdf(double x) { return 0.5 * std::erfc(-x * std::numbers::sqrt2 / 2.0); }

double normal_quantile(double p) {
  // Wichura, M. J. (1988). Algorithm AS 241: The percentage points of the normal
  // distribution. Applied Statistics 37(3), 477-484. PPND16 coefficients.
  if (std::isnan(p) || p < 0.0 || p > 1.0) return kNaN;
  if (p == 0.0) return -kInf;
  if (p == 1.0) return kInf;
  const double q = p - 0.5;
  if (std::fabs(q) <= 0.425) {
    const double r = 0.180625 - q * q;
    return q *
           (((((((2.5090809287301226727e+3 * r + 3.3430575583588128105e+4) * r +
                 6.7265770927008700853e+4) * r + 4.5921953931549871457e+4) * r +
               1.3731693765509461125e+4) * r + 1.9715909503065514427e+3) * r +
             1.3314166789178437745e+2) * r + 3.3871328727963666080e+0) /
           (((((((5.2264952788528545610e+3 * r + 2.8729085735721942674e+4) * r +
                 3.9307895800092710610e+4) * r + 2.1213794301586595867e+4) * r +
               5.3941960214247511077e+3) * r + 6.8718700749205790830e+2) * r +
             4.2313330701600911252e+1) * r + 1.0);
  }
  double r = std::sqrt(-std::log(q < 0.0 ? p : 1.0 - p));
  double val;
  if (r <= 5.0) {
    r -= 1.6;
    val = (((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r +
                2.41780725177450611770e-1) * r + 1.27045825245236838258e+0) * r +
              3.64784832476320460504e+0) * r + 5.76949722146069140550e+0) * r +
            4.63033784615654529590e+0) * r + 1.42343711074968357734e+0) /
          (((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r +
                1.51986665636164571966e-2) * r + 1.48103976427480074590e-1) * r +
              6.89767334985100004550e-1) * r + 1.67638483018380384940e+0) * r +
            2.05319162663775882187e+0) * r + 1.0);
  } else {
    r -= 5.0;
    val = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r +
                1.24266094738807843860e-3) * r + 2.65321895265761230930e-2) * r +
              2.96560571828504891230e-1) * r + 1.78482653991729133580e+0) * r +
            5.46378491116411436990e+0) * r + 6.65790464350110377720e+0) /
          (((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) * r +
                1.84631831751005468180e-5) * r + 7.86869131145613259100e-4) * r +
              1.48753612908506148525e-2) * r + 1.36929880922735805310e-1) * r +
            5.99832206555887937690e-1) * r + 1.0);
  }
  return q < 0.0 ? -val : val;
}

double student_t_cdf(double t, double df) {
  if (std::isnan(t) || std::isnan(df) || !(df > 0.0)) return kNaN;
  if (std::isinf(df)) return normal_cdf(t);
  const double tail = t_upper_tail(t, df);
  return t > 0.0 ? 1.0 - tail : tail;
}

double student_t_quantile(double p, double df) {
  if (std::isnan(p) || std::isnan(df) || !(df > 0.0) || p < 0.0 || p > 1.0) return kNaN;
  if (p == 0.0) return -kInf;
  if (p == 1.0) return kInf;
  if (p == 0.5) return 0.0;
  if (std::isinf(df)) return normal_quantile(p);
  return p < 0.5 ? -t_upper_quantile(p, df) : t_upper_quantile(1.0 - p, df);
}

// ---------------------------------------------------------------------------
// Intervals

Interval wilson(std::uint64_t successes, std::uint64_t n, double confidence) {
  check_confidence(confidence);
  check_counts(successes, n);
  if (n == 0) return {kNaN, 0.0, 1.0};
  const Bounds b = wilson_z(successes, n, z_for(confidence));
  return {static_cast<double>(successes) / static_cast<double>(n), b.low, b.high};
}

Interval newcombe_difference(std::uint64_t k1, std::uint64_t n1, std::uint64_t k2,
                             std::uint64_t n2, double confidence) {
  check_confidence(confidence);
  check_counts(k1, n1);
  check_counts(k2, n2);
  if (n1 == 0 || n2 == 0) return {kNaN, -1.0, 1.0};
  const Bounds b = newcombe_z(k1, n1, k2, n2, z_for(confidence));
  const double d = static_cast<double>(k1) / static_cast<double>(n1) -
                   static_cast<double>(k2) / static_cast<double>(n2);
  return {d, b.low, b.high};
}

PairedCounts count_pairs(std::span<const double> a, std::span<const double> b) {
  if (a.size() != b.size())
    throw InputError("paired samples differ in length: " + std::to_string(a.size()) + " and " +
                     std::to_string(b.size()));
  PairedCounts c;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) || std::isnan(b[i])) continue;
    for (double v : {a[i], b[i]})
      if (v != 0.0 && v != 1.0)
        throw InputError("paired binary outcome at index " + std::to_string(i) + " is " +
                         std::to_string(v) + ": only 0, 1 or NaN are allowed");
    const bool x = a[i] == 1.0, y = b[i] == 1.0;
    if (x && y) ++c.both;
    else if (x) ++c.first_only;
    else if (y) ++c.second_only;
    else ++c.neither;
  }
  return c;
}

Interval paired_proportion_difference(const PairedCounts& counts, double confidence) {
  check_confidence(confidence);
  const std::uint64_t n = counts.n();
  if (n == 0) return {kNaN, -1.0, 1.0};
  const Bounds b = paired_newcombe_z(counts, z_for(confidence));
  const double d =
      (static_cast<double>(counts.first_only) - static_cast<double>(counts.second_only)) /
      static_cast<double>(n);
  return {d, b.low, b.high};
}

Interval paired_proportion_difference(std::span<const double> a, std::span<const double> b,
                                      double confidence) {
  return paired_proportion_difference(count_pairs(a, b), confidence);
}

Interval mean_interval(double mean, double sd, std::uint64_t n, double confidence) {
  check_confidence(confidence);
  if (n < 2) return {mean, kNaN, kNaN};
  const double df = static_cast<double>(n - 1);
  const double t = t_upper_quantile(0.5 * (1.0 - confidence), df);
  const double half = t * sd / std::sqrt(static_cast<double>(n));
  return {mean, mean - half, mean + half};
}

Interval paired_mean_difference(std::span<const double> a, std::span<const double> b,
                                double confidence) {
  check_confidence(confidence);
  const PairedSummary s = paired_summary(a, b);
  return mean_interval(s.mean, s.sd, s.n, confidence);
}

// ---------------------------------------------------------------------------
// p-values

double two_proportion_p_value(std::uint64_t k1, std::uint64_t n1, std::uint64_t k2,
                              std::uint64_t n2) {
  check_counts(k1, n1);
  check_counts(k2, n2);
  if (n1 == 0 || n2 == 0) return kNaN;
  const double a = static_cast<double>(n1), b = static_cast<double>(n2);
  const double p1 = static_cast<double>(k1) / a, p2 = static_cast<double>(k2) / b;
  const double pooled = static_cast<double>(k1 + k2) / (a + b);
  const double var = pooled * (1.0 - pooled) * (1.0 / a + 1.0 / b);
  if (!(var > 0.0)) return 1.0;
  const double z = std::fabs(p1 - p2) / std::sqrt(var);
  return std::erfc(z / std::numbers::sqrt2);
}

double one_sided_p_value_from_interval(const std::function<Interval(double)>& interval_at,
                                       double margin) {
  // z -> confidence 1 - 2 Phi(-z) = erf(z / sqrt 2); confidence rounds to 1 near z = 8.2.
  const double estimate = interval_at(0.5).estimate;
  auto bounds_at = [&](double z) {
    const double c = std::erf(z / std::numbers::sqrt2);
    if (!(c > 0.0)) return Bounds{estimate, estimate};
    if (!(c < 1.0)) return Bounds{-kInf, kInf};
    const Interval iv = interval_at(c);
    return Bounds{iv.low, iv.high};
  };
  return invert_on_z(bounds_at, estimate, margin);
}

double newcombe_p_value_greater(std::uint64_t k1, std::uint64_t n1, std::uint64_t k2,
                                std::uint64_t n2, double margin) {
  check_counts(k1, n1);
  check_counts(k2, n2);
  if (n1 == 0 || n2 == 0) return kNaN;
  const double d = static_cast<double>(k1) / static_cast<double>(n1) -
                   static_cast<double>(k2) / static_cast<double>(n2);
  return invert_on_z([&](double z) { return newcombe_z(k1, n1, k2, n2, z); }, d, margin);
}

double paired_proportion_p_value_greater(const PairedCounts& counts, double margin) {
  const std::uint64_t n = counts.n();
  if (n == 0) return kNaN;
  const double d =
      (static_cast<double>(counts.first_only) - static_cast<double>(counts.second_only)) /
      static_cast<double>(n);
  return invert_on_z([&](double z) { return paired_newcombe_z(counts, z); }, d, margin);
}

double mean_p_value_greater(double mean, double sd, std::uint64_t n, double margin) {
  if (n < 2 || std::isnan(mean) || std::isnan(sd) || std::isnan(margin)) return kNaN;
  const double diff = mean - margin;
  if (sd == 0.0) return diff > 0.0 ? 0.0 : (diff < 0.0 ? 1.0 : 0.5);
  const double t = diff / (sd / std::sqrt(static_cast<double>(n)));
  return student_t_cdf(-t, static_cast<double>(n - 1));
}

double paired_mean_p_value_greater(std::span<const double> a, std::span<const double> b,
                                   double margin) {
  const PairedSummary s = paired_summary(a, b);
  return mean_p_value_greater(s.mean, s.sd, s.n, margin);
}

std::vector<double> holm_adjust(std::span<const double> p) {
  const std::size_t m = p.size();
  std::vector<double> out(m, kNaN);
  std::vector<std::size_t> order;
  order.reserve(m);
  for (std::size_t i = 0; i < m; ++i)
    if (!std::isnan(p[i])) order.push_back(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return p[x] < p[y]; });
  double running = 0.0;
  for (std::size_t j = 0; j < order.size(); ++j) {
    const double adj = std::min(1.0, static_cast<double>(m - j) * p[order[j]]);
    running = std::max(running, adj);
    out[order[j]] = running;
  }
  return out;
}

}  // namespace tribe::stats

#include "tribe/stats/intervals.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
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

/// The distributions are Boost.Math's, with every error reported as a value (NaN, +-inf)
/// instead of an exception, and computed in double throughout (no promotion to long double,
/// whose width differs between platforms): the same digits on every IEEE machine.
using Policy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::pole_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::underflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::evaluation_error<boost::math::policies::ignore_error>,
    boost::math::policies::promote_float<false>, boost::math::policies::promote_double<false>>;
using Normal = boost::math::normal_distribution<double, Policy>;
using StudentT = boost::math::students_t_distribution<double, Policy>;

/// Upper-tail normal quantile z with P(Z > z) = q, accurate also for q near 0.
double normal_upper_quantile(double q) {
  return boost::math::quantile(boost::math::complement(Normal(), q));
}

/// z for a two-sided interval of the given confidence: P(Z > z) = (1 - c) / 2.
double z_for(double confidence) {
  return normal_upper_quantile(0.5 * (1.0 - confidence));
}

/// t > 0 with P(T > t) = q, 0 < q < 0.5, finite df > 0.
double t_upper_quantile(double q, double df) {
  return boost::math::quantile(boost::math::complement(StudentT(df), q));
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
  const double high =
      diff + std::sqrt(std::max(0.0, dl2 * dl2 - 2.0 * phi * dl2 * du1 + du1 * du1));
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
    if (reaches(mid))
      hi = mid;
    else
      lo = mid;
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

double normal_cdf(double x) {
  if (std::isnan(x)) return kNaN;
  return boost::math::cdf(Normal(), x);
}

double normal_quantile(double p) {
  if (std::isnan(p) || p < 0.0 || p > 1.0) return kNaN;
  if (p == 0.0) return -kInf;
  if (p == 1.0) return kInf;
  return boost::math::quantile(Normal(), p);
}

double student_t_cdf(double t, double df) {
  if (std::isnan(t) || std::isnan(df) || !(df > 0.0)) return kNaN;
  if (std::isinf(df)) return normal_cdf(t);
  if (std::isinf(t)) return t > 0.0 ? 1.0 : 0.0;
  return boost::math::cdf(StudentT(df), t);
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

Interval newcombe_difference(std::uint64_t k1, std::uint64_t n1, std::uint64_t k2, std::uint64_t n2,
                             double confidence) {
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
    if (x && y)
      ++c.both;
    else if (x)
      ++c.first_only;
    else if (y)
      ++c.second_only;
    else
      ++c.neither;
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

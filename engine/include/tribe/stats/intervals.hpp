#pragma once
// Confidence intervals, p-values and the distribution functions they need.
//
// Everything here is written out with the standard library only (no
// std::*_distribution), so the numbers are deterministic on a given platform:
// only +-*/, sqrt (correctly rounded) and glibc's log/log1p/exp/expm1/erfc/lgamma/
// tan/cos/sin are used.
//
// Conventions
//  * `confidence` is the two-sided coverage, in (0, 1); anything else (NaN
//    included) throws tribe::InputError.
//  * Counts are std::uint64_t; successes > n throws tribe::InputError.
//  * An interval that cannot be computed (no data) has a NaN estimate, and the
//    widest possible bounds for a proportion ([0, 1]; [-1, 1] for a difference),
//    or NaN bounds for a mean.
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace tribe::stats {

/// A point estimate with a two-sided confidence interval [low, high].
struct Interval {
  double estimate;
  double low;
  double high;
};

// ---------------------------------------------------------------------------
// Distribution functions

/// Standard normal CDF, 0.5 * erfc(-x / sqrt 2) (full relative precision in the lower tail).
double normal_cdf(double x);

/// Standard normal quantile: Wichura (1988), Algorithm AS 241 (PPND16), relative
/// accuracy about 1e-16. p = 0 -> -inf, p = 1 -> +inf, p outside [0, 1] or NaN -> NaN.
double normal_quantile(double p);

/// Student t CDF with df > 0 degrees of freedom (df may be non-integer or +inf).
/// For df <= 2e4: P(T > |t|) = I_x(df/2, 1/2) / 2 with x = df / (df + t^2), the regularized
/// incomplete beta function by its continued fraction (modified Lentz), with a log-beta
/// prefactor from an asymptotic series for large df. For df > 2e4 (where that continued
/// fraction starts to lose digits to cancellation): the Cornish-Fisher expansion to order
/// df^-4 inverted by Newton, then the normal tail. df = +inf: the normal CDF. Checked
/// against mpmath for df from 0.3 to 1e7 and |t| up to 1e30: relative error < 3e-14,
/// tails included. df <= 0 or NaN -> NaN.
double student_t_cdf(double t, double df);

/// Student t quantile: Hill (1970), Algorithm 396, as the starting value, refined by
/// safeguarded Newton steps (bisection fallback) on the CDF above; exact closed forms for
/// df = 1 and df = 2; the Cornish-Fisher expansion to order df^-4 for df > 2e4; the normal
/// quantile for df = +inf. Relative accuracy < 1e-12 (checked against mpmath for df from 0.3
/// to 1e7, p from 1e-300 to 1 - 1e-6), except within ~1e-3 of p = 0.5, where the result is
/// accurate to ~1e-16 absolute (t is ~0 there). p = 0 -> -inf, p = 1 -> +inf, and +-inf
/// also when |t| exceeds the double range (tiny df, far tail).
double student_t_quantile(double p, double df);

// ---------------------------------------------------------------------------
// Intervals for proportions

/// Wilson (1927) score interval for successes / n, without continuity correction.
/// n = 0 -> {NaN, 0, 1}. The bounds are exactly 0 when successes = 0 and 1 when successes = n.
Interval wilson(std::uint64_t successes, std::uint64_t n, double confidence = 0.95);

/// Interval for p1 - p2 = k1/n1 - k2/n2 from independent samples: Newcombe (1998),
/// Statistics in Medicine 17:873-890, method 10 (hybrid score, "square and add" of the two
/// Wilson intervals, no continuity correction):
///   low  = d - sqrt((p1 - l1)^2 + (u2 - p2)^2),  high = d + sqrt((u1 - p1)^2 + (p2 - l2)^2).
/// n1 = 0 or n2 = 0 -> {NaN, -1, 1}.
Interval newcombe_difference(std::uint64_t k1, std::uint64_t n1, std::uint64_t k2,
                             std::uint64_t n2, double confidence = 0.95);

/// Paired binary outcomes summarised as a 2x2 table: `both` = pairs with outcome 1 in both
/// arms, `first_only` = 1 in the first arm only, `second_only`, `neither`.
struct PairedCounts {
  std::uint64_t both = 0;
  std::uint64_t first_only = 0;
  std::uint64_t second_only = 0;
  std::uint64_t neither = 0;
  std::uint64_t n() const { return both + first_only + second_only + neither; }
};

/// Tally paired 0/1 outcomes (exactly 0.0 or 1.0; a pair with a NaN on either side is
/// skipped; any other value, or spans of different lengths, throws InputError).
PairedCounts count_pairs(std::span<const double> a, std::span<const double> b);

/// Interval for p1 - p2 = (first_only - second_only) / n on paired data: Newcombe (1998b),
/// Statistics in Medicine 17:2635-2650, method 10 (square and add of the two marginal
/// Wilson intervals, corrected for the correlation phi between the margins):
///   low  = d - sqrt((p1 - l1)^2 - 2 phi (p1 - l1)(u2 - p2) + (u2 - p2)^2),
///   high = d + sqrt((p2 - l2)^2 - 2 phi (p2 - l2)(u1 - p1) + (u1 - p1)^2),
/// with phi = C / sqrt((a+b)(c+d)(a+c)(b+d)), C = ad - bc - n/2 if ad - bc > n/2, 0 if
/// 0 <= ad - bc <= n/2, ad - bc if negative; phi = 0 when a margin is empty. This is the
/// form of Newcombe's paper as implemented in Fagerland, Lydersen & Laake (2017),
/// "Statistical Analysis of Contingency Tables", section 8.5. Bounds clamped to [-1, 1].
/// n = 0 -> {NaN, -1, 1}.
Interval paired_proportion_difference(const PairedCounts& counts, double confidence = 0.95);
/// Same, from paired 0/1 outcome vectors (see count_pairs).
Interval paired_proportion_difference(std::span<const double> a, std::span<const double> b,
                                      double confidence = 0.95);

// ---------------------------------------------------------------------------
// Intervals for means

/// t interval mean +- t_{(1+c)/2, n-1} sd / sqrt(n), sd the sample standard deviation
/// (divisor n - 1). n < 2 -> {mean, NaN, NaN}.
Interval mean_interval(double mean, double sd, std::uint64_t n, double confidence = 0.95);

/// Paired t interval for the mean of a_i - b_i; pairs with a NaN on either side are skipped
/// (two-pass mean and variance). Spans of different lengths throw InputError.
Interval paired_mean_difference(std::span<const double> a, std::span<const double> b,
                                double confidence = 0.95);

// ---------------------------------------------------------------------------
// p-values

/// Two-sided p-value of the pooled two-proportion z test of p1 = p2 (equals the
/// uncorrected Pearson chi-square test of the 2x2 table). NaN if n1 or n2 is 0; 1 when the
/// pooled proportion is 0 or 1 (no variation).
double two_proportion_p_value(std::uint64_t k1, std::uint64_t n1, std::uint64_t k2,
                              std::uint64_t n2);

/// One-sided p-value for a claim "difference > margin" obtained by inverting an interval
/// family: the p-value is the alpha at which the lower bound of the one-sided (1 - alpha)
/// interval (= the two-sided interval of confidence 1 - 2 alpha) equals `margin`.
/// `interval_at(confidence)` must return the two-sided interval at that confidence, with a
/// lower bound that decreases as the confidence grows. When the estimate is below the
/// margin the upper bound is inverted instead and the result is 1 - (p-value of
/// "difference < margin"), so the function is continuous, 0.5 at estimate == margin, and
/// p < alpha exactly when the one-sided lower (1 - alpha) bound lies above `margin`.
/// Resolution: p-values below about 1e-15 are returned as 0 (confidence rounds to 1).
/// For "difference < margin" claims, negate: swap the arms and pass -margin.
double one_sided_p_value_from_interval(const std::function<Interval(double)>& interval_at,
                                       double margin);

/// p-value of "p1 - p2 > margin" by inverting newcombe_difference (see above). Unlike the
/// generic helper, this inverts on the z scale and so resolves p-values down to ~1e-300.
double newcombe_p_value_greater(std::uint64_t k1, std::uint64_t n1, std::uint64_t k2,
                                std::uint64_t n2, double margin);

/// p-value of "p1 - p2 > margin" for paired data by inverting paired_proportion_difference.
double paired_proportion_p_value_greater(const PairedCounts& counts, double margin);

/// One-sided t test of "mean > margin": P(T_{n-1} >= (mean - margin) / (sd / sqrt n)).
/// NaN for n < 2; with sd = 0 it is 0, 0.5 or 1.
double mean_p_value_greater(double mean, double sd, std::uint64_t n, double margin);

/// One-sided paired t test of "mean(a - b) > margin" (NaN pairs skipped).
double paired_mean_p_value_greater(std::span<const double> a, std::span<const double> b,
                                   double margin);

/// Holm (1979) step-down adjusted p-values, in the original order: with p sorted ascending,
/// adj_(i) = max_{j <= i} min(1, (m - j + 1) p_(j)). Monotone in p, capped at 1. NaN entries
/// stay NaN and, as in R's p.adjust, still count in m (conservative). Ties keep input order.
std::vector<double> holm_adjust(std::span<const double> p);

}  // namespace tribe::stats

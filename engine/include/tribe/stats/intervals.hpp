#pragma once
// Confidence intervals, p-values and the distribution functions they need.
//
// The normal and Student t distributions are Boost.Math's (header-only), computed in
// double with errors returned as NaN or +-inf, never thrown; Wilson, Newcombe (independent
// and paired), the paired tallies, the inversion of an interval into a p-value and Holm's
// adjustment, which Boost does not have, are written out here.
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

/// Standard normal CDF. NaN -> NaN.
double normal_cdf(double x);

/// Standard normal quantile. p = 0 -> -inf, p = 1 -> +inf, p outside [0, 1] or NaN -> NaN.
double normal_quantile(double p);

/// Student t CDF with df > 0 degrees of freedom (df may be non-integer or +inf: the normal
/// CDF). df <= 0 or NaN -> NaN.
double student_t_cdf(double t, double df);

/// Student t quantile (df > 0, non-integer or +inf). p = 0 -> -inf, p = 1 -> +inf, and +-inf
/// also when |t| exceeds the double range (tiny df, far tail); df <= 0, p outside [0, 1] or
/// NaN -> NaN.
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
Interval newcombe_difference(std::uint64_t k1, std::uint64_t n1, std::uint64_t k2, std::uint64_t n2,
                             double confidence = 0.95);

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

/// Holm (1979) step-down adjusted p-values, in the original order: with p sorted ascending,
/// adj_(i) = max_{j <= i} min(1, (m - j + 1) p_(j)). Monotone in p, capped at 1. NaN entries
/// stay NaN and, as in R's p.adjust, still count in m (conservative). Ties keep input order.
std::vector<double> holm_adjust(std::span<const double> p);

}  // namespace tribe::stats

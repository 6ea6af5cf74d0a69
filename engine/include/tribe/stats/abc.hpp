#pragma once
// Rejection approximate Bayesian computation (ABC) against tolerance bands
// (Pritchard et al. 1999, Mol. Biol. Evol. 16:1791-1798; Beaumont 2010, Annu. Rev. Ecol.
// Evol. Syst. 41:379-406; for agent-based models van der Vaart et al. 2015, Ecol. Model.
// 312:182-190). The observations are not one number per pattern but a band [low, high]
// stated from the literature, so a simulated statistic's distance is its distance from the
// band in units of the band's width (0 inside it), and a point's distance is the largest
// over its patterns: a point is as far as its worst pattern, as in history matching's
// maximum implausibility (Vernon, Goldstein & Bower 2010, Bayesian Anal. 5:619-669).
// Accepting the points within a distance is the uniform-kernel ABC posterior; accepting
// the closest share of the prior draws is the quantile rule of Beaumont et al. (2002).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace tribe::stats::abc {

/// Distance of an estimate from the band [low, high] in units of its width (high - low):
/// 0 inside the band, +infinity for a NaN estimate (a statistic that cannot be computed
/// never matches).
double band_distance(double estimate, double low, double high);

/// The distance of a point: the largest of its patterns' band distances (0 with none).
double point_distance(std::span<const double> band_distances);

/// The accepted points. With a quantile q (tolerance NaN): the k = ceil(q * n) closest
/// points, and every point tied with the k-th (a rule must not pick among equals by their
/// order); with a tolerance t (quantile NaN): every point at distance <= t. A point at
/// infinite distance is never accepted.
std::vector<std::uint8_t> accept(std::span<const double> distance, double quantile,
                                 double tolerance);

/// The largest distance accepted (NaN when nothing is accepted): the tolerance the rule
/// reached, the epsilon of the ABC posterior.
double tolerance_reached(std::span<const double> distance, std::span<const std::uint8_t> accepted);

/// One calibrated parameter's accepted values summarized: the posterior median and an
/// equal-tailed credible interval (quantiles of the accepted values, linear interpolation
/// between order statistics: Hyndman & Fan 1996, type 7). NaN with no accepted point.
struct Marginal {
  std::uint64_t accepted = 0;
  double median = 0.0, low = 0.0, high = 0.0;
};
Marginal marginal(std::span<const double> values, std::span<const std::uint8_t> accepted,
                  double level);

/// Quantile q of sorted values (type 7); NaN when empty.
double quantile_sorted(std::span<const double> sorted, double q);

}  // namespace tribe::stats::abc

#include "tribe/stats/abc.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "tribe/core/error.hpp"

namespace tribe::stats::abc {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

double band_distance(double estimate, double low, double high) {
  TRIBE_CHECK(low < high, "a band needs low < high");
  if (std::isnan(estimate)) return kInf;
  const double outside = std::max({0.0, low - estimate, estimate - high});
  return outside / (high - low);
}

double point_distance(std::span<const double> band_distances) {
  double d = 0.0;
  for (double v : band_distances) d = std::isnan(v) ? kInf : std::max(d, v);
  return d;
}

std::vector<std::uint8_t> accept(std::span<const double> distance, double quantile,
                                 double tolerance) {
  TRIBE_CHECK(std::isnan(quantile) != std::isnan(tolerance),
              "an acceptance rule is a quantile or a tolerance, exactly one");
  std::vector<std::uint8_t> out(distance.size(), 0);
  double cut = tolerance;
  if (!std::isnan(quantile)) {
    TRIBE_CHECK(quantile > 0.0 && quantile <= 1.0, "quantile must be in (0, 1]");
    std::vector<double> finite;
    for (double d : distance)
      if (std::isfinite(d)) finite.push_back(d);
    if (finite.empty()) return out;
    const auto k =
        static_cast<std::size_t>(std::ceil(quantile * static_cast<double>(distance.size()) - 1e-9));
    const std::size_t kth = std::min(std::max<std::size_t>(k, 1), finite.size()) - 1;
    std::nth_element(finite.begin(), finite.begin() + static_cast<std::ptrdiff_t>(kth),
                     finite.end());
    cut = finite[kth];
  }
  for (std::size_t i = 0; i < distance.size(); ++i)
    out[i] = std::isfinite(distance[i]) && distance[i] <= cut;
  return out;
}

double tolerance_reached(std::span<const double> distance, std::span<const std::uint8_t> accepted) {
  double reached = kNaN;
  for (std::size_t i = 0; i < distance.size() && i < accepted.size(); ++i)
    if (accepted[i]) reached = std::isnan(reached) ? distance[i] : std::max(reached, distance[i]);
  return reached;
}

double quantile_sorted(std::span<const double> sorted, double q) {
  if (sorted.empty()) return kNaN;
  const double h = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

Marginal marginal(std::span<const double> values, std::span<const std::uint8_t> accepted,
                  double level) {
  TRIBE_CHECK(values.size() == accepted.size(), "one acceptance flag per value");
  std::vector<double> kept;
  for (std::size_t i = 0; i < values.size(); ++i)
    if (accepted[i]) kept.push_back(values[i]);
  std::sort(kept.begin(), kept.end());
  Marginal m;
  m.accepted = kept.size();
  m.median = quantile_sorted(kept, 0.5);
  m.low = quantile_sorted(kept, 0.5 - level / 2);
  m.high = quantile_sorted(kept, 0.5 + level / 2);
  return m;
}

}  // namespace tribe::stats::abc

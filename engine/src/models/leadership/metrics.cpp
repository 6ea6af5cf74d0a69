#include "tribe/models/leadership/metrics.hpp"

#include <algorithm>
#include <limits>

namespace tribe::models::leadership {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

double gini(std::span<const std::uint32_t> counts, std::vector<std::uint32_t>& scratch) {
  const std::size_t n = counts.size();
  if (n == 0) return kNaN;
  scratch.assign(counts.begin(), counts.end());
  std::sort(scratch.begin(), scratch.end());
  double total = 0.0, weighted = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    total += scratch[i];
    weighted += static_cast<double>(i + 1) * scratch[i];
  }
  if (total <= 0.0) return kNaN;
  const double dn = static_cast<double>(n);
  return 2.0 * weighted / (dn * total) - (dn + 1.0) / dn;
}

double gini(std::span<const std::uint32_t> counts) {
  std::vector<std::uint32_t> scratch;
  return gini(counts, scratch);
}

double evenness(std::span<const std::uint32_t> counts, std::vector<std::uint32_t>& scratch) {
  return 1.0 - gini(counts, scratch);
}

double breadth(std::span<const std::uint32_t> counts) {
  if (counts.empty()) return kNaN;
  std::size_t with = 0;
  for (const auto c : counts) with += c > 0 ? 1 : 0;
  return static_cast<double>(with) / static_cast<double>(counts.size());
}

double leader_share(std::uint64_t insights_with_top, std::uint64_t insights) {
  if (insights == 0) return kNaN;
  return static_cast<double>(insights_with_top) / static_cast<double>(insights);
}

bool is_distributed(const DistributedThresholds& t, double breadth_value, double evenness_value,
                    double leader_share_value, double aligned_solve_rate) {
  // Comparisons with NaN are false, so an undefined figure never qualifies.
  return breadth_value >= t.breadth && evenness_value >= t.evenness &&
         leader_share_value <= t.leader_share && aligned_solve_rate >= t.solve;
}

}  // namespace tribe::models::leadership

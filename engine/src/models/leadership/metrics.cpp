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
  std::uint64_t total = 0;
  std::uint32_t largest = 0;
  for (const auto c : counts) {
    total += c;
    largest = std::max(largest, c);
  }
  if (total == 0) return kNaN;
  const double dn = static_cast<double>(n);
  // sum_i i x_(i) over the ascending order. Counts are small integers (events per
  // agent), so a counting sort gives it exactly: the h_v entries equal to v hold
  // ranks r_v + 1 .. r_v + h_v (r_v entries are smaller), contributing
  // v (h_v r_v + h_v (h_v + 1) / 2). Integer arithmetic: the same value as summing
  // the sorted copy (also exact while below 2^53), in O(n + largest).
  if (largest <= 4 * static_cast<std::uint64_t>(n) + 64 && n <= (std::size_t{1} << 20)) {
    scratch.assign(static_cast<std::size_t>(largest) + 1, 0);
    for (const auto c : counts) ++scratch[c];
    std::uint64_t weighted = 0, below = 0;
    for (std::uint64_t v = 1; v <= largest; ++v) {
      const std::uint64_t h = scratch[v];
      below += scratch[v - 1];
      weighted += v * (h * below + h * (h + 1) / 2);
    }
    return 2.0 * static_cast<double>(weighted) / (dn * static_cast<double>(total)) -
           (dn + 1.0) / dn;
  }
  scratch.assign(counts.begin(), counts.end());
  std::sort(scratch.begin(), scratch.end());
  double sum = 0.0, weighted = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    sum += scratch[i];
    weighted += static_cast<double>(i + 1) * scratch[i];
  }
  return 2.0 * weighted / (dn * sum) - (dn + 1.0) / dn;
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

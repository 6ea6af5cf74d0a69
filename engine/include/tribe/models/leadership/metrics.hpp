#pragma once
// Outcome metrics of the leadership model, as pure functions testable on
// hand-built inputs.
#include <cstdint>
#include <span>
#include <vector>

namespace tribe::models::leadership {

/// Gini coefficient of non-negative counts over all n entries (zeros included):
/// G = 2 sum_i i x_(i) / (n sum x) - (n + 1) / n with x_(1) <= ... <= x_(n),
/// i.e. the mean absolute difference over all ordered pairs divided by twice the
/// mean. 0 for perfect equality, (n - 1) / n when one entry holds everything.
/// NaN when n == 0 or all counts are 0. `scratch` is working memory (a histogram
/// of the counts when they are small, as events per agent are, else a sorted copy).
double gini(std::span<const std::uint32_t> counts, std::vector<std::uint32_t>& scratch);
double gini(std::span<const std::uint32_t> counts);  // convenience (allocates)

/// 1 - Gini (NaN when undefined).
double evenness(std::span<const std::uint32_t> counts, std::vector<std::uint32_t>& scratch);

/// Share of entries with at least one event (NaN when n == 0).
double breadth(std::span<const std::uint32_t> counts);

/// Share of insights (leadership moments) in which the top leader took part (NaN when none).
double leader_share(std::uint64_t insights_with_top, std::uint64_t insights);

struct DistributedThresholds {
  double breadth = 0.5;       // minimum leadership breadth
  double evenness = 0.5;      // minimum leadership evenness
  double leader_share = 0.5;  // maximum leader share
  double solve = 0.5;         // minimum mission-aligned solve rate
};

/// Distributed leadership: breadth >= t.breadth AND evenness >= t.evenness AND
/// leader_share <= t.leader_share AND aligned_solve_rate >= t.solve. Any NaN
/// input (an undefined figure) makes it false.
bool is_distributed(const DistributedThresholds& t, double breadth, double evenness,
                    double leader_share, double aligned_solve_rate);

}  // namespace tribe::models::leadership

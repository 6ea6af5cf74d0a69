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

/// The leadership network: agents are nodes; two agents are linked when they took part
/// in at least one insight together. `pairs` holds one entry per (insight, pair of its
/// participants) as (lo << 32 | hi), lo < hi, duplicates allowed; it is de-duplicated in
/// place (order not kept). `degree` and `seen` are working memory: up to
/// kNetworkBitsetAgents agents, duplicates are found with an N x N bit matrix in `seen`
/// (O(pairs), left all zero again on return), above it by sorting.
struct NetworkMeasures {
  double density = 0;         // links / (N (N - 1) / 2); 0 without links
  double centralization = 0;  // Freeman degree centralization; NaN without links or N < 3
};
inline constexpr std::int64_t kNetworkBitsetAgents = 4096;  // a 2 MiB matrix at most
NetworkMeasures leadership_network(std::int64_t agents, std::vector<std::uint64_t>& pairs,
                                   std::vector<std::uint32_t>& degree,
                                   std::vector<std::uint64_t>& seen);

/// Freeman (1979) degree centralization of a graph on n nodes from its degrees:
/// sum_i (d_max - d_i) / ((n - 1)(n - 2)), in [0, 1]: 1 for a star, 0 when all degrees
/// are equal. NaN when n < 3 or the graph has no links (an empty network has no centre).
double degree_centralization(std::span<const std::uint32_t> degree);

/// Expected evenness (1 - Gini over all `agents`) of leadership events if every insight
/// were credited to as many participants as it had, drawn uniformly at random without
/// replacement among the agents, insights independently. `insights_by_size[k]` is the
/// number of insights with k participants. Exact (up to truncating binomial tails below
/// 1e-17): with M events in all, E[Gini] = (N - 1) E|X_i - X_j| / (2 M), and X_i - X_j is
/// a simple symmetric random walk over the L insights that hold exactly one of i and j,
/// L ~ sum_k Binomial(n_k, 2 k (N - k) / (N (N - 1))), E|S_2m| = E|S_2m-1| = 2m C(2m, m) 4^-m.
/// NaN without events.
double chance_evenness(std::int64_t agents, std::span<const std::uint64_t> insights_by_size);

/// Evenness relative to chance: evenness / chance_evenness (1: as even as random crediting;
/// below 1: concentrated). NaN when either is undefined or the chance evenness is 0.
double evenness_vs_chance(double evenness, double chance);

struct DistributedThresholds {
  double breadth = 0.5;         // minimum leadership breadth
  double centralization = 0.5;  // maximum leadership-network centralization
};

/// Distributed leadership (a classification of spread, not of success): breadth >=
/// t.breadth AND leadership_centralization <= t.centralization. Any NaN input (an
/// undefined figure) makes it false.
bool is_distributed(const DistributedThresholds& t, double breadth, double centralization);

}  // namespace tribe::models::leadership

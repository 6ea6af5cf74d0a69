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

/// Evenness of credits relative to chance on Simpson's index, for any volume of events.
/// `counts[i]` is the number of credits agent i received, `sum_size_squared` the sum over
/// events of (credits per event)^2 (an event credits distinct agents: 1 for a reliance
/// event, k for an insight with k participants). With M credits in all,
///   H = sum_i x_i (x_i - 1) / (M^2 - sum_size_squared)
/// is the share of ordered pairs of credits from different events that went to the same
/// agent: an unbiased estimate of the concentration sum_i pi_i^2 of the process that
/// directs the events (Simpson 1949), whatever their number, and exactly 1 / N in
/// expectation when every event goes to agents drawn uniformly at random. Returned:
///   (1 - H) / (1 - 1 / N)
/// 1 = as even as chance, 0 = one agent receives every credit; at most N / (N - 1) (more
/// even than chance). NaN with fewer than 2 agents or no two credits from different events.
double simpson_evenness_vs_chance(std::span<const std::uint32_t> counts,
                                  std::uint64_t sum_size_squared);

/// Concentration of the reliance network (docs/model.md §7.11). A reliance event is
/// directed from an agent to another it escalates to, turns to as a lateral partner, is
/// routed through, or asks to join, whatever the outcome; `in_weight[i]` counts the
/// events directed at agent i and `formal[i]` is 1 when agent i has reports. Each figure
/// estimates a property of the process that directs reliance, not of the number of
/// events; NaN without events (and evenness with fewer than two).
struct RelianceMeasures {
  double top_share = 0;           // max_i w_i / W
  double formal_share = 0;        // sum_{i formal} w_i / W
  double evenness_vs_chance = 0;  // simpson_evenness_vs_chance(w, W)
};
RelianceMeasures reliance_measures(std::span<const std::uint32_t> in_weight,
                                   std::span<const std::uint8_t> formal);

/// Share of all events received by the k = ceil(fraction N) agents that received the most
/// (ties broken arbitrarily: the share is the same), e.g. fraction 0.05 for "the top 5% of
/// people" (Cross, Rebele & Grant 2016). NaN without events; fraction in (0, 1].
/// `scratch` is working memory.
double top_fraction_share(std::span<const std::uint32_t> in_weight, double fraction,
                          std::vector<std::uint32_t>& scratch);

/// Thresholds of the `distributed` classification (configuration: every claim on it is
/// reported with its curve over each threshold's range).
/// Defaults, stated before any run with their reasons (docs/model.md §7.11): nobody
/// receives more than a quarter of all reliance; at most half of it goes to formal
/// leaders (the rest flows across the chart); and reliance is no more concentrated than
/// a Herfindahl index of about 0.15 (the "unconcentrated" bound of the U.S. merger
/// guidelines, 2010): (1 - 0.15) / (1 - 1/100) = 0.859, rounded down to 0.85.
struct DistributedThresholds {
  double top_share = 0.25;          // maximum reliance_top_share
  double formal_share = 0.5;        // maximum reliance_formal_share
  double reliance_evenness = 0.85;  // minimum reliance_evenness_vs_chance
};

/// Distributed leadership (a classification of spread, not of success), on reliance
/// measures that do not move with the volume of events: reliance_top_share <=
/// t.top_share, reliance_formal_share <= t.formal_share and reliance_evenness_vs_chance
/// >= t.reliance_evenness. Any NaN input (an undefined figure) makes it false.
bool is_distributed(const DistributedThresholds& t, double top_share, double formal_share,
                    double reliance_evenness);

/// The classification of models 2.0.0-4.0.0 on the success-only leadership network,
/// kept as `distributed_network` for the history of definitions: breadth >= breadth_min
/// AND leadership_centralization <= centralization_max. It grows more centralized with
/// the volume of insights and ignores challenges that die in a queue (issue 25).
bool is_distributed_network(double breadth_min, double centralization_max, double breadth,
                            double centralization);

}  // namespace tribe::models::leadership

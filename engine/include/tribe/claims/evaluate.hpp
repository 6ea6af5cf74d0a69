#pragma once
// Evaluation of an experiment's claims on its results, with verdicts controlled
// for multiple comparisons (Holm) and a robustness check over the thresholds of
// derived outcomes. Works from per-organization data read cell by cell, so it runs
// the same on a finished run, a merged set of shards or a file read back later.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tribe/claims/claim.hpp"
#include "tribe/claims/report.hpp"
#include "tribe/design/plan.hpp"

namespace tribe::claims {

/// Bootstrap replicates of a rank correlation's percentile interval (rank_correlation_within).
inline constexpr int kRankCorrelationReplicates = 1000;

/// Evaluates every claim (of the experiment of `plan`: claims/parse.hpp) at the
/// experiment's report confidence. `rank_replicates`: the bootstrap replicates of rank
/// correlations (a calibration's per-point intervals, descriptive only, use fewer).
std::vector<ClaimResult> evaluate(const design::RunPlan& plan, const std::vector<ClaimSpec>& claims,
                                  const CellData& data,
                                  int rank_replicates = kRankCorrelationReplicates);

/// Decides the verdicts of one family of claims: Holm over the two one-sided tests of each
/// (the claim and its opposite); supported if the claim's adjusted p < 1 - confidence, not
/// supported if the opposite's is, else inconclusive; always inconclusive with a reason.
void decide(std::vector<ClaimResult>& results, double confidence);

/// Variance shares (main-effect eta² of the design; a Sobol index only on a balanced full
/// factorial, not on a sampled design cut into strata) of `column` over
/// every factor and sampled range of the design, from all organizations.
VarianceShares variance_shares(const design::RunPlan& plan, const CellData& data,
                               const std::string& column);

/// What the robustness evaluation keeps in memory at most (the inputs and values of
/// derived columns re-derived under other thresholds); beyond it, it reads them again.
inline constexpr std::size_t kRederiveCacheBytes = std::size_t{256} << 20;

/// Everything a report holds: claims, variance decompositions, robustness. The report
/// does not depend on `cache_bytes`, only the memory and time it takes.
Report build_report(const design::RunPlan& plan, const std::vector<ClaimSpec>& claims,
                    const CellData& data, std::size_t cache_bytes = kRederiveCacheBytes);

}  // namespace tribe::claims

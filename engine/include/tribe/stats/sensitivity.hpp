#pragma once
// Variance-based global sensitivity indices from a Saltelli design (Saltelli et al. 2010,
// "Variance based sensitivity analysis of model output", Comput. Phys. Commun. 181:259-270).
//
// For base point j the model output is known at A_j, B_j and AB_i,j (A_j with coordinate i
// taken from B_j). With V the variance of the outputs at every A_j and B_j:
//   first order  S_i  = (1/N) sum_j f(B_j) (f(AB_i,j) - f(A_j)) / V      (Saltelli 2010, eq. b)
//   total order  ST_i = (1/2N) sum_j (f(A_j) - f(AB_i,j))^2 / V          (Jansen 1999, eq. f)
// Outputs are centred on the mean of f(A) and f(B) first (it changes nothing in expectation
// and removes the noise a large mean adds to the first-order product). A base point with a
// NaN output anywhere is left out. Intervals: percentile bootstrap over base points
// (resampled with replacement, `replicates` times, from a seeded Philox stream), so they
// hold the uncertainty of the design; the same seed gives the same intervals.
#include <cstdint>
#include <span>
#include <vector>

namespace tribe::stats {

struct SobolIndices {
  std::vector<double> first, first_low, first_high;  // per dimension
  std::vector<double> total, total_low, total_high;
  std::uint64_t base_points = 0;  // base points used (no NaN output)
  double variance = 0.0;          // V; NaN indices when it is 0 or fewer than 2 points remain
};

/// `a[j]`, `b[j]` and `ab[i][j]`: outputs at A_j, B_j, AB_i,j for N base points and k
/// dimensions (every span of length N; otherwise InputError).
SobolIndices sobol_indices(std::span<const double> a, std::span<const double> b,
                           const std::vector<std::vector<double>>& ab, double confidence,
                           std::uint64_t seed, std::uint64_t replicates = 1000);

/// A difference of sums of indices, sum_{i in group_a} S_i - sum_{i in group_b} S_i (first
/// or total order), and the standard deviation of the same difference over the bootstrap
/// of sobol_indices (the same seed resamples the same base points, so the difference's
/// spread includes the correlation of its indices).
struct IndexDifference {
  double estimate = 0.0;
  double se = 0.0;  // bootstrap standard error (NaN with fewer than 2 base points)
  std::uint64_t base_points = 0;
};
IndexDifference sobol_index_difference(std::span<const double> a, std::span<const double> b,
                                       const std::vector<std::vector<double>>& ab,
                                       const std::vector<std::size_t>& group_a,
                                       const std::vector<std::size_t>& group_b, bool total,
                                       std::uint64_t seed, std::uint64_t replicates = 1000);

}  // namespace tribe::stats

#pragma once
// Variance decomposition of an outcome over the factors of a (factorial) design.
//
// For each factor f with levels l, the main-effect sum of squares is
//   SS_f = sum_l n_l (mean_l - grand_mean)^2,
// and eta^2_f = SS_f / SS_total, SS_total = sum_i (y_i - grand_mean)^2. The share of the
// variance not explained by the main effects is 1 - sum_f eta^2_f (interactions plus
// replicate noise).
//
// First-order Sobol indices. S_f = Var(E[Y | X_f]) / Var(Y). On a full factorial design
// with equal replication (every combination of levels observed equally often), the levels
// of each factor are uniform and independent of the other factors, and the plug-in
// estimator of Var(E[Y | X_f]) is SS_f / N while that of Var(Y) is SS_total / N, so the
// estimate of S_f is exactly eta^2_f: `first_order_sobol` returns eta^2 (the plug-in
// estimate; it is biased upwards by about (L_f - 1) sigma^2 / SS_total with L_f levels
// and replicate noise variance sigma^2, and no bias correction is applied so that the
// indices stay in [0, 1] and add up with `unexplained_share`). On an unbalanced design
// the main effects are not orthogonal: eta^2 then measures each factor's marginal
// association, the sum can exceed 1, and `unexplained_share` can be negative; check
// `balanced_full_factorial`.
//
// Numerics: two passes (grand mean by compensated summation, then centred sums), so the
// result does not suffer from the cancellation of the one-pass sum-of-squares formula.
// Observations with a NaN outcome are skipped.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace tribe::stats {

struct VarianceDecomposition {
  std::size_t n_used = 0;                 ///< observations with a non-NaN outcome
  double grand_mean = 0.0;                ///< NaN when n_used = 0
  double ss_total = 0.0;                  ///< sum of squared deviations from grand_mean
  std::vector<std::size_t> levels;        ///< per factor: number of levels observed
  std::vector<double> ss_between;         ///< per factor: main-effect sum of squares
  std::vector<double> eta_squared;        ///< per factor: ss_between / ss_total
  std::vector<double> first_order_sobol;  ///< per factor: equal to eta_squared (see above)
  double unexplained_share = 0.0;         ///< 1 - sum(eta_squared)
  bool balanced_full_factorial = false;   ///< every level combination seen equally often
};

/// Decompose the variance of `values` over the factors. `factors[f][i]` is the level index
/// (0-based, < 2^24) of observation i for factor f; every factor span must have the same
/// length as `values` (otherwise tribe::InputError). When ss_total is 0 (constant outcome,
/// or fewer than two observations) eta^2 and the Sobol indices are NaN and
/// unexplained_share is NaN.
VarianceDecomposition decompose_variance(std::span<const std::span<const std::uint32_t>> factors,
                                         std::span<const double> values);

}  // namespace tribe::stats

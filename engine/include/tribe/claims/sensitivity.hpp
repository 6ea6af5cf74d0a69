#pragma once
// Global sensitivity of every outcome column over a Sobol design (design.sampling =
// "sobol"): first- and total-order indices of each range and of the inert dummy, on cell
// means (each design point is one cell of organizations_per_cell organizations), with
// bootstrap intervals over base points. See tribe/stats/sensitivity.hpp for the estimators.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tribe/design/plan.hpp"
#include "tribe/stats/sensitivity.hpp"

namespace tribe::claims {

struct ColumnSensitivity {
  std::string column;
  std::vector<std::string> names;  // the ranges, then design::kSobolDummy
  stats::SobolIndices indices;
};

/// A Sobol design's per-cell values in the estimators' layout: a and b (one value per base
/// point) and ab[i] (range i, the dummy last), from `value(cell)` of every cell.
struct SobolSamples {
  std::vector<double> a, b;
  std::vector<std::vector<double>> ab;
};
SobolSamples sobol_samples(const design::RunPlan& plan,
                           const std::function<double(std::uint64_t)>& value);

/// `cell_mean(column, cell)`: the mean of model column `column` (index into the model's
/// columns) over the organizations of `cell` (NaN when it has none). Empty unless the
/// experiment's design is a Sobol design.
std::vector<ColumnSensitivity> sobol_sensitivity(
    const design::RunPlan& plan,
    const std::function<double(std::size_t, std::uint64_t)>& cell_mean);

}  // namespace tribe::claims

#include "tribe/claims/sensitivity.hpp"

#include "tribe/core/error.hpp"

namespace tribe::claims {

std::vector<ColumnSensitivity> sobol_sensitivity(
    const design::RunPlan& plan,
    const std::function<double(std::size_t, std::uint64_t)>& cell_mean) {
  const auto& x = plan.experiment();
  std::vector<ColumnSensitivity> out;
  if (x.sampling != design::Sampling::Sobol) return out;
  TRIBE_CHECK(x.factorial_count() == 1, "a Sobol design with factors");
  const std::size_t k = x.ranges.size() + 1;  // with the dummy
  std::vector<std::string> names;
  for (const auto& r : x.ranges) names.push_back(r.name);
  names.emplace_back(design::kSobolDummy);
  const auto columns = x.model->columns();
  for (std::size_t col = 0; col < columns.size(); ++col) {
    std::vector<double> a(x.points), b(x.points);
    std::vector<std::vector<double>> ab(k, std::vector<double>(x.points));
    for (const auto& cell : plan.cells()) {
      const auto role = design::sobol_role(x, cell.point);
      const double m = cell_mean(col, cell.index);
      if (role.role == 0)
        a[role.base] = m;
      else if (role.role == 1)
        b[role.base] = m;
      else
        ab[role.role - 2][role.base] = m;
    }
    out.push_back({std::string(columns[col].name), names,
                   stats::sobol_indices(a, b, ab, x.report.confidence, x.seed)});
  }
  return out;
}

}  // namespace tribe::claims

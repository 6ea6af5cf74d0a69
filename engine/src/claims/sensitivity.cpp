#include "tribe/claims/sensitivity.hpp"

#include "tribe/core/error.hpp"
#include "tribe/core/stop.hpp"

namespace tribe::claims {

SobolSamples sobol_samples(const design::RunPlan& plan,
                           const std::function<double(std::uint64_t)>& value) {
  const auto& x = plan.experiment();
  SobolSamples s{
      std::vector<double>(x.points), std::vector<double>(x.points),
      std::vector<std::vector<double>>(x.ranges.size() + 1, std::vector<double>(x.points))};
  for (const auto& cell : plan.cells()) {
    const auto role = design::sobol_role(x, cell.point);
    const double v = value(cell.index);
    if (role.role == 0)
      s.a[role.base] = v;
    else if (role.role == 1)
      s.b[role.base] = v;
    else
      s.ab[role.role - 2][role.base] = v;
  }
  return s;
}

std::vector<ColumnSensitivity> sobol_sensitivity(
    const design::RunPlan& plan,
    const std::function<double(std::size_t, std::uint64_t)>& cell_mean) {
  const auto& x = plan.experiment();
  std::vector<ColumnSensitivity> out;
  if (x.sampling != design::Sampling::Sobol) return out;
  TRIBE_CHECK(x.factorial_count() == 1, "a Sobol design with factors");
  std::vector<std::string> names;
  for (const auto& r : x.ranges) names.push_back(r.name);
  names.emplace_back(design::kSobolDummy);
  const auto columns = x.model->columns();
  for (std::size_t col = 0; col < columns.size(); ++col) {
    stop_point("computing the Sobol indices");
    const auto s = sobol_samples(plan, [&](std::uint64_t cell) { return cell_mean(col, cell); });
    out.push_back({std::string(columns[col].name), names,
                   stats::sobol_indices(s.a, s.b, s.ab, x.report.confidence, x.seed)});
  }
  return out;
}

}  // namespace tribe::claims

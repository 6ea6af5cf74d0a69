// The result file of a run, or of a merge, from its parts: rows and cells assembled by io/,
// then the Sobol indices, the claims, the patterns and the calibration computed on them.
#include <cmath>

#include "internal.hpp"
#include "tribe/claims/calibrate.hpp"
#include "tribe/claims/evaluate.hpp"
#include "tribe/claims/parse.hpp"
#include "tribe/claims/sensitivity.hpp"
#include "tribe/core/error.hpp"
#include "tribe/io/assembly.hpp"
#include "tribe/io/claims_store.hpp"
#include "tribe/io/row_reader.hpp"

namespace tribe::job::detail {

std::vector<claims::ClaimSpec> read_claims(const design::Experiment& x) {
  try {
    auto specs = claims::parse_claims_and_patterns(x);
    std::vector<claims::ClaimSpec> patterns;
    for (const auto& c : specs)
      if (c.pattern) patterns.push_back(c);
    claims::check_calibration(x, patterns);
    return specs;
  } catch (const InputError& e) {
    throw InputError(x.source_path + ": " + e.what());
  }
}

void write_result(const std::vector<io::PartInfo>& parts, const design::RunPlan& plan,
                  const std::vector<claims::ClaimSpec>& specs, const fs::path& target,
                  bool overwrite, const io::RunInfo& info) {
  std::vector<claims::ClaimSpec> claim_specs, pattern_specs;
  for (const auto& c : specs) (c.pattern ? pattern_specs : claim_specs).push_back(c);
  io::ResultWriter writer(target, plan, overwrite);
  writer.set_compression_threads(info.threads);  // 0 (a merge): all cores
  const exec::RunResult result = io::assemble(parts, plan, writer);
  writer.write_cells(result);
  if (!result.stopped) {
    io::write_sensitivity(writer, plan,
                          claims::sobol_sensitivity(plan, [&](std::size_t col, std::uint64_t cell) {
                            const auto& a = result.cells.at(cell).columns.at(col);
                            return a.n ? a.mean : NAN;
                          }));
    // Claims are evaluated on the rows just written, read back cell by cell.
    if (!claim_specs.empty())
      io::write_report(
          writer, plan, claim_specs,
          claims::build_report(plan, claim_specs, io::read_back(writer, result.segments)));
    // Patterns: one family of their own, apart from the claims.
    if (!pattern_specs.empty())
      io::write_patterns(
          writer, plan, pattern_specs,
          claims::evaluate(plan, pattern_specs, io::read_back(writer, result.segments)));
    // Calibration: the patterns at every calibration point, the accepted region.
    if (plan.experiment().calibration.enabled())
      io::write_calibration(
          writer, plan, pattern_specs,
          claims::calibrate(plan, pattern_specs, io::read_back(writer, result.segments),
                            info.threads));
  }
  writer.finish(info);
}

}  // namespace tribe::job::detail

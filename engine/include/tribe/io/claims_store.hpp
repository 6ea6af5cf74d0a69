#pragma once
// The claims report and the sensitivity indices in a result file (docs/hdf5-format.md):
// what the job layer evaluated, written to /claims (and /variance) and /sensitivity, and
// read back as plain data (io/stored_report.hpp) for the report (report/format.hpp).
// io/ stores claims; it never evaluates them (claims/evaluate.hpp, called by job/) nor
// formats them.
#include <string>
#include <vector>

#include "tribe/claims/calibrate.hpp"
#include "tribe/claims/claim.hpp"
#include "tribe/claims/report.hpp"
#include "tribe/claims/sensitivity.hpp"
#include "tribe/design/plan.hpp"
#include "tribe/io/result_file.hpp"
#include "tribe/io/stored_report.hpp"

namespace tribe::io {

/// Writes /claims (and /claims/robustness, /variance) into a result file being written:
/// the report of `claims` (the experiment's, claims/parse.hpp).
void write_report(ResultWriter& writer, const design::RunPlan& plan,
                  const std::vector<claims::ClaimSpec>& claims, const claims::Report& report);

/// Writes /patterns into a result file being written: the patterns of the experiment
/// (claims/parse.hpp, parse_patterns) with their results, decided as one family.
void write_patterns(ResultWriter& writer, const design::RunPlan& plan,
                    const std::vector<claims::ClaimSpec>& patterns,
                    const std::vector<claims::ClaimResult>& results);

/// Writes /calibration into a result file being written: every calibration point's
/// calibrated values, pattern estimates and distance, the accepted set, the marginals of
/// the accepted region and the patterns re-evaluated over it (docs/hdf5-format.md).
void write_calibration(ResultWriter& writer, const design::RunPlan& plan,
                       const std::vector<claims::ClaimSpec>& patterns,
                       const claims::Calibration& calibration);

/// Writes /sensitivity (first- and total-order Sobol indices of every column, with their
/// intervals) into a result file being written when the experiment's design is a Sobol design.
void write_sensitivity(ResultWriter& writer, const design::RunPlan& plan,
                       const std::vector<claims::ColumnSensitivity>& indices);

/// Reads the stored report of a result file: its provenance, and its /sensitivity and
/// /claims groups where it has them. `file` names the file in a study's report.
StoredReport read_report(const ResultReader& file, const std::string& name = "");

}  // namespace tribe::io

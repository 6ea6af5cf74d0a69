#pragma once
// The claims report of result files as text or Markdown (`tribe report`), from the report
// as stored (io/stored_report.hpp, read by io::read_report): formatting needs no HDF5 and
// evaluates nothing (a study's verdicts are decided by decide_study, report/study.hpp).
#include <ostream>
#include <vector>

#include "tribe/claims/claim.hpp"
#include "tribe/io/stored_report.hpp"
#include "tribe/report/study.hpp"

namespace tribe::report {

enum class Format { Text, Markdown };

/// Prints the report of one result file: sensitivity indices, claims (Holm over the claims
/// of the file), sweeps, threshold curves, and the assumption-space scenarios of the claims
/// that have them.
void print_report(const io::StoredReport& report, std::ostream& out, Format format);

/// Prints the claims of several result files as one study, with the verdicts decide_study
/// gave them (one family, named in the report).
void print_study(const Study& study, std::ostream& out, Format format);

}  // namespace tribe::report

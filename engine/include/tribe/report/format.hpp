#pragma once
// The claims report of result files as text or Markdown (`tribe report`), from the report
// as stored (io/stored_report.hpp, read by io::read_report): formatting needs no HDF5 and
// evaluates nothing (a study's verdicts are decided by the caller's `decide`).
#include <functional>
#include <ostream>
#include <vector>

#include "tribe/claims/claim.hpp"
#include "tribe/io/stored_report.hpp"

namespace tribe::report {

enum class Format { Text, Markdown };

/// Prints the report of one result file: sensitivity indices, claims (Holm over the claims
/// of the file), sweeps, threshold curves, and the assumption-space scenarios of the claims
/// that have them.
void print_report(const io::StoredReport& report, std::ostream& out, Format format);

/// Decides the verdicts of one family of claims at a confidence (claims::decide).
using DecideVerdicts = std::function<void(std::vector<claims::ClaimResult>&, double confidence)>;

/// Prints the claims of several result files as one study: Holm over every claim of every
/// file (one family, named in the report), each verdict decided anew by `decide` from the
/// stored unadjusted p-values. Files with claims must share one report confidence (else
/// InputError naming the files, by StoredClaims::file).
void print_study(const std::vector<io::StoredReport>& reports, std::ostream& out, Format format,
                 const DecideVerdicts& decide);

}  // namespace tribe::report

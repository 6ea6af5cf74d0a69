#pragma once
// Several result files as one study: the verdicts of every claim of every file decided
// anew as one family (Holm over the two one-sided tests of each claim), from the
// unadjusted p-values the files store.
#include <string>
#include <vector>

#include "tribe/io/stored_report.hpp"

namespace tribe::report {

struct Study {
  /// The files' reports, each claim's Holm p-values and verdict replaced by the study's.
  std::vector<io::StoredReport> reports;
  /// "experiment (file.h5), ..." in the order given.
  std::string names;
  std::size_t claims = 0;
};

/// Decides the study's verdicts (claims::decide over all claims at their shared report
/// confidence). Files with claims must share one confidence: else InputError naming the
/// two files (by StoredClaims::file).
Study decide_study(const std::vector<io::StoredReport>& reports);

}  // namespace tribe::report

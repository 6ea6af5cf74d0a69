#pragma once
// A readable summary of a result file (`tribe inspect`): provenance, the design,
// and per-cell rates and means with their 95% intervals.
#include <ostream>
#include <string>
#include <vector>

#include "tribe/io/result_file.hpp"

namespace tribe::report {

struct SummaryOptions {
  std::vector<std::string> columns;  // empty: every column of cells/stats, drawn and outcome
  bool show_experiment = false;      // print the stored experiment file
  bool allow_incomplete = false;     // summarize an incomplete file instead of refusing it
};

void print_summary(const io::ResultReader& file, std::ostream& out, const SummaryOptions& options);
/// Validates a result file as `tribe inspect` does before it prints (io/validate.hpp): every
/// dataset and attribute a reader uses, the strings' digest, the format version. Throws
/// InputError/DamagedFileError or EnvironmentError with one line.
void check_result(const std::string& file, bool allow_incomplete);
/// `tribe inspect FILE`: opens (and validates) the file, then prints its summary.
void print_summary(const std::string& file, std::ostream& out, const SummaryOptions& options);

}  // namespace tribe::report

#pragma once
// A readable summary of a result file (`tribe inspect`): provenance, the design,
// and per-cell rates and means with their 95% intervals.
#include <ostream>
#include <string>
#include <vector>

#include "tribe/io/result_file.hpp"

namespace tribe::io {

struct SummaryOptions {
  std::vector<std::string> columns;  // empty: every column of cells/stats, drawn and outcome
  bool show_experiment = false;      // print the stored experiment file
};

void print_summary(const ResultReader& file, std::ostream& out, const SummaryOptions& options);

}  // namespace tribe::io

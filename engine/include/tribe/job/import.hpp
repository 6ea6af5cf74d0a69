#pragma once
// `tribe import` (and tribe.from_table): a table of results written by another tool turned
// into a tribe result file, so that `tribe report` gives verdicts, Holm, robustness and
// figures for claims about a model tribe never ran (docs/importing-results.md).
//
// The table's runs become the organizations of a factorial design: its factors are the
// parameter columns that vary across runs, its cells their combinations (every one must be
// in the table), the replicates of a cell its organizations, the outcome columns the
// model's columns. A model built from the table ("imported": each cell's organization k
// is the cell's k-th run) is run through the ordinary job with the user's claims, so the
// result is an ordinary result file; its root attributes imported_from, imported_format,
// imported_checksum and imported_rules say where its rows came from and by which rules.
// Formats: a Mesa batch_run table (RunId, iteration, Step, parameters, reporters), NetLogo
// BehaviorSpace table output ("[run number]", variables, "[step]", metrics) and
// spreadsheet output (one column per run and metric).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tribe/job/job.hpp"

namespace tribe::job {

struct ImportRequest {
  std::string table;                   // the table's path
  std::string output;                  // the result file to write
  std::string format = "auto";         // auto | mesa | netlogo-table | netlogo-spreadsheet
  std::optional<std::string> claims;   // a TOML file of [report], [[claims]], [[patterns]]
  std::vector<std::string> factors;    // empty: inferred (parameters that vary across runs)
  std::vector<std::string> outcomes;   // empty: inferred (the numeric reporters/metrics)
  std::optional<std::int64_t> step;    // unset: the last step of each run
  std::string replicates = "equal";    // equal: uneven cells are an error; min: first n of each
  bool common_random_numbers = false;  // replicate k used the same seed in every cell
  std::optional<std::string> name;     // the experiment's name (default: the table's stem)
  std::optional<std::string> source;   // what imported_from records (default: the path)
  bool overwrite = false;
  std::string command_line;
  std::function<void(const std::string&)> note;  // what was inferred, for the user
};

struct ImportResult {
  JobResult job;
  std::vector<std::string> rules;  // what was inferred and which rules applied (the echo)
};

/// Reads the table, infers (or takes) its design, and writes the result file with the
/// claims evaluated. A row or cell that does not fit is an InputError of one line,
/// "TABLE:LINE: column NAME: what is wrong (what is allowed)", before anything is written.
ImportResult import_table(const ImportRequest& request);

}  // namespace tribe::job

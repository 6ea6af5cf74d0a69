#pragma once
// The first step of `tribe import` (job/import.cpp): another tool's table read into runs,
// one chosen row of parameters and outcomes per run, whatever the format (Mesa batch_run,
// BehaviorSpace table and spreadsheet), and the value rules shared by the import's steps.
// Internal to job/.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tribe/io/table.hpp"
#include "tribe/job/import.hpp"

namespace tribe::job::import_detail {

struct Cell {
  std::string text;
  std::size_t line = 0;
};

/// Throws InputError `FILE:LINE: column NAME: what`.
[[noreturn]] void bad(const std::string& file, std::size_t line, const std::string& column,
                      const std::string& what);
std::string trim(std::string_view s);
std::optional<double> as_number(std::string_view text);
std::optional<double> as_boolean(std::string_view text);
bool is_nan_text(std::string_view text);
/// An outcome cell as a number (true/false as 1/0, NaN as undefined), or bad().
double outcome_value(const std::string& file, const std::string& column, const Cell& c);
/// A column's name as tribe names columns and parameters ("count sheep" -> count_sheep).
std::string tribe_name(const std::string& column);
/// A TOML basic string of `s` (quoted, escaped).
std::string toml_string(const std::string& s);
/// The shortest text that reads back as `v`.
std::string shortest(double v);

/// One run of the other tool: its id, its replicate order and the cells of the row chosen
/// for it (its parameters and outcomes), and every row it has (to check that a parameter
/// does not change within a run).
struct Run {
  std::string id;
  double order = 0;  // the replicate's order within its cell (Mesa: iteration)
  double id_order = 0;
  std::string replicate;  // the replicate's label as the table writes it ("" if none)
  std::map<std::string, Cell> values;
  std::vector<std::size_t> rows;  // record indices of the run's rows (long formats)
};

struct Source {
  std::string format, label;
  std::string id_column, replicate_column;
  std::vector<std::string> parameters;  // columns that may be parameters, in table order
  std::vector<std::string> outcomes;    // columns that may be outcomes, in table order
  std::vector<std::string> columns;     // every column a user may name
  std::vector<Run> runs;
  std::vector<std::string> rules;
  bool infer_prefix = false;  // Mesa: the parameters are a prefix of the candidates
  std::vector<io::TableRecord> records;
  std::vector<std::string> header;
  bool netlogo = false;
};

/// Reads `text` (the table at `file`) in the request's format ("auto": recognized).
Source read_source(const std::string& file, const std::string& text, const ImportRequest& q);

}  // namespace tribe::job::import_detail

// `tribe import`: a table of another tool's runs into a result file (job/import.hpp).
// Three steps: the table read into runs (one chosen row of outcomes per run, whatever the
// format), the design inferred from the runs (factors, cells, replicates, outcome kinds),
// and the ordinary job run on a model built from them.
#include "tribe/job/import.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <mutex>
#include <set>

#include "import_source.hpp"
#include "tribe/catalog/registry.hpp"
#include "tribe/core/error.hpp"
#include "tribe/core/text.hpp"
#include "tribe/design/experiment.hpp"
#include "tribe/design/toml_input.hpp"
#include "tribe/io/table.hpp"

namespace tribe::job {
namespace {
namespace fs = std::filesystem;
using io::TableRecord;
using namespace import_detail;

constexpr const char* kModelName = "imported";

// ---------------------------------------------------------------- the design

struct Factor {
  std::string column, name;
  model::ParamType type = model::ParamType::Real;
  std::vector<std::string> choices;  // Choice
  std::vector<double> levels;        // encoded, ascending
  double value(const std::string& text) const {
    if (type == model::ParamType::Real) return *as_number(text);
    if (type == model::ParamType::Boolean) return *as_boolean(text);
    return static_cast<double>(std::find(choices.begin(), choices.end(), trim(text)) -
                               choices.begin());
  }
  std::string level_text(double v) const {
    if (type == model::ParamType::Real) return shortest(v);
    if (type == model::ParamType::Boolean) return v != 0 ? "true" : "false";
    return choices[static_cast<std::size_t>(v)];
  }
};

Factor make_factor(const std::string& column, const std::vector<Run>& runs) {
  Factor f{column, tribe_name(column), model::ParamType::Real, {}, {}};
  std::set<std::string> texts;
  for (const auto& r : runs) texts.insert(trim(r.values.at(column).text));
  const bool numbers =
      std::all_of(texts.begin(), texts.end(), [](auto& t) { return !!as_number(t); });
  const bool booleans =
      std::all_of(texts.begin(), texts.end(), [](auto& t) { return !!as_boolean(t); });
  f.type = numbers    ? model::ParamType::Real
           : booleans ? model::ParamType::Boolean
                      : model::ParamType::Choice;
  if (f.type == model::ParamType::Choice) f.choices.assign(texts.begin(), texts.end());
  std::set<double> levels;
  for (const auto& t : texts) levels.insert(f.value(t));
  f.levels.assign(levels.begin(), levels.end());
  return f;
}

std::size_t distinct(const std::vector<Run>& runs, const std::string& column) {
  std::set<std::string> v;
  for (const auto& r : runs) v.insert(trim(r.values.at(column).text));
  return v.size();
}

/// Mesa: the parameters are the shortest prefix of the columns after Step that tells the
/// runs of one iteration apart, with the columns constant over every run that follow it.
std::vector<std::string> mesa_parameters(const Source& s, const std::string& file) {
  std::size_t n = 0;
  for (;; ++n) {
    std::set<std::vector<std::string>> seen;
    bool unique = true;
    for (const auto& r : s.runs) {
      std::vector<std::string> key{r.replicate};
      for (std::size_t i = 0; i < n; ++i) key.push_back(trim(r.values.at(s.parameters[i]).text));
      unique = seen.insert(key).second && unique;
    }
    if (unique) break;
    if (n == s.parameters.size())
      throw InputError(file +
                       ": two runs have the same iteration and the same value in every "
                       "column (a run given twice?); name the parameters with --factors");
  }
  while (n < s.parameters.size() && distinct(s.runs, s.parameters[n]) == 1) ++n;
  return {s.parameters.begin(), s.parameters.begin() + static_cast<std::ptrdiff_t>(n)};
}

void require_column(const Source& s, const std::string& option, const std::string& c,
                    const std::string& file) {
  if (std::find(s.columns.begin(), s.columns.end(), c) == s.columns.end())
    throw InputError(option + ": " + c + " is not a column of " + file +
                     " (columns: " + join(s.columns, ", ") + ")");
}

// ---------------------------------------------------------------- the model

class TableCell final : public model::CellModel {
 public:
  TableCell(const std::vector<double>& rows, std::size_t columns)
      : rows_(rows), columns_(columns) {}
  void simulate(const model::OrgContext& ctx, model::Workspace&,
                std::span<double> row) const override {
    TRIBE_CHECK((ctx.organization + 1) * columns_ <= rows_.size(),
                "an organization beyond the replicates of an imported cell");
    const auto first = rows_.begin() + static_cast<std::ptrdiff_t>(ctx.organization * columns_);
    std::copy(first, first + static_cast<std::ptrdiff_t>(columns_), row.begin());
  }

 private:
  const std::vector<double>& rows_;
  std::size_t columns_;
};

/// The model of the table being imported: its parameters the factors, its columns the
/// outcomes, organization k of a cell that cell's k-th replicate. One instance, registered
/// once, filled by each import (imports in one process take turns).
class TableModel final : public model::Model {
 public:
  std::string_view name() const override { return kModelName; }
  std::string_view version() const override { return "1"; }
  std::string_view description() const override { return description_; }
  std::span<const model::ParameterSpec> parameters() const override { return parameters_; }
  std::span<const model::ColumnSpec> columns() const override { return columns_; }
  void validate(const model::ParameterValues&) const override {}
  std::unique_ptr<const model::CellModel> bind(const model::ParameterValues& v) const override {
    const auto it = cells_.find(v);
    TRIBE_CHECK(it != cells_.end(), "a cell of the imported design that the table lacks");
    return std::make_unique<TableCell>(it->second, columns_.size());
  }
  std::unique_ptr<model::Workspace> make_workspace() const override {
    return std::make_unique<model::Workspace>();
  }

  std::string description_;
  std::vector<model::ParameterSpec> parameters_;
  std::vector<model::ColumnSpec> columns_;
  std::map<std::vector<double>, std::vector<double>> cells_;
};

TableModel& table_model() {
  static TableModel m;
  return m;
}

std::string describe_cell(const std::vector<Factor>& factors, const std::vector<double>& key) {
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < factors.size(); ++i)
    parts.push_back(factors[i].column + " = " + factors[i].level_text(key[i]));
  return "(" + join(parts, ", ") + ")";
}

std::string read_claims_text(const std::optional<std::string>& path) {
  if (!path) return "";
  const std::string text = io::read_table_file(*path);
  try {
    const toml::table root = design::toml_input::parse(text, *path);
    design::toml_input::reject_unknown_keys(root, "", {"report", "claims", "patterns"});
  } catch (const InputError& e) {
    throw InputError(*path + ": " + e.what() +
                     " (a claims file for tribe import holds [report], [[claims]] and "
                     "[[patterns]]; tribe writes [experiment] and [factors] from the table)");
  }
  return text;
}

}  // namespace

ImportResult import_table(const ImportRequest& q) {
  static std::mutex one_import_at_a_time;
  const std::lock_guard hold(one_import_at_a_time);
  ImportResult result;
  auto& rules = result.rules;
  const auto say = [&](const std::string& s) {
    rules.push_back(s);
    if (q.note) q.note(s);
  };
  if (q.output.empty()) throw InputError("-o/--output is empty: expected the result file to write");
  if (q.replicates != "equal" && q.replicates != "min")
    throw InputError("--replicates " + q.replicates + " is not allowed: expected equal or min");
  if (q.step && *q.step < 0)
    throw InputError("--step " + std::to_string(*q.step) +
                     " is not allowed: expected a non-negative integer");
  const std::string& file = q.table;
  const std::string text = io::read_table_file(file);
  {
    std::error_code ec;
    if (fs::equivalent(fs::path(q.output), fs::path(file), ec))
      throw InputError("the output " + q.output +
                       " is the table itself; write the result to "
                       "another file");
  }
  const std::string checksum = io::checksum(text);
  const std::string claims_text = read_claims_text(q.claims);
  Source s = read_source(file, text, q);
  say(file + ": " + s.label + " (" + s.format + "), " + std::to_string(s.runs.size()) + " runs, " +
      checksum);
  for (const auto& r : s.rules) say(r);

  // Factors: named, or the parameters that vary across runs.
  std::vector<std::string> parameters = s.parameters;
  if (!q.factors.empty()) {
    for (const auto& f : q.factors) require_column(s, "--factors", f, file);
    parameters = q.factors;
  } else if (s.infer_prefix) {
    parameters = mesa_parameters(s, file);
  }
  std::vector<Factor> factors;
  std::vector<std::string> constants;
  for (const auto& p : parameters) {
    if (q.factors.empty() && distinct(s.runs, p) == 1)
      constants.push_back(p + " = " + trim(s.runs.front().values.at(p).text));
    else
      factors.push_back(make_factor(p, s.runs));
  }
  // A parameter is the same at every step of a run.
  for (const auto& run : s.runs)
    for (const std::size_t r : run.rows)
      for (const auto& f : factors) {
        const auto at = std::find(s.header.begin(), s.header.end(), f.column) - s.header.begin();
        std::string v = trim(s.records[r].fields[static_cast<std::size_t>(at)]);
        if (s.netlogo && v.size() >= 2 && v.front() == '"' && v.back() == '"')
          v = v.substr(1, v.size() - 2);
        const std::string want = trim(run.values.at(f.column).text);
        if (v != want)
          bad(file, s.records[r].line, f.column,
              "\"" + v + "\" differs from \"" + want + "\" in another row of " + s.id_column + " " +
                  run.id + " (a parameter is the same at every step of a run)");
      }
  std::sort(factors.begin(), factors.end(),
            [](const Factor& a, const Factor& b) { return a.name < b.name; });
  for (std::size_t i = 1; i < factors.size(); ++i)
    if (factors[i].name == factors[i - 1].name)
      throw InputError("the columns " + factors[i - 1].column + " and " + factors[i].column +
                       " both become the factor " + factors[i].name + " in tribe");
  {
    std::vector<std::string> described;
    for (const auto& f : factors) {
      std::vector<std::string> levels;
      for (const double v : f.levels) levels.push_back(f.level_text(v));
      described.push_back(f.name + (f.name != f.column ? " (column \"" + f.column + "\")" : "") +
                          " = [" + join(levels, ", ") + "]");
    }
    say("factors" +
        std::string(q.factors.empty() ? " (the parameters that vary across runs)" : "") + ": " +
        (described.empty() ? "none (one cell)" : join(described, "; ")));
    if (!constants.empty()) say("constant (not factors): " + join(constants, ", "));
  }

  // Outcomes: named, or every numeric column that is neither an id nor a parameter.
  std::vector<std::string> outcome_columns;
  if (!q.outcomes.empty()) {
    for (const auto& o : q.outcomes) {
      require_column(s, "--outcomes", o, file);
      if (std::find(parameters.begin(), parameters.end(), o) != parameters.end())
        throw InputError("--outcomes: " + o + " is a parameter of the runs, not an outcome");
    }
    outcome_columns = q.outcomes;
  } else {
    std::vector<std::string> text_columns;
    for (const auto& c : s.outcomes) {
      if (std::find(parameters.begin(), parameters.end(), c) != parameters.end()) continue;
      // A column of text (no run holds a number there) is not an outcome; one number makes
      // it an outcome, and then every other cell must be a number too.
      const bool numeric = std::any_of(s.runs.begin(), s.runs.end(), [&](const Run& r) {
        const auto it = r.values.find(c);
        return it == r.values.end() || as_number(it->second.text) || as_boolean(it->second.text) ||
               is_nan_text(it->second.text);
      });
      if (numeric)
        outcome_columns.push_back(c);
      else
        text_columns.push_back(c);
    }
    if (!text_columns.empty())
      say("not outcomes (no run holds a number there): " + join(text_columns, ", "));
  }
  if (outcome_columns.empty())
    throw InputError(file + ": no outcome columns (name them with --outcomes)");

  // Cells: every combination of the factors' levels, each with its runs in replicate order.
  std::map<std::vector<double>, std::vector<const Run*>> cells;
  for (const auto& run : s.runs) {
    std::vector<double> key;
    for (const auto& f : factors) key.push_back(f.value(run.values.at(f.column).text));
    cells[key].push_back(&run);
  }
  std::size_t combinations = 1;
  for (const auto& f : factors) combinations *= f.levels.size();
  if (cells.size() != combinations) {
    std::vector<double> key(factors.size());
    std::vector<std::size_t> index(factors.size(), 0);
    for (;;) {
      for (std::size_t i = 0; i < factors.size(); ++i) key[i] = factors[i].levels[index[i]];
      if (!cells.count(key))
        throw InputError(file + ": no run has " + describe_cell(factors, key) +
                         ": the imported design must be a full factorial of the levels seen (" +
                         std::to_string(cells.size()) + " of " + std::to_string(combinations) +
                         " combinations have runs); name fewer --factors, or leave the runs of "
                         "a partial level out of the table");
      std::size_t i = 0;
      while (i < factors.size() && ++index[i] == factors[i].levels.size()) index[i++] = 0;
      TRIBE_CHECK(i < factors.size(), "a missing combination that was not found");
    }
  }
  const std::string order_by = s.replicate_column.empty() ? s.id_column : s.replicate_column;
  std::size_t fewest = SIZE_MAX, most = 0;
  for (auto& [key, runs] : cells) {
    std::sort(runs.begin(), runs.end(), [](const Run* a, const Run* b) {
      return a->order != b->order ? a->order < b->order : a->id_order < b->id_order;
    });
    fewest = std::min(fewest, runs.size());
    most = std::max(most, runs.size());
  }
  if (fewest != most && q.replicates == "equal") {
    const auto uneven = std::find_if(cells.begin(), cells.end(),
                                     [&](const auto& c) { return c.second.size() != most; });
    const auto full = std::find_if(cells.begin(), cells.end(),
                                   [&](const auto& c) { return c.second.size() == most; });
    throw InputError(file + ": cell " + describe_cell(factors, uneven->first) + " has " +
                     std::to_string(uneven->second.size()) + " runs, cell " +
                     describe_cell(factors, full->first) + " has " + std::to_string(most) +
                     ": every cell needs the same number of replicates (--replicates min keeps "
                     "the first " +
                     std::to_string(fewest) + " runs of each cell, by " + order_by + ")");
  }
  std::vector<std::string> left_out;
  for (auto& [key, runs] : cells) {
    for (std::size_t k = fewest; k < runs.size(); ++k)
      left_out.push_back(s.id_column + " " + runs[k]->id);
    runs.resize(fewest);
  }
  say("replicates: " + std::to_string(fewest) + " per cell, " + std::to_string(cells.size()) +
      " cells; organization k of a cell is its k-th run by " + order_by +
      (fewest != most ? "; --replicates min left out " + std::to_string(left_out.size()) +
                            " runs: " + join(left_out, ", ")
                      : ""));
  if (q.common_random_numbers) {
    const auto& first = cells.begin()->second;
    for (const auto& [key, runs] : cells)
      for (std::size_t k = 0; k < runs.size(); ++k)
        if (runs[k]->replicate != first[k]->replicate)
          throw InputError("--common-random-numbers: replicate " + std::to_string(k) + " of cell " +
                           describe_cell(factors, key) + " is " + order_by + " " +
                           runs[k]->replicate + ", of cell " +
                           describe_cell(factors, cells.begin()->first) + " " +
                           first[k]->replicate + " (paired replicates carry the same label)");
    say("random numbers: common (replicate k used the same seed in every cell): paired tests "
        "pair organization k of each cell");
  } else {
    say("random numbers: independent across cells (--common-random-numbers if replicate k used "
        "the same seed in every cell)");
  }

  // The outcomes' values and kinds.
  TableModel& m = table_model();
  m.cells_.clear();
  m.columns_.clear();
  m.parameters_.clear();
  std::vector<model::ColumnKind> kinds(outcome_columns.size(), model::ColumnKind::Binary);
  for (auto& [key, runs] : cells) {
    auto& rows = m.cells_[key];
    for (const Run* run : runs)
      for (std::size_t c = 0; c < outcome_columns.size(); ++c) {
        const auto it = run->values.find(outcome_columns[c]);
        const double v = outcome_value(file, outcome_columns[c],
                                       it == run->values.end() ? Cell{"", 0} : it->second);
        rows.push_back(v);
        auto& k = kinds[c];
        if (std::isnan(v) || v < 0 || v != std::floor(v) || v > 4294967295.0)
          k = model::ColumnKind::Real;
        else if (k == model::ColumnKind::Binary && v != 0 && v != 1)
          k = model::ColumnKind::Count;
      }
  }
  std::vector<std::string> described;
  std::set<std::string> names;
  for (const auto& f : factors) names.insert(f.name);
  for (std::size_t c = 0; c < outcome_columns.size(); ++c) {
    const std::string name = tribe_name(outcome_columns[c]);
    if (!names.insert(name).second)
      throw InputError("the column " + outcome_columns[c] + " becomes " + name +
                       " in tribe, a name another factor or outcome has");
    m.columns_.push_back(model::column(name, kinds[c], model::ColumnRole::Outcome,
                                       "column \"" + outcome_columns[c] + "\" of " + file));
    described.push_back(
        name + " (" + std::string(model::to_string(kinds[c])) +
        (name != outcome_columns[c] ? ", column \"" + outcome_columns[c] + "\"" : "") + ")");
  }
  say("outcomes: " + join(described, ", ") +
      " (binary: every value 0 or 1; count: non-negative integers; else real)");
  for (const auto& f : factors) {
    model::ParameterSpec p;
    p.name = f.name;
    p.type = f.type;
    p.min = f.levels.front();
    p.max = f.levels.back();
    p.default_value = f.levels.front();
    p.choices = f.choices;
    p.description = "column \"" + f.column + "\" of " + file;
    m.parameters_.push_back(std::move(p));
  }
  m.description_ = "the runs of " + file + " (" + s.label + ", " + checksum + ")";
  if (!catalog::is_registered(kModelName)) catalog::register_model(m);
  if (&catalog::find_model(kModelName) != &m)
    throw InputError("another model is registered as \"" + std::string(kModelName) +
                     "\"; tribe import cannot register its own");

  // The experiment: the user's claims first (their lines keep their numbers), then the design.
  std::string name = q.name.value_or(tribe_name(fs::path(file).stem().string()));
  std::string x = claims_text;
  if (!x.empty() && x.back() != '\n') x += '\n';
  x += "\n# Written by tribe import from " + file + " (" + s.format + ", " + checksum + ")\n";
  x += "[experiment]\nname = " + toml_string(name) +
       "\ndescription = " + toml_string(m.description_) + "\nmodel = \"" + kModelName +
       "\"\nseed = 0\norganizations_per_cell = " + std::to_string(fewest) +
       "\noutput = " + toml_string(q.output) +
       "\ncommon_random_numbers = " + (q.common_random_numbers ? "true" : "false") + "\n";
  if (!factors.empty()) {
    x += "\n[factors]\n";
    for (const auto& f : factors) {
      std::vector<std::string> levels;
      for (const double v : f.levels)
        levels.push_back(f.type == model::ParamType::Choice ? toml_string(f.level_text(v))
                                                            : f.level_text(v));
      x += f.name + " = [" + join(levels, ", ") + "]\n";
    }
  }
  const design::Experiment experiment =
      design::parse_experiment(x, q.claims.value_or("<" + file + ">"));

  JobOptions o;
  o.output = q.output;
  o.overwrite = q.overwrite;
  o.run.backend = exec::Backend::Serial;
  o.run.threads = 1;
  o.command_line = q.command_line;
  o.note = q.note;
  std::string joined;
  for (const auto& r : rules) joined += (joined.empty() ? "" : "\n") + r;
  o.sources = {{"imported_from", q.source.value_or(file)},
               {"imported_format", s.format},
               {"imported_checksum", checksum},
               {"imported_rules", joined}};
  result.job = run_job(experiment, o);
  return result;
}

}  // namespace tribe::job

// `tribe import`, step one: the table read into runs (import_source.hpp).
#include "import_source.hpp"

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

#include "tribe/core/error.hpp"
#include "tribe/core/text.hpp"

namespace tribe::job::import_detail {
using io::TableRecord;

// ---------------------------------------------------------------- values and errors

[[noreturn]] void bad(const std::string& file, std::size_t line, const std::string& column,
                      const std::string& what) {
  throw InputError(file + ":" + std::to_string(line) + ": column " + column + ": " + what);
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

std::optional<double> as_number(std::string_view text) {
  const std::string s = trim(text);
  double v = 0;
  const char* first = s.data() + (s.starts_with('+') ? 1 : 0);
  const auto [end, ec] = std::from_chars(first, s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v))
    return std::nullopt;
  return v;
}

std::optional<double> as_boolean(std::string_view text) {
  std::string s = trim(text);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  if (s == "true") return 1.0;
  if (s == "false") return 0.0;
  return std::nullopt;
}

bool is_nan_text(std::string_view text) {
  std::string s = trim(text);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s == "nan";
}

/// A value of an outcome: a number, true/false (1/0) or NaN (a real value left undefined).
double outcome_value(const std::string& file, const std::string& column, const Cell& c) {
  if (const auto v = as_number(c.text)) return *v;
  if (const auto b = as_boolean(c.text)) return *b;
  if (is_nan_text(c.text)) return NAN;
  bad(file, c.line, column,
      (trim(c.text).empty() ? std::string("empty cell") : "\"" + c.text + "\" is not a number") +
          " (expected a number, true/false, or NaN for a value left undefined; an empty cell is "
          "not read as NaN)");
}

/// The column's name in tribe: letters, digits, _ and - ("count sheep" -> count_sheep).
std::string tribe_name(const std::string& column) {
  std::string out;
  for (const unsigned char c : column) {
    const bool keep = std::isalnum(c) || c == '-' || c == '_';
    if (keep)
      out += static_cast<char>(c);
    else if (!out.empty() && out.back() != '_')
      out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.empty()) out = "column";
  if (out == "cell" || out == "organization") out += "_";  // names of /organizations datasets
  return out;
}

std::string toml_string(const std::string& s) {
  std::string out = "\"";
  for (const unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char u[8];
      std::snprintf(u, sizeof u, "\\u%04x", c);
      out += u;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string shortest(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, r.ptr);
  return s;
}

// ---------------------------------------------------------------- the table, as runs

double order_of(const std::string& id, std::size_t fallback) {
  const auto v = as_number(id);
  return v ? *v : static_cast<double>(fallback);
}

/// A "long" table: one row per run and step (and per agent, in Mesa with agent reporters).
void read_long(Source& s, const std::string& file, std::size_t header_at,
               const std::string& step_column, const std::string& agent_column,
               const std::optional<std::int64_t>& step) {
  const auto& recs = s.records;
  if (recs.size() <= header_at) throw InputError(file + ": the table has no header row");
  auto header = recs[header_at].fields;
  const bool pandas_index = !header.empty() && header[0].empty();  // to_csv's index
  std::map<std::string, std::size_t> at;
  for (std::size_t i = pandas_index ? 1 : 0; i < header.size(); ++i) {
    if (!at.emplace(header[i], i).second)
      bad(file, recs[header_at].line, header[i], "appears twice in the header");
  }
  for (const auto& need : {s.id_column, step_column}) {
    if (!at.count(need))
      bad(file, recs[header_at].line, need,
          "missing from the header (" + s.label + " has the columns " + s.id_column +
              (s.replicate_column.empty() ? "" : ", " + s.replicate_column) + " and " +
              step_column + ")");
  }
  if (!s.replicate_column.empty() && !at.count(s.replicate_column))
    bad(file, recs[header_at].line, s.replicate_column, "missing from the header");
  const std::size_t agent = at.count(agent_column) ? at[agent_column] : header.size();
  const std::size_t step_at = at[step_column];
  // Mesa: parameters and model reporters after Step; NetLogo: variables before [step].
  for (std::size_t i = pandas_index ? 1 : 0; i < agent; ++i) {
    const std::string& c = header[i];
    if (c == s.id_column || c == s.replicate_column || c == step_column) continue;
    s.columns.push_back(c);
    if (s.netlogo) {
      (i < step_at ? s.parameters : s.outcomes).push_back(c);
    } else {
      s.parameters.push_back(c);
      s.outcomes.push_back(c);
    }
  }
  s.header = header;
  // Rows, grouped into runs in the order they first appear.
  std::map<std::string, std::size_t> run_of;
  std::vector<std::vector<std::pair<std::int64_t, std::size_t>>> steps;  // (step, record)
  for (std::size_t r = header_at + 1; r < recs.size(); ++r) {
    const auto& f = recs[r].fields;
    if (f.size() == 1 && trim(f[0]).empty()) continue;  // a blank line
    if (f.size() != header.size())
      throw InputError(file + ":" + std::to_string(recs[r].line) + ": " + std::to_string(f.size()) +
                       " fields, the header has " + std::to_string(header.size()) +
                       " (every row needs a cell per column)");
    const std::string id = trim(f[at[s.id_column]]);
    if (id.empty()) bad(file, recs[r].line, s.id_column, "empty cell (expected the run's id)");
    const auto st = as_number(f[step_at]);
    if (!st || *st != std::floor(*st) || *st < 0)
      bad(file, recs[r].line, step_column,
          "\"" + f[step_at] + "\" is not a step (expected a non-negative integer)");
    auto [it, fresh] = run_of.emplace(id, s.runs.size());
    if (fresh) {
      Run run;
      run.id = id;
      run.id_order = order_of(id, s.runs.size());
      if (!s.replicate_column.empty()) {
        run.replicate = trim(f[at[s.replicate_column]]);
        const auto o = as_number(run.replicate);
        if (!o)
          bad(file, recs[r].line, s.replicate_column,
              "\"" + run.replicate + "\" is not a replicate number (expected an integer)");
        run.order = *o;
      } else {
        run.order = run.id_order;
      }
      s.runs.push_back(std::move(run));
      steps.emplace_back();
    }
    Run& run = s.runs[it->second];
    if (!s.replicate_column.empty() && trim(f[at[s.replicate_column]]) != run.replicate)
      bad(file, recs[r].line, s.replicate_column,
          "\"" + f[at[s.replicate_column]] + "\" differs from " + run.replicate + " on line " +
              std::to_string(recs[run.rows.front()].line) + " (one replicate number per run " +
              s.id_column + ")");
    run.rows.push_back(r);
    steps[it->second].emplace_back(static_cast<std::int64_t>(*st), r);
  }
  if (s.runs.empty()) throw InputError(file + ": the table has no rows after its header");
  // The row of each run at the chosen step (the last by default).
  for (std::size_t k = 0; k < s.runs.size(); ++k) {
    Run& run = s.runs[k];
    auto& st = steps[k];
    std::int64_t lo = st.front().first, hi = lo;
    for (const auto& [v, r] : st) lo = std::min(lo, v), hi = std::max(hi, v);
    const std::int64_t want = step.value_or(hi);
    std::vector<std::size_t> chosen;
    for (const auto& [v, r] : st)
      if (v == want) chosen.push_back(r);
    if (chosen.empty())
      bad(file, recs[run.rows.front()].line, step_column,
          s.id_column + " " + run.id + " has no row at step " + std::to_string(want) +
              " (its steps are " + std::to_string(lo) + ".." + std::to_string(hi) +
              "; choose a step every run has, or leave --step out for each run's last)");
    if (chosen.size() > 1 && agent == header.size())
      bad(file, recs[chosen[1]].line, step_column,
          s.id_column + " " + run.id + " has a second row at step " + std::to_string(want) +
              " (first on line " + std::to_string(recs[chosen[0]].line) +
              "; expected one row per run and step)");
    const auto& first = recs[chosen[0]];
    for (const auto& c : s.columns) run.values[c] = Cell{first.fields[at[c]], first.line};
    // Agent rows: a model reporter is the same in every agent row of a run and step.
    for (std::size_t i = 1; i < chosen.size(); ++i)
      for (const auto& c : s.columns)
        if (recs[chosen[i]].fields[at[c]] != first.fields[at[c]])
          bad(file, recs[chosen[i]].line, c,
              "\"" + recs[chosen[i]].fields[at[c]] + "\" differs from \"" + first.fields[at[c]] +
                  "\" in another agent row of " + s.id_column + " " + run.id + " (line " +
                  std::to_string(first.line) + "); only model-level columns can be imported");
  }
  if (agent != header.size())
    s.rules.push_back("agent rows (" + agent_column +
                      "): the model-level columns of the first agent row of each run and step; "
                      "the agent reporters after " +
                      agent_column + " are left out");
  s.rules.push_back(step ? "step: each run's row at " + step_column + " = " + std::to_string(*step)
                         : "step: the last step of each run (its largest " + step_column + ")");
}

/// Strips NetLogo's own quotes from a string value ("""flat""" in the CSV, "flat" read).
void unquote_netlogo(Source& s) {
  for (auto& run : s.runs)
    for (auto& [c, cell] : run.values)
      if (cell.text.size() >= 2 && cell.text.front() == '"' && cell.text.back() == '"')
        cell.text = cell.text.substr(1, cell.text.size() - 2);
}

/// BehaviorSpace spreadsheet output: one column per run and metric (and, from NetLogo 6.4,
/// a [step] column per run); the variables in the first column of each run; the [final]
/// row (or the last row of the run data) gives each run's outcomes.
void read_spreadsheet(Source& s, const std::string& file, const std::optional<std::int64_t>& step) {
  if (step)
    throw InputError(
        "--step " + std::to_string(*step) +
        ": a BehaviorSpace spreadsheet is imported at each run's final values; export the "
        "table format to choose a step");
  const auto& recs = s.records;
  std::size_t r = 6;
  while (r < recs.size() && recs[r].fields[0] != "[run number]") ++r;
  if (r == recs.size()) throw InputError(file + ": no \"[run number]\" row (spreadsheet format)");
  const auto& runs_row = recs[r].fields;
  std::map<std::string, std::size_t> run_of;
  std::vector<std::size_t> column_run(runs_row.size(), SIZE_MAX);
  for (std::size_t j = 1; j < runs_row.size(); ++j) {
    const std::string id = trim(runs_row[j]);
    if (id.empty()) continue;
    auto [it, fresh] = run_of.emplace(id, s.runs.size());
    if (fresh) {
      Run run;
      run.id = id;
      run.id_order = run.order = order_of(id, s.runs.size());
      s.runs.push_back(std::move(run));
    }
    column_run[j] = it->second;
  }
  // Variables: one row each, until the reporters' row or the steps' row.
  std::size_t v = r + 1;
  for (; v < recs.size() && !recs[v].fields[0].starts_with("["); ++v) {
    const std::string name = recs[v].fields[0];
    s.parameters.push_back(name);
    s.columns.push_back(name);
    for (std::size_t j = 1; j < recs[v].fields.size() && j < column_run.size(); ++j)
      if (column_run[j] != SIZE_MAX && !trim(recs[v].fields[j]).empty() &&
          !s.runs[column_run[j]].values.count(name))
        s.runs[column_run[j]].values[name] = Cell{recs[v].fields[j], recs[v].line};
  }
  // Metrics: the [reporter] row names them and the [final] row holds the final values; without
  // them (metrics measured at the end only), the run data's header and its last row.
  const auto find_row = [&](std::initializer_list<const char*> names) -> std::size_t {
    for (std::size_t i = v; i < recs.size(); ++i)
      for (const char* n : names)
        if (recs[i].fields[0] == n) return i;
    return recs.size();
  };
  std::size_t names_at = find_row({"[reporter]"}), values_at = find_row({"[final]"});
  bool last_row = false;
  if (names_at == recs.size() || values_at == recs.size()) {
    names_at = find_row({"[all run data]", "[final value]", "[initial & final values]"});
    if (names_at == recs.size())
      throw InputError(file +
                       ": no \"[reporter]\" and \"[final]\" rows and no run data "
                       "(\"[all run data]\"): the spreadsheet holds no metric values");
    last_row = true;
    s.rules.push_back("outcomes: each run's last value in the run data (spreadsheet)");
  } else {
    s.rules.push_back("outcomes: each run's [final] value (spreadsheet)");
  }
  const auto& names = recs[names_at].fields;
  for (std::size_t j = 1; j < names.size() && j < column_run.size(); ++j) {
    if (column_run[j] == SIZE_MAX || names[j] == "[step]" || names[j].empty()) continue;
    if (std::find(s.outcomes.begin(), s.outcomes.end(), names[j]) == s.outcomes.end()) {
      s.outcomes.push_back(names[j]);
      s.columns.push_back(names[j]);
    }
    Cell cell{"", recs[names_at].line};
    if (!last_row) {
      if (j < recs[values_at].fields.size())
        cell = Cell{recs[values_at].fields[j], recs[values_at].line};
    } else {
      for (std::size_t i = names_at + 1; i < recs.size(); ++i)
        if (j < recs[i].fields.size() && !trim(recs[i].fields[j]).empty())
          cell = Cell{recs[i].fields[j], recs[i].line};
    }
    s.runs[column_run[j]].values[names[j]] = cell;
  }
  for (const auto& run : s.runs)
    for (const auto& p : s.parameters)
      if (!run.values.count(p))
        bad(file, r, p, "no value for [run number] " + run.id + " (expected one per run)");
}

Source read_source(const std::string& file, const std::string& text, const ImportRequest& q) {
  Source s;
  s.records = io::parse_csv(text, file);
  if (s.records.empty()) throw InputError(file + ": the table is empty");
  const bool netlogo = s.records[0].fields[0].starts_with("BehaviorSpace results");
  std::string format = q.format;
  if (format == "auto") {
    if (!netlogo)
      format = "mesa";
    else if (s.records.size() > 6 && s.records[6].fields.size() > 1 &&
             s.records[6].fields[0] == "[run number]" &&
             std::find(s.records[6].fields.begin(), s.records[6].fields.end(), "[step]") !=
                 s.records[6].fields.end())
      format = "netlogo-table";
    else
      format = "netlogo-spreadsheet";
  } else if (format != "mesa" && format != "netlogo-table" && format != "netlogo-spreadsheet") {
    throw InputError("--format " + format +
                     " is not allowed: expected auto, mesa, netlogo-table or netlogo-spreadsheet");
  }
  if (format != "mesa" && !netlogo)
    throw InputError(file +
                     ":1: not a BehaviorSpace output (its first line is \"BehaviorSpace "
                     "results (NetLogo ...)\"; --format " +
                     format + ")");
  s.format = format;
  s.netlogo = netlogo;
  if (format == "mesa") {
    s.label = "a Mesa batch_run table";
    s.id_column = "RunId";
    s.replicate_column = "iteration";
    s.infer_prefix = true;
    read_long(s, file, 0, "Step", "AgentID", q.step);
  } else if (format == "netlogo-table") {
    s.label = "a BehaviorSpace table";
    s.id_column = "[run number]";
    read_long(s, file, 6, "[step]", "", q.step);
    unquote_netlogo(s);
  } else {
    s.label = "a BehaviorSpace spreadsheet";
    s.id_column = "[run number]";
    read_spreadsheet(s, file, q.step);
    unquote_netlogo(s);
  }
  return s;
}

}  // namespace tribe::job::import_detail

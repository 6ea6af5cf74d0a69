#include "tribe/job/request.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "tribe/core/error.hpp"
#include "tribe/core/text.hpp"
#include "tribe/exec/runner.hpp"
#include "tribe/model/model.hpp"

namespace tribe::job {
namespace {

constexpr std::int64_t kMaxSeed = INT64_MAX;
constexpr std::int64_t kMaxThreads = 4096;
constexpr std::int64_t kDefaultMaxOrgsPerCell = 10'000'000;

/// How the caller writes an option: --ci-width (command line) or ci_width (Python).
std::string option(const char* name, Spelling s) {
  std::string out(name);
  if (s == Spelling::python) return out;
  for (auto& c : out)
    if (c == '_') c = '-';
  return "--" + out;
}

/// An option with its value, as the caller writes it: `--seed 5` or `seed = 5`.
std::string given(const char* name, const std::string& value, Spelling s) {
  return s == Spelling::python ? option(name, s) + " = " + value : option(name, s) + " " + value;
}

/// The shortest text that reads back as v (0.9, not 0.90000000000000002).
std::string number(double v) {
  char buffer[32];
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, v);
    if (!std::isfinite(v) || std::strtod(buffer, nullptr) == v) break;
  }
  return buffer;
}

std::int64_t whole(const char* name, std::int64_t v, std::int64_t low, std::int64_t high,
                   const std::string& range, Spelling s) {
  if (v < low || v > high)
    throw InputError(given(name, std::to_string(v), s) +
                     " is not allowed: expected an integer in " + range);
  return v;
}

}  // namespace

ResolvedRun resolve(const RunRequest& q, Spelling s) {
  // The options that need no experiment first: a mistake costs no parsing.
  if (q.output && q.output->empty())
    throw InputError(
        (s == Spelling::python ? std::string("output = \"\"") : std::string("-o/--output \"\"")) +
        " is not allowed: expected the path of the file to write");
  if (q.seed) whole("seed", *q.seed, 0, kMaxSeed, "[0, 2^63-1]", s);
  if (q.orgs_per_cell)
    whole("orgs_per_cell", *q.orgs_per_cell, 1,
          static_cast<std::int64_t>(design::kMaxOrganizationsPerCell), "[1, 10^12]", s);
  if (q.threads) whole("threads", *q.threads, 1, kMaxThreads, "[1, 4096]", s);
  whole("rows_per_part", q.rows_per_part, 1, std::int64_t{1} << 40, "[1, 2^40]", s);
  if (q.max_orgs_per_cell)
    whole("max_orgs_per_cell", *q.max_orgs_per_cell, 1,
          static_cast<std::int64_t>(design::kMaxOrganizationsPerCell), "[1, 10^12]", s);
  if (q.ci_width && !(std::isfinite(*q.ci_width) && *q.ci_width >= 1e-6 && *q.ci_width <= 0.5))
    throw InputError(given("ci_width", number(*q.ci_width), s) +
                     " is not allowed: expected a number in [1e-06, 0.5]");
  if (q.max_orgs_per_cell && !q.ci_width)
    throw InputError(option("max_orgs_per_cell", s) + " needs " + option("ci_width", s) +
                     " (it caps the organizations a precision target adds)");
  if (!q.ci_columns.empty() && !q.ci_width)
    throw InputError(option("ci_columns", s) + " needs " + option("ci_width", s) +
                     " (the half-width to reach)");
  if (q.shard && q.ci_width)
    throw InputError(option("shard", s) + " and " + option("ci_width", s) +
                     " cannot be combined: a precision target decides over all cells at once");

  ResolvedRun r;
  JobOptions& o = r.options;
  try {
    o.run.backend = exec::parse_backend(q.backend);
  } catch (const InputError&) {
    throw InputError(given("backend", q.backend, s) +
                     " is not allowed: expected serial, openmp or tbb");
  }
  if (q.shard) o.shard = parse_shard(*q.shard);

  design::Experiment& x = r.experiment;
  x = q.experiment_text ? design::parse_experiment(*q.experiment_text, q.experiment_path)
                        : design::load_experiment(q.experiment_path);
  if (q.seed) x.seed = static_cast<std::uint64_t>(*q.seed);
  if (q.orgs_per_cell) x.organizations_per_cell = static_cast<std::uint64_t>(*q.orgs_per_cell);

  o.output = q.output ? std::filesystem::path(*q.output) : std::filesystem::path(x.output);
  o.create_output_directory = !q.output;
  o.overwrite = q.overwrite;
  o.resume = q.resume;
  o.rows_per_part = static_cast<std::uint64_t>(q.rows_per_part);
  o.command_line = q.command_line;
  o.run.threads = q.threads ? static_cast<unsigned>(*q.threads) : 0u;
  if (q.ci_width) {
    const auto cap =
        static_cast<std::uint64_t>(q.max_orgs_per_cell.value_or(kDefaultMaxOrgsPerCell));
    if (cap < x.organizations_per_cell)
      throw InputError(given("max_orgs_per_cell", std::to_string(cap), s) +
                       " is below the organizations per cell of the first round (" +
                       std::to_string(x.organizations_per_cell) + ")");
    o.precision = exec::PrecisionTarget{*q.ci_width, cap, x.report.confidence, {}};
    const auto columns = x.model->columns();
    for (const auto& name : q.ci_columns) {
      const auto k = model::find_column(columns, name);
      if (k == model::npos) {
        std::vector<std::string> known;
        for (const auto& c : columns) known.emplace_back(c.name);
        throw InputError(option("ci_columns", s) + ": " + name + " is not a column of model " +
                         std::string(x.model->name()) + " (columns: " + join(known, ", ") + ")");
      }
      o.precision->columns.push_back(k);
    }
  }
  return r;
}

design::Experiment check_experiment(const std::string& text, const std::string& source_path) {
  return design::parse_experiment(text, source_path);
}

std::string outcome_message(const JobResult& r, const std::filesystem::path& output) {
  char text[160];
  const auto count = [](std::uint64_t n) { return static_cast<unsigned long long>(n); };
  if (r.stopped && !r.stopped_while.empty())
    return one_line(r.stopped_while) + ": all " + std::to_string(count(r.total)) +
           " organizations are saved in " + r.parts.string() +
           "; rerun the same command (or add --resume) to finish the result";
  if (r.stopped)
    return "interrupted: " + std::to_string(count(r.resumed_from + r.computed)) + " of " +
           std::to_string(count(r.total)) + " organizations are saved in " + r.parts.string() +
           "; rerun the same command (or add --resume) to continue";
  if (r.computed == 0)
    return "wrote " + output.string() + " from the " + std::to_string(count(r.resumed_from)) +
           " organizations its parts held";
  const double rate = r.seconds > 0 ? static_cast<double>(r.computed) / r.seconds : 0.0;
  std::snprintf(text, sizeof text,
                ": %llu organizations computed in %.2f s (%.0f orgs/s, %u threads)",
                count(r.computed), r.seconds, rate, r.threads);
  return "wrote " + output.string() + text;
}

}  // namespace tribe::job

// tribe: the command-line front end. All work happens in the engine library;
// this file parses arguments and turns errors into one clear line and an exit code.
#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <fstream>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>

#include "tribe/core/error.hpp"
#include "tribe/core/version.hpp"
#include "tribe/design/experiment.hpp"
#include "tribe/design/plan.hpp"
#include "tribe/exec/progress.hpp"
#include "tribe/exec/runner.hpp"
#include "tribe/io/claims_file.hpp"
#include "tribe/io/result_file.hpp"
#include "tribe/io/summary.hpp"

namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_signal(int) { g_stop.store(true); }

struct RunArgs {
  std::string experiment;
  std::string output;
  std::optional<std::uint64_t> seed;
  std::optional<std::uint64_t> orgs_per_cell;
  std::string backend = "openmp";
  unsigned threads = 0;
  bool quiet = false;
  bool overwrite = false;
  std::optional<double> ci_width;
  std::uint64_t max_orgs_per_cell = 10'000'000;
};

struct InspectArgs {
  std::string file;
  std::vector<std::string> columns;
  bool allow_incomplete = false;
  bool show_experiment = false;
};

int run_command(const RunArgs& a, const std::string& command_line) {
  using namespace tribe;
  design::Experiment x = design::load_experiment(a.experiment);
  if (a.seed) {
    if (*a.seed > static_cast<std::uint64_t>(INT64_MAX))
      throw InputError("--seed " + std::to_string(*a.seed) + " is not allowed: expected an integer in [0, 2^63-1]");
    x.seed = *a.seed;
  }
  if (a.orgs_per_cell) x.organizations_per_cell = *a.orgs_per_cell;
  const exec::Backend backend = exec::parse_backend(a.backend);
  const std::filesystem::path out = a.output.empty() ? std::filesystem::path(x.output) : std::filesystem::path(a.output);

  const design::RunPlan plan(x, x.organizations_per_cell);
  io::ResultWriter writer(out, plan, a.overwrite);

  exec::ProgressReporter progress(exec::ProgressReporter::detect(a.quiet));
  exec::RunOptions opts;
  opts.backend = backend;
  opts.threads = a.threads;
  opts.on_progress = [&](const exec::Progress& p) { progress.update(p); };
  opts.stop = &g_stop;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);

  if (!a.quiet)
    std::fprintf(stderr, "[tribe] %s: %zu cells x %llu organizations = %llu, backend %s\n", x.name.c_str(),
                 plan.cells().size(), static_cast<unsigned long long>(plan.organizations_per_cell()),
                 static_cast<unsigned long long>(plan.total_organizations()), a.backend.c_str());
  exec::RunResult result;
  if (a.ci_width) {
    if (a.max_orgs_per_cell < plan.organizations_per_cell())
      throw InputError("--max-orgs-per-cell " + std::to_string(a.max_orgs_per_cell) +
                       " is below the organizations per cell of the first round (" +
                       std::to_string(plan.organizations_per_cell()) + ")");
    result = exec::run_to_precision(plan, opts, writer,
                                    {*a.ci_width, a.max_orgs_per_cell, x.report.confidence});
  } else {
    result = exec::run(plan, opts, writer);
  }
  progress.finish({result.organizations, std::max(result.organizations, plan.total_organizations()),
                   result.wall_seconds});
  if (result.stopped) {
    std::fprintf(stderr, "tribe: interrupted after %llu of %llu organizations; no result file written\n",
                 static_cast<unsigned long long>(result.organizations),
                 static_cast<unsigned long long>(plan.total_organizations()));
    return 130;
  }
  writer.finish(result, io::RunInfo{command_line, a.backend, result.threads, result.wall_seconds});
  if (!a.quiet) {
    const double rate = result.organizations / result.wall_seconds;
    std::fprintf(stderr, "[tribe] wrote %s: %llu organizations in %.2f s (%.0f orgs/s, %u threads)\n",
                 out.c_str(), static_cast<unsigned long long>(result.organizations), result.wall_seconds,
                 rate, result.threads);
  }
  return 0;
}

struct ReportArgs {
  std::string file;
  std::string format = "text";
  std::string output;
};

int report_command(const ReportArgs& a) {
  tribe::io::ResultReader f(a.file);
  const auto format = a.format == "markdown" ? tribe::io::ReportFormat::Markdown : tribe::io::ReportFormat::Text;
  if (a.output.empty()) {
    tribe::io::print_report(f, std::cout, format);
    return 0;
  }
  std::ostringstream text;
  tribe::io::print_report(f, text, format);
  const std::string tmp = a.output + ".partial";
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text.str();
    if (!out) {
      std::filesystem::remove(tmp);
      throw tribe::EnvironmentError(a.output + ": cannot write report");
    }
  }
  std::filesystem::rename(tmp, a.output);
  return 0;
}

int inspect_command(const InspectArgs& a) {
  tribe::io::ResultReader f(a.file, a.allow_incomplete);
  tribe::io::print_summary(f, std::cout, {a.columns, a.show_experiment});
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string command_line;
  for (int i = 0; i < argc; ++i) command_line += (i ? " " : "") + std::string(argv[i]);

  CLI::App app{"tribe: a parallel Monte Carlo engine for distributed leadership in organizations"};
  app.set_version_flag("--version", std::string(tribe::version::engine()) + " (" +
                                        std::string(tribe::version::git_sha1()) + ")");
  app.require_subcommand(1);

  RunArgs run;
  auto* run_cmd = app.add_subcommand("run", "Run an experiment and write an HDF5 result file");
  run_cmd->add_option("experiment", run.experiment, "Experiment file (TOML)")->required();
  run_cmd->add_option("-o,--output", run.output, "Result file (default: the experiment's output key)");
  run_cmd->add_option("--seed", run.seed, "Master seed (overrides experiment.seed)");
  run_cmd->add_option("--orgs-per-cell", run.orgs_per_cell,
                      "Organizations per cell (overrides experiment.organizations_per_cell)")
      ->check(CLI::Range(std::uint64_t{1}, tribe::design::kMaxOrganizationsPerCell));
  run_cmd->add_option("--backend", run.backend, "Parallel backend: serial, openmp or tbb")
      ->check(CLI::IsMember({"serial", "openmp", "tbb"}));
  run_cmd->add_option("--threads", run.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1u, 4096u));
  run_cmd->add_flag("-q,--quiet", run.quiet, "No progress output");
  run_cmd->add_option("--ci-width", run.ci_width,
                      "Precision target: add organizations to each cell until every binary outcome's "
                      "interval half-width is at most this (or --max-orgs-per-cell is reached)")
      ->check(CLI::Range(1e-6, 0.5));
  run_cmd->add_option("--max-orgs-per-cell", run.max_orgs_per_cell, "Cap of the precision target (default 10,000,000)")
      ->check(CLI::Range(std::uint64_t{1}, tribe::design::kMaxOrganizationsPerCell));
  run_cmd->add_flag("--overwrite", run.overwrite, "Replace an existing result file");

  InspectArgs inspect;
  auto* inspect_cmd = app.add_subcommand("inspect", "Summarize a result file: provenance, cells, rates");
  inspect_cmd->add_option("file", inspect.file, "Result file (HDF5)")->required();
  inspect_cmd->add_option("--columns", inspect.columns, "Only these columns")->delimiter(',');
  inspect_cmd->add_flag("--allow-incomplete", inspect.allow_incomplete,
                        "Show what an incomplete file holds instead of refusing it");
  inspect_cmd->add_flag("--experiment", inspect.show_experiment, "Also print the stored experiment file");

  ReportArgs report;
  auto* report_cmd = app.add_subcommand("report", "Print the claims of a result file: estimates, intervals, verdicts, robustness");
  report_cmd->add_option("file", report.file, "Result file (HDF5)")->required();
  report_cmd->add_option("--format", report.format, "text or markdown")->check(CLI::IsMember({"text", "markdown"}));
  report_cmd->add_option("-o,--output", report.output, "Write the report to this file instead of stdout");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  try {
    if (*run_cmd) return run_command(run, command_line);
    if (*inspect_cmd) return inspect_command(inspect);
    if (*report_cmd) return report_command(report);
  } catch (const tribe::InputError& e) {
    std::fprintf(stderr, "tribe: error: %s\n", e.what());
    return 2;
  } catch (const tribe::EnvironmentError& e) {
    std::fprintf(stderr, "tribe: error: %s\n", e.what());
    return 3;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tribe: error: %s\n", e.what());
    return 1;
  }
  return 0;
}

// tribe: the command-line front end. All work happens in the engine library;
// this file parses arguments and turns errors into one clear line and an exit code.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string_view>

#include "import_command.hpp"
#include "tribe/catalog/describe.hpp"
#include "tribe/core/error.hpp"
#include "tribe/core/stop.hpp"
#include "tribe/core/text.hpp"
#include "tribe/core/version.hpp"
#include "tribe/job/collective.hpp"
#include "tribe/job/job.hpp"
#include "tribe/job/request.hpp"
#include "tribe/report/progress.hpp"
#include "tribe/report/summary.hpp"
#include "tribe/report/write.hpp"

namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_signal(int) {
  g_stop.store(true);
}

/// What `tribe run` was given: the request itself (every check is job::resolve's) and
/// what only the command line has.
struct RunArgs {
  tribe::job::RunRequest request;
  bool quiet = false;
};

void install_signal_handlers() {
  // The first SIGINT/SIGTERM asks for a graceful stop (finished blocks are saved);
  // a second one ends the process at once (SA_RESETHAND restores the default).
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

int run_command(RunArgs& a, const std::string& command_line, tribe::job::Collective* ranks) {
  using namespace tribe;
  a.request.command_line = command_line;
  job::ResolvedRun resolved = job::resolve(a.request, job::Spelling::command_line);
  job::JobOptions& o = resolved.options;
  o.ranks = ranks;
  const bool leader = !ranks || ranks->rank() == 0;
  o.run.stop = &g_stop;
  report::ProgressReporter progress(report::ProgressReporter::detect(a.quiet || !leader));
  o.run.on_progress = [&](const report::Progress& p) { progress.update(p); };
  o.note = [&](const std::string& s) {
    if (!a.quiet && leader) std::fprintf(stderr, "[tribe] %s\n", s.c_str());
  };
  const job::JobResult r = job::run_job(resolved.experiment, o);
  progress.finish(
      {r.resumed_from + r.computed, std::max(r.total, r.resumed_from + r.computed), r.seconds});
  if (r.stopped && leader)
    std::fprintf(stderr, "tribe: %s\n", job::outcome_message(r, o.output).c_str());
  else if (!a.quiet && leader)
    std::fprintf(stderr, "[tribe] %s\n", job::outcome_message(r, o.output).c_str());
  return r.stopped ? 130 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Under mpirun/srun (and in a build with MPI) every rank runs this program.
  std::unique_ptr<tribe::job::Collective> ranks = tribe::job::world(argc, argv);
  // `tribe run` stops gracefully on SIGINT/SIGTERM from its first moment: a signal that
  // comes while the experiment is still being read (a loaded machine can take a while) is
  // kept, and the run stops before its first block, its parts saved, exit 130.
  // `tribe merge` stops the same way, wherever it is (its output is written under a
  // temporary name, removed when it stops).
  if (argc > 1 && (std::string_view(argv[1]) == "run" || std::string_view(argv[1]) == "merge"))
    install_signal_handlers();
  const tribe::StopScope stop_scope(&g_stop);
  std::string command_line;
  for (int i = 0; i < argc; ++i) command_line += (i ? " " : "") + std::string(argv[i]);

  CLI::App app{"tribe: a parallel Monte Carlo engine for distributed leadership in organizations"};
  app.set_version_flag("--version", std::string(tribe::version::engine()) + " (" +
                                        std::string(tribe::version::git_sha1()) + ")");
  app.require_subcommand(1);

  RunArgs run;
  auto* run_cmd = app.add_subcommand("run", "Run an experiment and write an HDF5 result file");
  run_cmd->add_option("experiment", run.request.experiment_path, "Experiment file (TOML)")
      ->required();
  run_cmd->add_option("-o,--output", run.request.output,
                      "Result file (default: the experiment's output key)");
  run_cmd->add_option("--seed", run.request.seed, "Master seed (overrides experiment.seed)");
  run_cmd->add_option("--orgs-per-cell", run.request.orgs_per_cell,
                      "Organizations per cell (overrides experiment.organizations_per_cell)");
  run_cmd->add_option("--backend", run.request.backend, "Parallel backend: serial, openmp or tbb");
  run_cmd->add_option("--threads", run.request.threads, "Worker threads (default: all cores)");
  run_cmd->add_flag("-q,--quiet", run.quiet, "No progress output");
  run_cmd->add_option(
      "--ci-width", run.request.ci_width,
      "Precision target: add organizations to each cell until the interval half-width of "
      "every binary outcome (or of each --ci-columns column) is at most this (or "
      "--max-orgs-per-cell is reached)");
  run_cmd
      ->add_option(
          "--ci-columns", run.request.ci_columns,
          "Columns the precision target applies to, comma-separated (default: every binary "
          "outcome); a binary column is judged by the Wilson interval of its rate, any other "
          "by the t interval of its mean")
      ->delimiter(',');
  run_cmd->add_option("--max-orgs-per-cell", run.request.max_orgs_per_cell,
                      "Cap of the precision target (default 10,000,000)");
  run_cmd->add_flag(
      "--overwrite", run.request.overwrite,
      "Replace an existing result file (and discard the parts of an interrupted run)");
  run_cmd->add_flag(
      "--resume", run.request.resume,
      "Continue an interrupted run from its parts (OUT.h5.parts); rerunning the same command does "
      "the same, --resume also insists that there is something to resume");
  run_cmd->add_option(
      "--rows-per-part", run.request.rows_per_part,
      "Organizations per part file: how much work a crash can lose at most (default 65536)");
  run_cmd->add_option(
      "--shard", run.request.shard,
      "Run only slice i of n (0-based, i/n) and write it as a shard file; combine the shards with "
      "`tribe merge`");

  std::string inspect_file;
  tribe::report::SummaryOptions inspect;
  auto* inspect_cmd =
      app.add_subcommand("inspect", "Summarize a result file: provenance, cells, rates");
  inspect_cmd->add_option("file", inspect_file, "Result file (HDF5)")->required();
  inspect_cmd->add_option("--columns", inspect.columns, "Only these columns")->delimiter(',');
  inspect_cmd->add_flag("--allow-incomplete", inspect.allow_incomplete,
                        "Show what an incomplete file holds instead of refusing it");
  inspect_cmd->add_flag("--experiment", inspect.show_experiment,
                        "Also print the stored experiment file");

  tribe::report::ReportRequest report;
  std::string report_format = "text";
  auto* report_cmd =
      app.add_subcommand("report",
                         "Print the claims of a result file (or of several, as one study: Holm "
                         "over all of them): estimates, "
                         "intervals, verdicts, robustness, sensitivity indices, scenarios");
  report_cmd->add_option("files", report.files, "Result files (HDF5); several form one study")
      ->required();
  report_cmd->add_option("--format", report_format, "text or markdown")
      ->check(CLI::IsMember({"text", "markdown"}));
  report_cmd->add_option("-o,--output", report.output,
                         "Write the report to this file instead of stdout");
  report_cmd->add_flag("--overwrite", report.overwrite, "Replace an existing report file");

  std::vector<std::string> merge_inputs;
  std::string merge_output;
  bool merge_overwrite = false;
  auto* merge_cmd =
      app.add_subcommand("merge", "Combine the shard files of a job array into one result file");
  merge_cmd->add_option("shards", merge_inputs, "Shard files written by `tribe run --shard i/n`")
      ->required();
  merge_cmd->add_option("-o,--output", merge_output, "Result file")->required();
  merge_cmd->add_flag("--overwrite", merge_overwrite, "Replace an existing result file");

  tribe::cli::ImportCommand import;
  tribe::cli::add_import_command(app, import);

  std::string model_name, models_format = "text";
  auto* models_cmd =
      app.add_subcommand("models", "List the models, or one model's parameters and output columns");
  models_cmd->add_option("name", model_name, "A model (omit to list them all)");
  models_cmd->add_option("--format", models_format, "text or markdown")
      ->check(CLI::IsMember({"text", "markdown"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help, --help-all, --version
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // The same convention as every other error: one line, exit 2.
    std::string what = e.what();
    std::replace(what.begin(), what.end(), '\n', ' ');
    std::fprintf(stderr, "tribe: error: %s (see tribe --help)\n", tribe::one_line(what).c_str());
    return 2;
  }

  try {
    if (*run_cmd) return run_command(run, command_line, ranks.get());
    if (*inspect_cmd) {
      tribe::report::print_summary(inspect_file, std::cout, inspect);
      return 0;
    }
    if (*report_cmd) {
      report.format = report_format == "markdown" ? tribe::report::Format::Markdown
                                                  : tribe::report::Format::Text;
      tribe::report::write_report(report, std::cout);
      return 0;
    }
    if (*models_cmd) {
      const auto format = models_format == "markdown" ? tribe::catalog::Format::markdown
                                                      : tribe::catalog::Format::text;
      std::fputs(tribe::catalog::describe(model_name, format).c_str(), stdout);
      return 0;
    }
    if (*import.command) return tribe::cli::run_import_command(import, command_line);
    if (*merge_cmd) {
      std::vector<std::filesystem::path> shards(merge_inputs.begin(), merge_inputs.end());
      tribe::job::merge_shards(shards, merge_output, merge_overwrite, command_line);
      std::fprintf(stderr, "[tribe] merged %zu shards into %s\n", shards.size(),
                   merge_output.c_str());
      return 0;
    }
  } catch (const tribe::Stopped& e) {
    // A merge (a run reports its own interruption, its parts kept): nothing was written.
    std::fprintf(stderr, "tribe: %s: nothing was written; rerun the same command\n",
                 tribe::one_line(e.what()).c_str());
    std::fflush(nullptr);
    std::_Exit(130);
  } catch (const tribe::InputError& e) {
    if (ranks && ranks->rank() != 0 && std::string(e.what()).empty()) return 2;
    std::fprintf(stderr, "tribe: error: %s%s\n",
                 ranks ? ("rank " + std::to_string(ranks->rank()) + ": ").c_str() : "",
                 tribe::one_line(e.what()).c_str());
    return 2;
  } catch (const tribe::EnvironmentError& e) {
    std::fprintf(stderr, "tribe: error: %s\n", tribe::one_line(e.what()).c_str());
    // After a failed write (a full disk) the HDF5 library may still hold a file it
    // cannot close; its exit handler would then crash. Leave without running it: the
    // temporary files are removed by the next run.
    std::fflush(nullptr);
    std::_Exit(3);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tribe: error: %s\n", tribe::one_line(e.what()).c_str());
    return 1;
  }
  return 0;
}

// tribe: the command-line front end. All work happens in the engine library;
// this file parses arguments and turns errors into one clear line and an exit code.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string_view>

#include "tribe/claims/evaluate.hpp"
#include "tribe/core/error.hpp"
#include "tribe/core/stop.hpp"
#include "tribe/core/text.hpp"
#include "tribe/core/version.hpp"
#include "tribe/design/experiment.hpp"
#include "tribe/design/plan.hpp"
#include "tribe/exec/progress.hpp"
#include "tribe/exec/runner.hpp"
#include "tribe/io/claims_store.hpp"
#include "tribe/io/result_file.hpp"
#include "tribe/io/summary.hpp"
#include "tribe/job/collective.hpp"
#include "tribe/job/job.hpp"
#include "tribe/job/request.hpp"
#include "tribe/model/catalog.hpp"
#include "tribe/model/registry.hpp"
#include "tribe/report/format.hpp"

namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_signal(int) {
  g_stop.store(true);
}

/// What `tribe run` was given, as parsed: every check is job::resolve's (job/request.hpp).
struct RunArgs {
  std::string experiment;
  std::string output;
  std::optional<std::string> seed;  // digits checked by hand: CLI11 would read -1 as 2^64-1
  std::optional<std::int64_t> orgs_per_cell;
  std::string backend = "openmp";
  std::optional<std::int64_t> threads;
  bool quiet = false;
  bool overwrite = false;
  std::optional<double> ci_width;
  std::optional<std::int64_t> max_orgs_per_cell;
  std::vector<std::string> ci_columns;
  bool resume = false;
  std::optional<std::string> shard;
  std::int64_t rows_per_part = 65536;
};

struct MergeArgs {
  std::vector<std::string> shards;
  std::string output;
  bool overwrite = false;
};

struct ModelsArgs {
  std::string name;
  std::string format = "text";
};

struct InspectArgs {
  std::string file;
  std::vector<std::string> columns;
  bool allow_incomplete = false;
  bool show_experiment = false;
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

/// --seed: digits only, at most 2^63-1 (as the experiment's seed key).
std::int64_t parse_seed(const std::string& text) {
  const std::string allowed =
      "--seed " + text + " is not allowed: expected an integer in [0, 2^63-1]";
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos)
    throw tribe::InputError(allowed);
  const std::uint64_t v = std::stoull(text);
  if (v > static_cast<std::uint64_t>(INT64_MAX)) throw tribe::InputError(allowed);
  return static_cast<std::int64_t>(v);
}

/// An output given as -o must name a file.
void check_output_option(const CLI::App& cmd, const std::string& output) {
  if (cmd.count("--output") > 0 && output.empty())
    throw tribe::InputError("-o/--output is empty: expected the path of the file to write");
}

/// True when `output` is the same file as `input` (both existing).
bool same_file(const std::filesystem::path& output, const std::filesystem::path& input) {
  std::error_code ec;
  return std::filesystem::equivalent(output, input, ec);
}

int run_command(const RunArgs& a, const CLI::App& cmd, const std::string& command_line,
                tribe::job::Collective* ranks) {
  using namespace tribe;
  job::RunRequest q;
  q.experiment_path = a.experiment;
  if (cmd.count("--output") > 0) q.output = a.output;
  if (a.seed) q.seed = parse_seed(*a.seed);
  q.orgs_per_cell = a.orgs_per_cell;
  q.backend = a.backend;
  q.threads = a.threads;
  q.overwrite = a.overwrite;
  q.resume = a.resume;
  q.ci_width = a.ci_width;
  q.ci_columns = a.ci_columns;
  q.max_orgs_per_cell = a.max_orgs_per_cell;
  q.rows_per_part = a.rows_per_part;
  q.shard = a.shard;
  q.command_line = command_line;
  job::ResolvedRun resolved = job::resolve(q, job::Spelling::command_line);
  job::JobOptions& o = resolved.options;
  const design::Experiment& x = resolved.experiment;
  o.ranks = ranks;
  const bool leader = !ranks || ranks->rank() == 0;
  o.run.stop = &g_stop;
  exec::ProgressReporter progress(exec::ProgressReporter::detect(a.quiet || !leader));
  std::uint64_t offset = 0, total = 0;
  o.run.on_progress = [&](const exec::Progress& p) {
    progress.update({offset + p.done, std::max(total, offset + p.total), p.elapsed_seconds});
  };
  o.note = [&](const std::string& s) {
    if (!a.quiet && leader) std::fprintf(stderr, "[tribe] %s\n", s.c_str());
  };
  const job::JobResult r = job::run_job(x, o);
  progress.finish(
      {r.resumed_from + r.computed, std::max(r.total, r.resumed_from + r.computed), r.seconds});
  if (r.stopped) {
    if (!leader) return 130;
    if (!r.stopped_while.empty())
      std::fprintf(stderr,
                   "tribe: %s: all %llu organizations are saved in %s; rerun the same command "
                   "(or add --resume) to finish the result\n",
                   tribe::one_line(r.stopped_while).c_str(),
                   static_cast<unsigned long long>(r.total), r.parts.c_str());
    else
      std::fprintf(stderr,
                   "tribe: interrupted: %llu of %llu organizations are saved in %s; rerun the "
                   "same command (or add --resume) to continue\n",
                   static_cast<unsigned long long>(r.resumed_from + r.computed),
                   static_cast<unsigned long long>(r.total), r.parts.c_str());
    return 130;
  }
  if (!a.quiet && leader) {
    const double rate = r.seconds > 0 ? static_cast<double>(r.computed) / r.seconds : 0.0;
    if (r.computed == 0)
      std::fprintf(stderr, "[tribe] wrote %s from the %llu organizations its parts held\n",
                   o.output.c_str(), static_cast<unsigned long long>(r.resumed_from));
    else
      std::fprintf(
          stderr,
          "[tribe] wrote %s: %llu organizations computed in %.2f s (%.0f orgs/s, %u threads)\n",
          o.output.c_str(), static_cast<unsigned long long>(r.computed), r.seconds, rate,
          r.threads);
  }
  return 0;
}

struct ReportArgs {
  std::vector<std::string> files;
  std::string format = "text";
  std::string output;
  bool overwrite = false;
};

int report_command(const ReportArgs& a, const CLI::App& cmd) {
  check_output_option(cmd, a.output);
  if (!a.output.empty()) {
    // Never a file it reports on; another existing file only when asked to.
    for (const auto& file : a.files)
      if (same_file(a.output, file))
        throw tribe::InputError(
            "-o " + a.output +
            " is a result file being reported on; write the report to another file");
    tribe::io::check_output_target(a.output, a.overwrite);
  }
  const auto format =
      a.format == "markdown" ? tribe::report::Format::Markdown : tribe::report::Format::Text;
  std::ostringstream text;
  if (a.files.size() == 1) {
    tribe::report::print_report(tribe::io::read_report(tribe::io::ResultReader(a.files[0])), text,
                                format);
  } else {
    // Several files: one study, one family for multiple comparisons.
    std::vector<tribe::io::StoredReport> reports;
    for (const auto& file : a.files)
      reports.push_back(tribe::io::read_report(tribe::io::ResultReader(file), file));
    tribe::report::print_study(reports, text, format, tribe::claims::decide);
  }
  if (a.output.empty()) {
    std::cout << text.str();
    return 0;
  }
  const std::string tmp = a.output + ".partial";
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text.str();
    out.flush();
    if (!out) {
      const int err = errno;
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      throw tribe::EnvironmentError(a.output + ": cannot write the report (" + std::strerror(err) +
                                    ")");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, a.output, ec);
  if (ec)
    throw tribe::EnvironmentError(a.output + ": cannot rename " + tmp + " (" + ec.message() + ")");
  return 0;
}

int inspect_command(const InspectArgs& a) {
  tribe::io::ResultReader f(a.file, a.allow_incomplete);
  tribe::io::print_summary(f, std::cout, {a.columns, a.show_experiment});
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  tribe::io::h5::quiet_errors();  // every HDF5 failure is reported as one line of ours
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
  run_cmd->add_option("experiment", run.experiment, "Experiment file (TOML)")->required();
  run_cmd->add_option("-o,--output", run.output,
                      "Result file (default: the experiment's output key)");
  run_cmd->add_option("--seed", run.seed, "Master seed (overrides experiment.seed)");
  run_cmd->add_option("--orgs-per-cell", run.orgs_per_cell,
                      "Organizations per cell (overrides experiment.organizations_per_cell)");
  run_cmd->add_option("--backend", run.backend, "Parallel backend: serial, openmp or tbb");
  run_cmd->add_option("--threads", run.threads, "Worker threads (default: all cores)");
  run_cmd->add_flag("-q,--quiet", run.quiet, "No progress output");
  run_cmd->add_option(
      "--ci-width", run.ci_width,
      "Precision target: add organizations to each cell until the interval half-width of "
      "every binary outcome (or of each --ci-columns column) is at most this (or "
      "--max-orgs-per-cell is reached)");
  run_cmd
      ->add_option(
          "--ci-columns", run.ci_columns,
          "Columns the precision target applies to, comma-separated (default: every binary "
          "outcome); a binary column is judged by the Wilson interval of its rate, any other "
          "by the t interval of its mean")
      ->delimiter(',');
  run_cmd->add_option("--max-orgs-per-cell", run.max_orgs_per_cell,
                      "Cap of the precision target (default 10,000,000)");
  run_cmd->add_flag(
      "--overwrite", run.overwrite,
      "Replace an existing result file (and discard the parts of an interrupted run)");
  run_cmd->add_flag(
      "--resume", run.resume,
      "Continue an interrupted run from its parts (OUT.h5.parts); rerunning the same command does "
      "the same, --resume also insists that there is something to resume");
  run_cmd->add_option(
      "--rows-per-part", run.rows_per_part,
      "Organizations per part file: how much work a crash can lose at most (default 65536)");
  run_cmd->add_option(
      "--shard", run.shard,
      "Run only slice i of n (0-based, i/n) and write it as a shard file; combine the shards with "
      "`tribe merge`");

  InspectArgs inspect;
  auto* inspect_cmd =
      app.add_subcommand("inspect", "Summarize a result file: provenance, cells, rates");
  inspect_cmd->add_option("file", inspect.file, "Result file (HDF5)")->required();
  inspect_cmd->add_option("--columns", inspect.columns, "Only these columns")->delimiter(',');
  inspect_cmd->add_flag("--allow-incomplete", inspect.allow_incomplete,
                        "Show what an incomplete file holds instead of refusing it");
  inspect_cmd->add_flag("--experiment", inspect.show_experiment,
                        "Also print the stored experiment file");

  ReportArgs report;
  auto* report_cmd =
      app.add_subcommand("report",
                         "Print the claims of a result file (or of several, as one study: Holm "
                         "over all of them): estimates, "
                         "intervals, verdicts, robustness, sensitivity indices, scenarios");
  report_cmd->add_option("files", report.files, "Result files (HDF5); several form one study")
      ->required();
  report_cmd->add_option("--format", report.format, "text or markdown")
      ->check(CLI::IsMember({"text", "markdown"}));
  report_cmd->add_option("-o,--output", report.output,
                         "Write the report to this file instead of stdout");
  report_cmd->add_flag("--overwrite", report.overwrite, "Replace an existing report file");

  MergeArgs merge;
  auto* merge_cmd =
      app.add_subcommand("merge", "Combine the shard files of a job array into one result file");
  merge_cmd->add_option("shards", merge.shards, "Shard files written by `tribe run --shard i/n`")
      ->required();
  merge_cmd->add_option("-o,--output", merge.output, "Result file")->required();
  merge_cmd->add_flag("--overwrite", merge.overwrite, "Replace an existing result file");

  ModelsArgs models;
  auto* models_cmd =
      app.add_subcommand("models", "List the models, or one model's parameters and output columns");
  models_cmd->add_option("name", models.name, "A model (omit to list them all)");
  models_cmd->add_option("--format", models.format, "text or markdown")
      ->check(CLI::IsMember({"text", "markdown"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // The same convention as every other error: one line, exit 2.
    std::string what = e.what();
    std::replace(what.begin(), what.end(), '\n', ' ');
    std::fprintf(stderr, "tribe: error: %s (see tribe --help)\n", tribe::one_line(what).c_str());
    return 2;
  }

  try {
    if (*run_cmd) return run_command(run, *run_cmd, command_line, ranks.get());
    if (*inspect_cmd) return inspect_command(inspect);
    if (*report_cmd) return report_command(report, *report_cmd);
    if (*models_cmd) {
      const auto format = models.format == "markdown" ? tribe::model::CatalogFormat::markdown
                                                      : tribe::model::CatalogFormat::text;
      std::fputs((models.name.empty()
                      ? tribe::model::describe_models(format)
                      : tribe::model::describe_model(tribe::model::find_model(models.name), format))
                     .c_str(),
                 stdout);
      return 0;
    }
    if (*merge_cmd) {
      check_output_option(*merge_cmd, merge.output);
      std::vector<std::filesystem::path> shards(merge.shards.begin(), merge.shards.end());
      tribe::job::merge_shards(shards, merge.output, merge.overwrite, command_line);
      std::fprintf(stderr, "[tribe] merged %zu shards into %s\n", shards.size(),
                   merge.output.c_str());
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

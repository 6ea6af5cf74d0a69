#include "import_command.hpp"

#include <cstdio>

#include "tribe/job/request.hpp"

namespace tribe::cli {

void add_import_command(CLI::App& app, ImportCommand& c) {
  job::ImportRequest& q = c.request;
  CLI::App* cmd = c.command = app.add_subcommand(
      "import",
      "Turn another tool's table of runs (a Mesa batch_run table, NetLogo BehaviorSpace table or "
      "spreadsheet output) into a result file, with its claims evaluated");
  cmd->add_option("table", q.table, "The table (CSV)")->required();
  cmd->add_option("-o,--output", q.output, "Result file")->required();
  cmd->add_option("--claims", q.claims,
                  "TOML file of [[claims]], [[patterns]] and [report] stated on the table's "
                  "factors and outcomes");
  cmd->add_option("--format", q.format,
                  "auto (default), mesa, netlogo-table or netlogo-spreadsheet");
  cmd->add_option("--factors", q.factors,
                  "The factor columns, comma-separated (default: the parameters that vary "
                  "across runs)")
      ->delimiter(',');
  cmd->add_option("--outcomes", q.outcomes,
                  "The outcome columns, comma-separated (default: every numeric reporter or "
                  "metric)")
      ->delimiter(',');
  cmd->add_option("--step", q.step, "The step at which each run is read (default: its last)");
  cmd->add_option("--replicates", q.replicates,
                  "equal (default: cells with different numbers of runs are an error) or min "
                  "(the first n runs of each cell, n the fewest)");
  cmd->add_flag("--common-random-numbers", q.common_random_numbers,
                "Replicate k used the same seed in every cell (organization k is paired)");
  cmd->add_option("--name", q.name, "Experiment name (default: the table's file name)");
  cmd->add_option("--source", q.source,
                  "What the result records as the table's source (default: its path)");
  cmd->add_flag("--overwrite", q.overwrite, "Replace an existing result file");
  cmd->add_flag("-q,--quiet", c.quiet, "Do not echo what was inferred");
}

int run_import_command(ImportCommand& c, const std::string& command_line) {
  c.request.command_line = command_line;
  c.request.note = [&](const std::string& s) {
    if (!c.quiet) std::fprintf(stderr, "[tribe] %s\n", s.c_str());
  };
  const job::ImportResult r = job::import_table(c.request);
  if (!c.quiet)
    std::fprintf(stderr, "[tribe] %s\n", job::outcome_message(r.job, c.request.output).c_str());
  return r.job.complete ? 0 : 130;
}

}  // namespace tribe::cli

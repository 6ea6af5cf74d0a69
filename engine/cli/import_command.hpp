#pragma once
// `tribe import`: its options, parsed into a job::ImportRequest (job/import.hpp), and the
// call. Kept out of main.cpp so that the program's file stays a list of subcommands.
#include <CLI/CLI.hpp>
#include <string>

#include "tribe/job/import.hpp"

namespace tribe::cli {

struct ImportCommand {
  CLI::App* command = nullptr;
  job::ImportRequest request;
  bool quiet = false;
};

/// Adds the subcommand and its options to `app`; `c` receives what they parse.
void add_import_command(CLI::App& app, ImportCommand& c);

/// Imports the table: echoes what was inferred and how the run ended on stderr (unless
/// --quiet); errors propagate as the engine's exceptions. Returns the exit code.
int run_import_command(ImportCommand& c, const std::string& command_line);

}  // namespace tribe::cli

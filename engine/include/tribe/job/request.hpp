#pragma once
// One run request for every front end (issue 29): the options of `tribe run` and of
// `tribe.run`, as plain values, checked once and resolved into the experiment and the
// job's options by resolve(). The front ends only parse their syntax (CLI11, Python
// arguments) into a RunRequest and call resolve(); every range, every dependency between
// options and every message lives here, spelled as the caller spells its options
// (`--ci-width 0.9` for the command line, `ci_width = 0.9` for Python).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tribe/design/experiment.hpp"
#include "tribe/job/job.hpp"

namespace tribe::job {

/// How the caller names its options in messages.
enum class Spelling { command_line, python };

struct RunRequest {
  // The experiment: a file, or text with a label for messages ("<dict>", "<string>").
  std::string experiment_path;
  std::optional<std::string> experiment_text;
  std::optional<std::string> output;  // unset: the experiment's default (folder created)
  std::optional<std::int64_t> seed;
  std::optional<std::int64_t> orgs_per_cell;
  std::string backend = "openmp";
  std::optional<std::int64_t> threads;  // unset: every core
  bool overwrite = false;
  bool resume = false;
  std::optional<double> ci_width;
  std::vector<std::string> ci_columns;
  std::optional<std::int64_t> max_orgs_per_cell;  // unset: 10,000,000
  std::int64_t rows_per_part = 65536;
  std::optional<std::string> shard;
  std::string command_line;
};

struct ResolvedRun {
  design::Experiment experiment;
  JobOptions options;  // everything but the callbacks, the stop flag and the ranks
};

/// Checks `request` and resolves it: the experiment read (and validated) with the seed
/// and organizations overridden, the job's options set. Throws InputError with one line
/// naming the option as `spelling` writes it and what is allowed.
ResolvedRun resolve(const RunRequest& request, Spelling spelling);

/// Reads and validates an experiment as a run would (InputError, one line, if it is not
/// valid): for a front end that checks an experiment before running it.
design::Experiment check_experiment(const std::string& text, const std::string& source_path);

/// The threads a run uses when none are asked for (every core).
using exec::hardware_threads;

/// What a front end tells the user when a run ends: for a stopped run, where its
/// organizations are saved and how to finish ("interrupted: 4000 of 24000 organizations are
/// saved in OUT.h5.parts; rerun the same command ..."); for a finished one, what was
/// written ("wrote OUT.h5: 24000 organizations computed in 2.10 s (...)").
std::string outcome_message(const JobResult& result, const std::filesystem::path& output);

}  // namespace tribe::job

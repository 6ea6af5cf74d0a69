#pragma once
// A job: one experiment run end to end, as `tribe run` does it — crash-safe parts,
// resume, shards of a job array, precision targets, assembly of the final file.
//
//   OUT.h5.parts/   part files written while the run goes on (see io/part_file.hpp)
//   OUT.h5          assembled from the parts once every block is done; then the
//                   parts are removed
// Rerunning the same command (or --resume) after a crash or an interruption
// continues after the last complete part; the result is byte-identical in its
// datasets to an uninterrupted run.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tribe/design/experiment.hpp"
#include "tribe/exec/runner.hpp"
#include "tribe/job/collective.hpp"

namespace tribe::job {

struct Shard {
  std::uint64_t index = 0;  // 0-based
  std::uint64_t count = 1;
};
/// Parses "i/n" (0 <= i < n, 0-based like job array indices) into a Shard; anything else
/// is an InputError.
Shard parse_shard(const std::string& text);

struct JobOptions {
  std::filesystem::path output;
  /// The output is the experiment's default (`output` key, else results/NAME.h5, relative
  /// to where the user runs): its folder is created if missing. An output named by the
  /// user (-o, output=) must be in an existing folder (a typo is reported, not created).
  bool create_output_directory = false;
  bool overwrite = false;  // replace an existing result and discard existing parts
  bool resume = false;     // require existing parts to continue from
  exec::RunOptions run;
  std::optional<exec::PrecisionTarget> precision;
  std::optional<Shard> shard;
  std::uint64_t rows_per_part = 65536;
  std::string command_line;
  /// Root attributes naming where the rows came from (io::RunInfo::sources): set by
  /// `tribe import`, empty for a run.
  std::vector<std::pair<std::string, std::string>> sources;
  std::function<void(const std::string&)> note;  // progress notes for the user
  /// Ranks of a multi-process run: each computes its slice of the blocks into the
  /// shared parts directory; rank 0 assembles. Null for a single process.
  Collective* ranks = nullptr;
};

struct JobResult {
  bool complete = false;           // the output file was written
  bool stopped = false;            // interrupted: parts are kept for a resume
  std::string stopped_while;       // "" while computing; else the phase ("interrupted while
                                   // evaluating the claims"), every organization saved
  std::uint64_t resumed_from = 0;  // organizations found done in existing parts
  std::uint64_t computed = 0;      // organizations computed by this attempt
  std::uint64_t total = 0;         // organizations of the whole run (or shard)
  double seconds = 0.0;
  unsigned threads = 0;
  std::filesystem::path parts;
  /// The most organizations' rows a part writer held in memory at once, while running or
  /// while writing a shard's file: at most rows_per_part plus one block.
  std::uint64_t peak_buffered_rows = 0;
};

/// An exclusive claim on an output, held while a run or a merge writes it: the lock file
/// OUT.h5.lock beside it, holding the host and PID of its owner, with an flock(2) held
/// on it for the life of the process. A second run on the same output refuses at once
/// (InputError naming the owner). The file is removed on release; after a crash the
/// kernel has released the flock, so the file left behind is stale and simply taken over.
class OutputLock {
 public:
  explicit OutputLock(const std::filesystem::path& output);
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;
  ~OutputLock();

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

/// The directory of part files of an output.
std::filesystem::path parts_directory(const std::filesystem::path& output);

JobResult run_job(const design::Experiment& experiment, const JobOptions& options);

/// `tribe merge`: checks that shard files belong to one run (experiment, seed, engine
/// and model versions), that none is missing, duplicated or overlapping, and writes
/// the result file a single run would have written.
void merge_shards(const std::vector<std::filesystem::path>& shards,
                  const std::filesystem::path& output, bool overwrite,
                  const std::string& command_line);

}  // namespace tribe::job

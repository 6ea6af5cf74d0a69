#pragma once
// The pieces of a job that its files share (job.cpp: a run on one process; ranks.cpp: a
// run on MPI ranks; parts.cpp: the parts directory made ready, and what it lacks;
// result.cpp: the result file from parts; merge.cpp; lock.cpp). Private to engine/src/job/.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tribe/claims/claim.hpp"
#include "tribe/design/plan.hpp"
#include "tribe/io/part_reader.hpp"
#include "tribe/io/result_file.hpp"
#include "tribe/job/job.hpp"

namespace tribe::job::detail {

namespace fs = std::filesystem;

/// A progress note for the user (JobOptions::note), if anyone listens.
void note(const JobOptions& o, const std::string& s);
std::string count(std::uint64_t v);

/// Blocks [first, end) of a run plan.
struct BlockRange {
  std::uint64_t first = 0, end = 0;
};

/// The claims and then the patterns (ClaimSpec::pattern) of an experiment, read before any
/// work starts; a wrong one is an InputError naming the experiment file.
std::vector<claims::ClaimSpec> read_claims(const design::Experiment& x);

/// The result file of a run from its parts (in block order): io/ writes the rows and the
/// cell table and returns the run's result; the claims and sensitivity indices are
/// computed here from it, and io/ stores them before it completes the file.
void write_result(const std::vector<io::PartInfo>& parts, const design::RunPlan& plan,
                  const std::vector<claims::ClaimSpec>& specs, const fs::path& target,
                  bool overwrite, const io::RunInfo& info);

/// Everything a run needs before it computes, done by one process: the target checked,
/// the output locked, parts cleared (--overwrite) or repaired. Returns the kept parts.
std::vector<io::PartInfo> prepare(const design::RunPlan& plan, const JobOptions& o,
                                  std::uint64_t first, std::uint64_t end,
                                  std::optional<OutputLock>& lock);

/// The ranges of [first, end) that no kept part holds, in block order.
std::vector<BlockRange> missing_ranges(const std::vector<io::PartInfo>& kept, std::uint64_t first,
                                       std::uint64_t end);

/// The parts directory of a run that has just computed its blocks: gone (deleted or moved
/// while the run went on) is a fault of the environment, not missing input (issue 27,
/// item 15).
void require_parts_directory(const fs::path& dir);

/// Computes the blocks of `todo` into parts. Returns the run's result (stopped when
/// interrupted).
exec::RunResult compute(const design::RunPlan& plan, const JobOptions& o,
                        const std::vector<BlockRange>& todo, JobResult& r);

/// Refuses, before any work, a run whose organizations cannot fit in memory: each worker
/// thread holds one organization at a time; three quarters of the memory are theirs.
void check_memory(const design::RunPlan& plan, const JobOptions& o);

/// A run on several MPI ranks (o.ranks): rank 0 prepares and assembles, every rank
/// computes its share of the missing blocks.
JobResult run_job_ranks(const design::Experiment& x,
                        const std::vector<claims::ClaimSpec>& claim_specs, const JobOptions& o);

}  // namespace tribe::job::detail

// A run on MPI ranks: rank 0 checks the target, locks it and repairs the parts; every rank
// then takes its share of the blocks no part holds; all agree that every share is done,
// then rank 0 assembles. Every step ends with a collective vote, so that a rank that
// fails never leaves the others waiting: they stop too, each with a line.
#include <algorithm>
#include <exception>

#include "internal.hpp"
#include "tribe/core/error.hpp"
#include "tribe/core/stop.hpp"
#include "tribe/io/assembly.hpp"
#include "tribe/io/part_reader.hpp"

namespace tribe::job::detail {
namespace {

/// After a step of a multi-process run, every rank learns whether every rank succeeded.
/// A rank that failed rethrows its own error; the others stop with a line of the same
/// tier as the worst failure (an environment error, such as a full disk on the rank that
/// assembles, is exit status 3 on every rank, not an input error).
void vote(Collective& world, const std::exception_ptr& failure, const std::string& other_failed) {
  enum Tier { Ok = 0, Input = 1, Environment = 2 };
  int tier = Ok;
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const EnvironmentError&) {
      tier = Environment;
    } catch (...) {
      tier = Input;
    }
  }
  const int worst = world.max(tier);
  if (worst == Ok) return;
  if (failure) std::rethrow_exception(failure);
  if (worst == Environment) throw EnvironmentError(other_failed);
  throw InputError(other_failed);
}

}  // namespace

JobResult run_job_ranks(const design::Experiment& x,
                        const std::vector<claims::ClaimSpec>& claim_specs, const JobOptions& o) {
  Collective& world = *o.ranks;
  if (o.shard)
    throw InputError("--shard cannot be combined with an MPI run (the ranks are the shards)");
  if (o.precision)
    throw InputError("--ci-width is not supported in an MPI run; run it on one node");
  const design::RunPlan plan(x, x.organizations_per_cell);
  // (main() puts "rank R: " before it)
  const std::string other_failed = "stopped because another rank failed (see its message)";
  check_memory(plan, o);  // the same on every rank
  std::optional<OutputLock> lock;
  std::exception_ptr failure;
  if (world.rank() == 0) {
    try {
      prepare(plan, o, 0, plan.block_count(), lock);
    } catch (...) {
      failure = std::current_exception();
    }
  }
  vote(world, failure, other_failed);
  // Every rank reads the same repaired directory before any rank writes into it.
  std::vector<io::PartInfo> kept;
  try {
    kept = io::list_parts(parts_directory(o.output), false);
  } catch (...) {
    failure = std::current_exception();
  }
  vote(world, failure, other_failed);
  JobOptions mine = o;
  mine.overwrite = false;
  if (world.rank() != 0) mine.note = {};
  JobResult r;
  try {
    // This rank's share: an equal slice of the missing blocks.
    const auto missing = missing_ranges(kept, 0, plan.block_count());
    std::uint64_t total_missing = 0;
    for (const auto& m : missing) total_missing += m.end - m.first;
    const auto rank = static_cast<std::uint64_t>(world.rank()),
               size = static_cast<std::uint64_t>(world.size());
    const std::uint64_t from = rank * total_missing / size, to = (rank + 1) * total_missing / size;
    std::vector<BlockRange> share;
    std::uint64_t seen = 0;
    for (const auto& m : missing) {
      const std::uint64_t a = std::max(from, seen), b = std::min(to, seen + (m.end - m.first));
      if (a < b) share.push_back({m.first + (a - seen), m.first + (b - seen)});
      seen += m.end - m.first;
    }
    world.barrier();
    for (const auto& s : share) r.total += plan.organizations_in(s.first, s.end);
    r.parts = parts_directory(o.output);
    const exec::RunResult result = compute(plan, mine, share, r);
    r.computed = result.organizations;
    r.seconds = result.wall_seconds;
    r.threads = result.threads;
    r.stopped = result.stopped;
  } catch (...) {
    failure = std::current_exception();
  }
  const bool everyone = world.all(!failure && !r.stopped);
  if (failure) std::rethrow_exception(failure);
  if (!everyone) {
    r.stopped = true;  // another rank failed or was interrupted: parts are kept
    return r;
  }
  if (world.rank() == 0) {
    try {
      require_parts_directory(parts_directory(o.output));
      auto all = io::list_parts(parts_directory(o.output));
      io::check_coverage(all, plan);
      write_result(all, plan, claim_specs, o.output, o.overwrite,
                   io::RunInfo{o.command_line,
                               std::string(exec::to_string(o.run.backend)) + " x " +
                                   std::to_string(world.size()) + " MPI ranks",
                               r.threads, r.seconds, o.sources});
      std::error_code ec;
      fs::remove_all(parts_directory(o.output), ec);
    } catch (const Stopped& e) {
      r.stopped = true;
      r.stopped_while = e.what();
    } catch (...) {
      failure = std::current_exception();
    }
  }
  vote(world, failure, other_failed);
  // Rank 0 stopped while it assembled: every rank reports the interruption, parts kept.
  if (!world.all(!r.stopped)) {
    r.stopped = true;
    return r;
  }
  r.complete = true;
  return r;
}

}  // namespace tribe::job::detail

#include "tribe/job/job.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <optional>
#include <system_error>
#include <thread>

#include "tribe/claims/calibrate.hpp"
#include "tribe/claims/evaluate.hpp"
#include "tribe/claims/parse.hpp"
#include "tribe/claims/sensitivity.hpp"
#include "tribe/core/error.hpp"
#include "tribe/core/stop.hpp"
#include "tribe/core/version.hpp"
#include "tribe/design/plan.hpp"
#include "tribe/io/assembly.hpp"
#include "tribe/io/claims_store.hpp"
#include "tribe/io/file_sync.hpp"
#include "tribe/io/part_file.hpp"
#include "tribe/io/part_reader.hpp"
#include "tribe/io/result_file.hpp"
#include "tribe/io/row_reader.hpp"

namespace tribe::job {
namespace fs = std::filesystem;

Shard parse_shard(const std::string& text) {
  const std::string allowed =
      " is not allowed: expected i/n with 0 <= i < n, e.g. --shard 0/10 (0-based, like job array "
      "indices)";
  const auto slash = text.find('/');
  if (slash == std::string::npos) throw InputError("--shard " + text + allowed);
  try {
    std::size_t used = 0;
    const auto i = std::stoull(text.substr(0, slash), &used);
    if (used != slash) throw InputError("");
    const std::string rest = text.substr(slash + 1);
    const auto n = std::stoull(rest, &used);
    if (used != rest.size() || n == 0 || i >= n || text[0] == '-' || rest[0] == '-')
      throw InputError("");
    return {i, n};
  } catch (const std::exception&) {
    throw InputError("--shard " + text + allowed);
  }
}

fs::path parts_directory(const fs::path& output) {
  fs::path p = output;
  p += ".parts";
  return p;
}

namespace {

void note(const JobOptions& o, const std::string& s) {
  if (o.note) o.note(s);
}

std::string count(std::uint64_t v) {
  return std::to_string(v);
}

/// The claims and then the patterns (ClaimSpec::pattern) of an experiment, read before any
/// work starts; a wrong one is an InputError naming the experiment file.
std::vector<claims::ClaimSpec> read_claims(const design::Experiment& x) {
  try {
    auto specs = claims::parse_claims_and_patterns(x);
    std::vector<claims::ClaimSpec> patterns;
    for (const auto& c : specs)
      if (c.pattern) patterns.push_back(c);
    claims::check_calibration(x, patterns);
    return specs;
  } catch (const InputError& e) {
    throw InputError(x.source_path + ": " + e.what());
  }
}

/// The result file of a run from its parts (in block order): io/ writes the rows and the
/// cell table and returns the run's result; the claims and sensitivity indices are
/// computed here from it, and io/ stores them before it completes the file.
void write_result(const std::vector<io::PartInfo>& parts, const design::RunPlan& plan,
                  const std::vector<claims::ClaimSpec>& specs, const fs::path& target,
                  bool overwrite, const io::RunInfo& info) {
  std::vector<claims::ClaimSpec> claim_specs, pattern_specs;
  for (const auto& c : specs) (c.pattern ? pattern_specs : claim_specs).push_back(c);
  io::ResultWriter writer(target, plan, overwrite);
  writer.set_compression_threads(info.threads);  // 0 (a merge): all cores
  const exec::RunResult result = io::assemble(parts, plan, writer);
  writer.write_cells(result);
  if (!result.stopped) {
    io::write_sensitivity(writer, plan,
                          claims::sobol_sensitivity(plan, [&](std::size_t col, std::uint64_t cell) {
                            const auto& a = result.cells.at(cell).columns.at(col);
                            return a.n ? a.mean : NAN;
                          }));
    // Claims are evaluated on the rows just written, read back cell by cell.
    if (!claim_specs.empty())
      io::write_report(
          writer, plan, claim_specs,
          claims::build_report(plan, claim_specs, io::read_back(writer, result.segments)));
    // Patterns: one family of their own, apart from the claims.
    if (!pattern_specs.empty())
      io::write_patterns(
          writer, plan, pattern_specs,
          claims::evaluate(plan, pattern_specs, io::read_back(writer, result.segments)));
    // Calibration: the patterns at every calibration point, the accepted region.
    if (plan.experiment().calibration.enabled())
      io::write_calibration(
          writer, plan, pattern_specs,
          claims::calibrate(plan, pattern_specs, io::read_back(writer, result.segments),
                            info.threads));
  }
  writer.finish(info);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The lock on an output.

namespace {

std::string this_host() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown-host";
  return name;
}

}  // namespace

OutputLock::OutputLock(const fs::path& output) : path_(output) {
  path_ += ".lock";
  // flock() is held for the life of the process and released by the kernel when the
  // process dies, however it dies: a lock file whose flock is free is stale.
  for (int attempt = 0; attempt < 8; ++attempt) {
    // O_NOFOLLOW: a symbolic link at the lock's name is refused, never written through.
    const int fd = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0 && errno == ELOOP) io::refuse_symlink(path_, "lock file of the output");
    if (fd < 0)
      throw EnvironmentError(path_.string() + ": cannot create the lock file of the output (" +
                             std::strerror(errno) + ")");
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      char buf[512] = {};
      const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
      ::close(fd);
      if (err != EWOULDBLOCK)
        throw EnvironmentError(path_.string() + ": cannot lock the output (" + std::strerror(err) +
                               ")");
      std::string holder =
          n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string("another process");
      while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
      throw InputError(output.string() + " is being written by another tribe run (" + holder +
                       "); wait for it to finish or stop it (lock file " + path_.string() + ")");
    }
    // The file may have been removed (released) between open and flock: then lock again.
    struct stat held {
    }, named{};
    if (::fstat(fd, &held) != 0 || ::stat(path_.c_str(), &named) != 0 ||
        held.st_ino != named.st_ino || held.st_dev != named.st_dev) {
      ::close(fd);
      continue;
    }
    const std::string owner = "host " + this_host() + ", PID " + std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) != 0 ||
        ::pwrite(fd, owner.data(), owner.size(), 0) != static_cast<ssize_t>(owner.size())) {
      const int err = errno;
      ::unlink(path_.c_str());
      ::close(fd);
      throw EnvironmentError(path_.string() + ": cannot write the lock file of the output (" +
                             std::strerror(err) + ")");
    }
    fd_ = fd;
    return;
  }
  throw EnvironmentError(path_.string() +
                         ": cannot lock the output (the lock file keeps changing)");
}

OutputLock::~OutputLock() {
  if (fd_ < 0) return;
  ::unlink(
      path_.c_str());  // before the flock is released: a waiter then finds no file or a new one
  ::close(fd_);
}

// ---------------------------------------------------------------------------------------------

namespace {

struct BlockRange {
  std::uint64_t first = 0, end = 0;
};

std::string range_text(const BlockRange& r) {
  return "blocks [" + count(r.first) + ", " + count(r.end) + ")";
}

void discard(const JobOptions& o, const fs::path& p, std::string why) {
  std::error_code ec;
  fs::remove(p, ec);
  const std::string named = p.string() + ": ";
  if (why.starts_with(named)) why.erase(0, named.size());
  note(o, "discarded " + p.string() + ": " + why + "; its blocks are computed again");
}

/// Brings the parts directory of a run into a state a resume can continue from: damaged
/// parts (unreadable, failing their checksums, not matching the plan) and parts that
/// overlap a part kept before them are removed, each with a note; parts of another run
/// are an InputError (they are not ours to remove). Returns the round-0 parts kept, which
/// tile no block twice, within [first, end).
std::vector<io::PartInfo> repair_parts(const fs::path& dir, const design::RunPlan& plan,
                                       std::uint64_t first, std::uint64_t end,
                                       const JobOptions& o) {
  std::vector<io::DamagedPart> damaged;
  auto parts = io::list_parts(dir, true, &damaged);
  for (const auto& d : damaged) discard(o, d.path, d.reason);
  for (const auto& p : parts) {
    try {
      io::check_belongs(p, plan);
    } catch (const InputError& e) {
      throw InputError(dir.string() + " holds parts of another run (" + e.what() +
                       "); remove it or pass --overwrite to start afresh");
    }
  }
  // A precision target's rounds depend on every earlier round's statistics: its parts are
  // not resumed one by one; the run starts its rounds again. They are deterministic (the
  // same plan, seed and blocks), so the result is the one the interrupted run would have
  // written; the interruption costs the time, never the result.
  if (!parts.empty() && o.precision) {
    note(o,
         "a run with --ci-width resumes by computing its rounds again (they are "
         "deterministic: the result is the same)");
    for (const auto& p : parts) {
      std::error_code ec;
      fs::remove(p.path, ec);
    }
    return {};
  }
  std::sort(parts.begin(), parts.end(), [](const io::PartInfo& a, const io::PartInfo& b) {
    if (a.round != b.round) return a.round < b.round;
    return a.first_block != b.first_block ? a.first_block < b.first_block
                                          : a.end_block > b.end_block;
  });
  std::vector<io::PartInfo> kept;
  std::uint64_t next = first;
  for (const auto& p : parts) {
    if (p.round != 0) {
      discard(o, p.path, "it holds a later round of a precision target, which cannot be resumed");
      continue;
    }
    if (p.first_block < first || p.end_block > end) {
      discard(o, p.path,
              range_text({p.first_block, p.end_block}) + " reach outside the blocks of this run, " +
                  range_text({first, end}));
      continue;
    }
    if (p.first_block < next) {
      discard(o, p.path,
              range_text({p.first_block, p.end_block}) + " overlap " +
                  kept.back().path.filename().string());
      continue;
    }
    try {
      io::verify_part(p, plan);  // every checksum, every block against the plan
    } catch (const DamagedFileError& e) {
      discard(o, p.path, e.what());
      continue;
    }
    kept.push_back(p);
    next = p.end_block;
  }
  return kept;
}

/// The ranges of [first, end) that no kept part holds, in block order.
std::vector<BlockRange> missing_ranges(const std::vector<io::PartInfo>& kept, std::uint64_t first,
                                       std::uint64_t end) {
  std::vector<BlockRange> todo;
  std::uint64_t next = first;
  for (const auto& p : kept) {
    if (p.round != 0 || p.end_block <= first || p.first_block >= end) continue;
    if (p.first_block > next) todo.push_back({next, p.first_block});
    next = std::max(next, p.end_block);
  }
  if (next < end) todo.push_back({next, end});
  return todo;
}

/// The parts directory of a run that has just computed its blocks: gone (deleted or moved
/// while the run went on) is a fault of the environment, not missing input (issue 27,
/// item 15).
void require_parts_directory(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw EnvironmentError(dir.string() +
                           ": the directory of part files vanished during the run (deleted or "
                           "moved?); rerun the same command to compute its blocks again");
}

/// Removes a parts directory left beside a complete result (a crash after the final
/// rename, before the clean-up).
void remove_stale_parts(const fs::path& output, const JobOptions& o) {
  std::error_code ec;
  const fs::path dir = parts_directory(output);
  if (!fs::exists(output, ec) || !fs::is_directory(dir, ec)) return;
  try {
    io::ResultReader complete(output);  // a complete, valid result
  } catch (const std::exception&) {
    return;
  }
  fs::remove_all(dir, ec);
  note(o, "removed " + dir.string() + ", left over beside the complete " + output.string());
}

/// Everything a run needs before it computes, done by one process: the target checked,
/// the output locked, parts cleared (--overwrite) or repaired. Returns the kept parts.
std::vector<io::PartInfo> prepare(const design::RunPlan& plan, const JobOptions& o,
                                  std::uint64_t first, std::uint64_t end,
                                  std::optional<OutputLock>& lock) {
  const fs::path parts_dir = parts_directory(o.output);
  if (o.create_output_directory && o.output.has_parent_path()) {
    std::error_code made;
    if (!fs::is_directory(o.output.parent_path(), made)) {
      fs::create_directories(o.output.parent_path(), made);
      if (made)
        throw EnvironmentError(o.output.parent_path().string() +
                               ": cannot create the output directory: " + made.message());
      note(o, "created the output directory " + o.output.parent_path().string());
    }
  }
  io::check_output_target(o.output, true);  // the directory; the file itself once locked
  lock.emplace(o.output);
  remove_stale_parts(o.output, o);
  io::check_output_target(o.output, o.overwrite);
  std::error_code ec;
  if (o.overwrite) fs::remove_all(parts_dir, ec);
  const bool had_parts = fs::is_directory(parts_dir, ec) && !fs::is_empty(parts_dir, ec);
  auto kept = repair_parts(parts_dir, plan, first, end, o);
  if (o.resume && kept.empty() && !(o.precision && had_parts))
    throw InputError("--resume: nothing to resume (" + parts_dir.string() +
                     " holds no usable parts)");
  return kept;
}

/// Computes the blocks of `todo` into parts. Returns the run's result (stopped when interrupted).
/// Hands blocks on to the part writer. A test hook: with TRIBE_TEST_HOLD_AFTER_FIRST_PART
/// set to a path, the run holds once its first part is on disk until that path exists (or
/// the run is stopped, or a minute passes), so that a test can signal, kill or race a run
/// that is certain to be in the middle of its work. Unset (always, outside tests): no effect.
class PartSink final : public exec::BlockSink {
 public:
  PartSink(io::PartWriter& parts, const std::atomic<bool>* stop) : parts_(parts), stop_(stop) {
    if (const char* release = std::getenv("TRIBE_TEST_HOLD_AFTER_FIRST_PART")) release_ = release;
  }
  void consume(const exec::BlockRows& rows) override {
    parts_.consume(rows);
    if (release_.empty() || parts_.rows_written() == 0) return;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    std::error_code ec;
    while (!fs::exists(release_, ec) && !(stop_ && stop_->load()) &&
           std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    release_.clear();  // once
  }

 private:
  io::PartWriter& parts_;
  const std::atomic<bool>* stop_;
  fs::path release_;
};

exec::RunResult compute(const design::RunPlan& plan, const JobOptions& o,
                        const std::vector<BlockRange>& todo, JobResult& r) {
  const fs::path parts_dir = parts_directory(o.output);
  exec::RunResult total;
  total.cells.resize(plan.cells().size());
  std::uint64_t todo_orgs = 0;
  for (const auto& t : todo) todo_orgs += plan.organizations_in(t.first, t.end);
  io::PartWriter parts(parts_dir, plan, 0, o.rows_per_part);
  PartSink sink(parts, o.run.stop);
  if (o.precision) {
    total = exec::run_to_precision(plan, o.run, sink, *o.precision,
                                   [&](std::uint64_t round) { parts.start_round(round); });
  } else {
    double elapsed = 0.0;
    for (const auto& t : todo) {
      exec::RunOptions run = o.run;
      run.first_block = t.first;
      run.end_block = t.end;
      const std::uint64_t before = total.organizations;
      if (o.run.on_progress)
        run.on_progress = [&, before](const exec::Progress& p) {
          o.run.on_progress({before + p.done, todo_orgs, elapsed + p.elapsed_seconds});
        };
      const exec::RunResult part = exec::run(plan, run, sink);
      parts.flush();  // the next range starts a part of its own
      total.organizations += part.organizations;
      elapsed += part.wall_seconds;
      total.wall_seconds = elapsed;
      total.threads = part.threads;
      if (part.stopped) {
        total.stopped = true;
        break;
      }
    }
  }
  parts.flush();
  r.peak_buffered_rows = parts.peak_buffered_rows();
  return total;
}

JobResult run_job_local(const design::Experiment& x,
                        const std::vector<claims::ClaimSpec>& claim_specs, const JobOptions& o);

/// The memory this process may use: the cgroup's limit if it has one, else the machine's.
double available_memory() {
  double bytes =
      static_cast<double>(::sysconf(_SC_PHYS_PAGES)) * static_cast<double>(::sysconf(_SC_PAGESIZE));
  std::ifstream limit("/sys/fs/cgroup/memory.max");
  std::string text;
  if (limit >> text && !text.empty() && text.find_first_not_of("0123456789") == std::string::npos)
    bytes = std::min(bytes, std::stod(text));
  return bytes;
}

/// Refuses, before any work, a run whose organizations cannot fit in memory: each worker
/// thread holds one organization at a time; three quarters of the memory are theirs.
void check_memory(const design::RunPlan& plan, const JobOptions& o) {
  const unsigned threads = o.run.backend == exec::Backend::Serial
                               ? 1u
                               : (o.run.threads ? o.run.threads : exec::hardware_threads());
  const double per_worker = 0.75 * available_memory() / threads;
  const auto& model = *plan.experiment().model;
  for (const auto& cell : plan.cells()) {
    try {
      model.check_memory(cell.values, per_worker);
    } catch (const InputError& e) {
      const std::string label = cell.label(plan.experiment());
      throw InputError("cell " + std::to_string(cell.index) + " " +
                       (label.starts_with("(") ? label : "(" + label + ")") + ": " + e.what());
    }
  }
}

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

JobResult run_job(const design::Experiment& x, const JobOptions& o) {
  // The run's stop flag is the process's while it runs: the phases after the computing
  // (assembly, claims, robustness, PRIM, calibration) and the models' time loops see it.
  const StopScope stop_scope(o.run.stop);
  // Every front end (the CLI, tribe.run) gets this check here: a result written over the
  // experiment file would destroy the user's experiment (issue 27, item 12).
  {
    std::error_code ec;
    if (!x.source_path.empty() && fs::equivalent(o.output, fs::path(x.source_path), ec))
      throw InputError("the output " + o.output.string() +
                       " is the experiment file itself; write the result to another file");
  }
  const auto claim_specs = read_claims(x);
  if (!o.ranks || o.ranks->size() == 1) return run_job_local(x, claim_specs, o);
  // Several ranks: rank 0 checks the target, locks it and repairs the parts; every rank
  // then takes its share of the blocks no part holds; all agree that every share is done,
  // then rank 0 assembles. Every step ends with a collective vote, so that a rank that
  // fails never leaves the others waiting: they stop too, each with a line.
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
                               r.threads, r.seconds});
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

namespace {

JobResult run_job_local(const design::Experiment& x,
                        const std::vector<claims::ClaimSpec>& claim_specs, const JobOptions& o) {
  const design::RunPlan plan(x, x.organizations_per_cell);
  const fs::path parts_dir = parts_directory(o.output);
  JobResult r;
  r.parts = parts_dir;
  if (o.shard && o.precision)
    throw InputError(
        "--shard and --ci-width cannot be combined: a precision target decides over all cells at "
        "once");

  std::uint64_t first = 0, end = plan.block_count();
  if (o.shard) {
    // Every shard takes at least one block of organizations: more shards than blocks
    // would write empty shards that merge then refuses (issue 27, item 10), and a huge n
    // would overflow index * blocks.
    if (o.shard->count > plan.block_count())
      throw InputError("--shard " + count(o.shard->index) + "/" + count(o.shard->count) +
                       ": this run has " + count(plan.block_count()) +
                       " blocks of organizations, so at most " + count(plan.block_count()) +
                       " shards (n <= " + count(plan.block_count()) + ")");
    first = o.shard->index * plan.block_count() / o.shard->count;
    end = (o.shard->index + 1) * plan.block_count() / o.shard->count;
  }
  // Everything about the target is checked, and the output locked, before any work starts.
  check_memory(plan, o);
  std::optional<OutputLock> lock;
  const auto kept = prepare(plan, o, first, end, lock);

  r.total = plan.organizations_in(first, end);
  note(o, x.name + ": " + count(plan.cells().size()) + " cells x " +
              count(plan.organizations_per_cell()) +
              " organizations = " + count(plan.total_organizations()) +
              (o.shard ? ", shard " + count(o.shard->index) + "/" + count(o.shard->count) + " (" +
                             count(r.total) + ")"
                       : "") +
              ", backend " + std::string(exec::to_string(o.run.backend)));
  const auto todo = missing_ranges(kept, first, end);
  std::uint64_t missing = 0;
  for (const auto& t : todo) missing += plan.organizations_in(t.first, t.end);
  r.resumed_from = r.total - missing;
  if (r.resumed_from > 0)
    note(o, "resuming: " + count(r.resumed_from) + " of " + count(r.total) +
                " organizations are done in " + parts_dir.string());

  // Compute what is missing, writing parts as blocks finish.
  const exec::RunResult result = compute(plan, o, todo, r);
  r.computed = result.organizations;
  r.seconds = result.wall_seconds;
  r.threads = result.threads;
  if (o.precision) r.total = std::max(r.total, result.organizations);
  if (result.stopped) {
    r.stopped = true;
    return r;
  }

  // Assemble: a shard into its one part file, a whole run into the result file.
  require_parts_directory(parts_dir);
  auto all = io::list_parts(parts_dir);
  io::RunInfo info{o.command_line, std::string(exec::to_string(o.run.backend)), r.threads,
                   r.seconds};
  std::error_code ec;
  if (o.shard) {
    // Streamed, a part's worth of rows at a time, into the file (under a temporary name
    // until it is complete; it then replaces any file --overwrite allowed to replace).
    io::PartWriter single(io::PartWriter::SingleFile{o.output, first, end}, plan, o.rows_per_part);
    for (const auto& p : all) {
      if (stop_requested()) {
        r.stopped = true;
        r.stopped_while = "interrupted while writing the shard";
        return r;  // the shard's temporary file is removed with `single`
      }
      if (p.round == 0 && p.first_block >= first && p.end_block <= end)
        io::for_each_block(p, plan, [&](const exec::BlockRows& rows) { single.consume(rows); });
    }
    single.finish();
    r.peak_buffered_rows = std::max(r.peak_buffered_rows, single.peak_buffered_rows());
  } else {
    if (!o.precision) io::check_coverage(all, plan);
    const auto start = std::chrono::steady_clock::now();
    note(o, "assembling " + o.output.string() + " from " + count(all.size()) + " parts" +
                (claim_specs.empty() ? ""
                                     : " and evaluating " + count(claim_specs.size()) + " claims"));
    try {
      write_result(all, plan, claim_specs, o.output, o.overwrite, info);
    } catch (const Stopped& e) {
      // Nothing of the result is kept (its temporary file is gone); every part is.
      r.stopped = true;
      r.stopped_while = e.what();
      return r;
    }
    char took[32];
    std::snprintf(took, sizeof took, "%.1f",
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    note(o, "assembled in " + std::string(took) + " s");
  }
  fs::remove_all(parts_dir, ec);
  r.complete = true;
  return r;
}

}  // namespace

void merge_shards(const std::vector<fs::path>& shards, const fs::path& output, bool overwrite,
                  const std::string& command_line) {
  if (shards.empty()) throw InputError("tribe merge: no shard files given");
  io::check_output_target(output, true);  // the directory; the file itself once locked
  const OutputLock lock(output);
  std::error_code ec;
  for (const auto& s : shards)
    if (fs::equivalent(s, output, ec))
      throw InputError("-o " + output.string() +
                       " is one of the shards to merge; write the result to another file");
  io::check_output_target(output, overwrite);
  std::vector<io::PartInfo> parts;
  for (const auto& s : shards) parts.push_back(io::read_part_info(s));
  // The run is described by the shards themselves: the experiment text they carry.
  const design::Experiment x =
      design::parse_experiment(parts[0].experiment, parts[0].path.string());
  design::Experiment sized = x;
  sized.organizations_per_cell = parts[0].organizations_per_cell;
  sized.seed = parts[0].seed;
  const design::RunPlan plan(sized, sized.organizations_per_cell);
  for (const auto& p : parts) io::check_belongs(p, plan);
  for (std::size_t i = 0; i < parts.size(); ++i)
    for (std::size_t j = i + 1; j < parts.size(); ++j)
      if (fs::equivalent(parts[i].path, parts[j].path))
        throw InputError("shard " + parts[i].path.string() + " is given twice");
  std::sort(parts.begin(), parts.end(),
            [](const auto& a, const auto& b) { return a.first_block < b.first_block; });
  io::check_coverage(parts, plan);
  write_result(parts, plan, read_claims(sized), output, overwrite,
               io::RunInfo{command_line, "merge", 0, 0.0});
}

}  // namespace tribe::job

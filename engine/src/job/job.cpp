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

#include "internal.hpp"
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
using namespace detail;
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

namespace detail {

void note(const JobOptions& o, const std::string& s) {
  if (o.note) o.note(s);
}

std::string count(std::uint64_t v) {
  return std::to_string(v);
}

namespace {

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

}  // namespace

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

namespace {

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

}  // namespace

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

}  // namespace detail

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
                   r.seconds, o.sources};
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
  return run_job_ranks(x, claim_specs, o);
}

}  // namespace tribe::job

#include "tribe/job/job.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <system_error>

#include "tribe/core/error.hpp"
#include "tribe/core/version.hpp"
#include "tribe/design/plan.hpp"
#include "tribe/io/part_file.hpp"
#include "tribe/io/result_file.hpp"

namespace tribe::job {
namespace fs = std::filesystem;

Shard parse_shard(const std::string& text) {
  const std::string allowed = " is not allowed: expected i/n with 0 <= i < n, e.g. --shard 0/10 (0-based, like job array indices)";
  const auto slash = text.find('/');
  if (slash == std::string::npos) throw InputError("--shard " + text + allowed);
  try {
    std::size_t used = 0;
    const auto i = std::stoull(text.substr(0, slash), &used);
    if (used != slash) throw InputError("");
    const std::string rest = text.substr(slash + 1);
    const auto n = std::stoull(rest, &used);
    if (used != rest.size() || n == 0 || i >= n || text[0] == '-' || rest[0] == '-') throw InputError("");
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

std::string count(std::uint64_t v) { return std::to_string(v); }

}  // namespace

namespace {

JobResult run_job_local(const design::Experiment& x, const JobOptions& o);

}  // namespace

JobResult run_job(const design::Experiment& x, const JobOptions& o) {
  if (!o.ranks || o.ranks->size() == 1) return run_job_local(x, o);
  // Several ranks: every rank checks and computes its slice (a shard without its own
  // output), all agree that every slice is done, then rank 0 assembles from the parts.
  Collective& world = *o.ranks;
  if (o.shard) throw InputError("--shard cannot be combined with an MPI run (the ranks are the shards)");
  if (o.precision) throw InputError("--ci-width is not supported in an MPI run; run it on one node");
  JobOptions mine = o;
  mine.shard = Shard{static_cast<std::uint64_t>(world.rank()), static_cast<std::uint64_t>(world.size())};
  mine.assemble = false;
  if (world.rank() != 0) mine.note = {};
  // Rank 0 prepares (and with --overwrite clears) the target; the others wait for it.
  bool ready = true;
  std::string setup_error;
  if (world.rank() == 0) {
    try {
      io::check_output_target(o.output, o.overwrite);
      std::error_code ec;
      if (o.overwrite) fs::remove_all(parts_directory(o.output), ec);
      io::list_parts(parts_directory(o.output), true);  // clears temporaries of a crashed attempt
    } catch (const std::exception& e) {
      ready = false;
      setup_error = e.what();
    }
  }
  if (!world.all(ready)) {
    if (!ready) throw EnvironmentError(setup_error);
    JobResult failed;
    failed.stopped = true;
    return failed;
  }
  mine.overwrite = false;
  mine.check_target = false;
  JobResult r;
  bool ok = true;
  std::string error;
  try {
    r = run_job_local(x, mine);
  } catch (const std::exception& e) {
    ok = false;
    error = e.what();
  }
  const bool everyone = world.all(ok && !r.stopped);
  if (!ok) throw InputError(error);
  if (!everyone) {
    r.stopped = true;  // another rank failed or was interrupted: parts are kept
    return r;
  }
  if (world.rank() == 0) {
    const design::RunPlan plan(x, x.organizations_per_cell);
    auto all = io::list_parts(parts_directory(o.output));
    io::check_coverage(all, plan);
    io::assemble(all, plan, o.output, o.overwrite,
                 io::RunInfo{o.command_line, std::string(exec::to_string(o.run.backend)) + " x " +
                                                 std::to_string(world.size()) + " MPI ranks",
                             r.threads, r.seconds});
    std::error_code ec;
    fs::remove_all(parts_directory(o.output), ec);
    r.complete = true;
  }
  world.barrier();
  r.complete = true;
  return r;
}

namespace {

JobResult run_job_local(const design::Experiment& x, const JobOptions& o) {
  const design::RunPlan plan(x, x.organizations_per_cell);
  const fs::path parts_dir = parts_directory(o.output);
  JobResult r;
  r.parts = parts_dir;

  // Everything about the target is checked before any work starts.
  if (o.check_target) io::check_output_target(o.output, o.overwrite);
  if (o.shard && o.precision)
    throw InputError("--shard and --ci-width cannot be combined: a precision target decides over all cells at once");
  std::error_code ec;
  if (o.overwrite) fs::remove_all(parts_dir, ec);
  auto existing = io::list_parts(parts_dir, o.assemble);
  for (const auto& p : existing) {
    try {
      io::check_belongs(p, plan);
    } catch (const InputError& e) {
      throw InputError(parts_dir.string() + " holds parts of another run (" + e.what() +
                       "); remove it or pass --overwrite to start afresh");
    }
  }
  if (o.resume && existing.empty())
    throw InputError("--resume: nothing to resume (" + parts_dir.string() + " holds no parts)");
  if (!existing.empty() && o.precision)
    throw InputError(parts_dir.string() + " holds parts of an interrupted run, and a run with --ci-width cannot be "
                     "resumed; pass --overwrite to start afresh");

  std::uint64_t first = 0, end = plan.block_count();
  if (o.shard) {
    first = o.shard->index * plan.block_count() / o.shard->count;
    end = (o.shard->index + 1) * plan.block_count() / o.shard->count;
  }
  for (std::uint64_t b = first; b < end; ++b) r.total += plan.block(b).count;
  note(o, x.name + ": " + count(plan.cells().size()) + " cells x " + count(plan.organizations_per_cell()) +
              " organizations = " + count(plan.total_organizations()) +
              (o.shard ? ", shard " + count(o.shard->index) + "/" + count(o.shard->count) + " (" + count(r.total) + ")" : "") +
              ", backend " + std::string(exec::to_string(o.run.backend)));
  const std::uint64_t resume_at = std::min(io::completed_prefix(existing, first), end);
  for (std::uint64_t b = first; b < resume_at; ++b) r.resumed_from += plan.block(b).count;
  if (r.resumed_from > 0)
    note(o, "resuming: " + count(r.resumed_from) + " of " + count(r.total) + " organizations are done in " +
                parts_dir.string());

  // Compute what is missing, writing parts as blocks finish.
  exec::RunOptions run = o.run;
  run.first_block = resume_at;
  run.end_block = end;
  exec::RunResult result;
  {
    io::PartWriter parts(parts_dir, plan, 0, o.rows_per_part);
    if (o.precision)
      result = exec::run_to_precision(plan, run, parts, *o.precision, [&](std::uint64_t round) { parts.start_round(round); });
    else if (resume_at < end)
      result = exec::run(plan, run, parts);
    parts.flush();
    r.peak_buffered_rows = parts.peak_buffered_rows();
  }  // its buffers are freed before the assembly
  r.computed = result.organizations;
  r.seconds = result.wall_seconds;
  r.threads = result.threads;
  if (o.precision) r.total = std::max(r.total, result.organizations);
  if (result.stopped) {
    r.stopped = true;
    return r;
  }

  if (!o.assemble) return r;  // a rank of a multi-process run: rank 0 assembles
  // Assemble: a shard into its one part file, a whole run into the result file.
  auto all = io::list_parts(parts_dir);
  io::RunInfo info{o.command_line, std::string(exec::to_string(o.run.backend)), r.threads, r.seconds};
  if (o.shard) {
    // Streamed, a part's worth of rows at a time, into the file (under a temporary name
    // until it is complete; it then replaces any file --overwrite allowed to replace).
    io::PartWriter single(io::PartWriter::SingleFile{o.output, first, end}, plan, o.rows_per_part);
    const std::size_t columns = x.model->columns().size();
    for (const auto& p : all)
      if (p.round == 0 && p.first_block >= first && p.end_block <= end)
        io::for_each_block(p, columns, [&](const exec::BlockRows& rows) { single.consume(rows); });
    single.finish();
    r.peak_buffered_rows = std::max(r.peak_buffered_rows, single.peak_buffered_rows());
  } else {
    if (!o.precision) io::check_coverage(all, plan);
    const auto start = std::chrono::steady_clock::now();
    note(o, "assembling " + o.output.string() + " from " + count(all.size()) + " parts" +
                (x.claims.empty() ? "" : " and evaluating " + count(x.claims.size()) + " claims"));
    io::assemble(all, plan, o.output, o.overwrite, info);
    char took[32];
    std::snprintf(took, sizeof took, "%.1f", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
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
  io::check_output_target(output, overwrite);
  std::vector<io::PartInfo> parts;
  for (const auto& s : shards) parts.push_back(io::read_part_info(s));
  // The run is described by the shards themselves: the experiment text they carry.
  const design::Experiment x = design::parse_experiment(parts[0].experiment, parts[0].path.string());
  design::Experiment sized = x;
  sized.organizations_per_cell = parts[0].organizations_per_cell;
  sized.seed = parts[0].seed;
  const design::RunPlan plan(sized, sized.organizations_per_cell);
  for (const auto& p : parts) io::check_belongs(p, plan);
  for (std::size_t i = 0; i < parts.size(); ++i)
    for (std::size_t j = i + 1; j < parts.size(); ++j)
      if (fs::equivalent(parts[i].path, parts[j].path))
        throw InputError("shard " + parts[i].path.string() + " is given twice");
  std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.first_block < b.first_block; });
  io::check_coverage(parts, plan);
  io::assemble(parts, plan, output, overwrite, io::RunInfo{command_line, "merge", 0, 0.0});
}

}  // namespace tribe::job

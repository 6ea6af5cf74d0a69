// The parts directory of a run made ready for it: the target checked and locked, damaged,
// foreign or overlapping parts set aside, and the blocks still to compute.
#include <algorithm>

#include "internal.hpp"
#include "tribe/core/error.hpp"
#include "tribe/io/assembly.hpp"
#include "tribe/io/part_reader.hpp"

namespace tribe::job::detail {
namespace {

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

}  // namespace

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

void require_parts_directory(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw EnvironmentError(dir.string() +
                           ": the directory of part files vanished during the run (deleted or "
                           "moved?); rerun the same command to compute its blocks again");
}

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

}  // namespace tribe::job::detail

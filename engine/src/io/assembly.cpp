#include "tribe/io/assembly.hpp"

#include <algorithm>

#include "tribe/core/error.hpp"
#include "tribe/core/stop.hpp"
#include "tribe/core/version.hpp"
#include "tribe/io/part_reader.hpp"

namespace tribe::io {

void check_belongs(const PartInfo& p, const design::RunPlan& plan) {
  const auto& x = plan.experiment();
  const std::string who = p.path.string() + " does not belong to this run: ";
  if (p.experiment != x.source_text)
    throw InputError(who + "it was made from another experiment file");
  if (p.seed != x.seed)
    throw InputError(who + "seed " + std::to_string(p.seed) + " vs " + std::to_string(x.seed));
  if (p.organizations_per_cell != plan.organizations_per_cell())
    throw InputError(who + "organizations per cell " + std::to_string(p.organizations_per_cell) +
                     " vs " + std::to_string(plan.organizations_per_cell()));
  if (p.block_size != plan.block_size() || p.cells != plan.cells().size())
    throw InputError(who + "another block size or number of cells");
  if (p.engine_version != version::engine())
    throw InputError(who + "engine version " + p.engine_version + " vs " +
                     std::string(version::engine()));
  if (p.model != x.model->name() || p.model_version != x.model->version())
    throw InputError(who + "model " + p.model + " " + p.model_version + " vs " +
                     std::string(x.model->name()) + " " + std::string(x.model->version()));
}

void check_coverage(const std::vector<PartInfo>& parts, const design::RunPlan& plan) {
  std::vector<const PartInfo*> round0;
  for (const auto& p : parts)
    if (p.round == 0) round0.push_back(&p);
  std::sort(round0.begin(), round0.end(),
            [](auto a, auto b) { return a->first_block < b->first_block; });
  auto describe = [&](std::uint64_t a, std::uint64_t b) {
    const auto first = plan.block(a), last = plan.block(b - 1);
    return "blocks [" + std::to_string(a) + ", " + std::to_string(b) + ") (organizations " +
           std::to_string(first.first) + " of cell " + std::to_string(first.cell) + " to " +
           std::to_string(last.first + last.count - 1) + " of cell " + std::to_string(last.cell) +
           ")";
  };
  std::uint64_t next = 0;
  const PartInfo* previous = nullptr;
  for (const auto* p : round0) {
    if (p->first_block < next)
      throw InputError(
          "overlapping parts: " + describe(p->first_block, std::min(next, p->end_block)) +
          " are in both " + previous->path.string() + " and " + p->path.string());
    if (p->first_block > next)
      throw InputError("missing part: " + describe(next, p->first_block) +
                       " are in none of the files (before " + p->path.string() + ")");
    next = p->end_block;
    previous = p;
  }
  if (next < plan.block_count())
    throw InputError("missing part: " + describe(next, plan.block_count()) +
                     " are in none of the files");
}

exec::RunResult assemble(const std::vector<PartInfo>& parts, const design::RunPlan& plan,
                         ResultWriter& writer) {
  const std::size_t columns = plan.experiment().model->columns().size();
  exec::RunResult result;
  result.cells.resize(plan.cells().size());
  for (auto& c : result.cells) c.columns.resize(columns);
  for (const auto& p : parts) {
    stop_point("assembling the result");
    check_belongs(p, plan);
    for_each_block(p, plan, [&](const exec::BlockRows& rows) {
      stop_point("assembling the result");
      // The same ordered reduction as a single uninterrupted run: block by block.
      exec::merge_block(result.cells, rows.block, rows.accumulators);
      exec::append_segment(result.segments, rows.block);
      result.organizations += rows.block.count;
      writer.consume(rows);
    });
  }
  return result;
}

}  // namespace tribe::io

#pragma once
// A run's parts put together: whether they belong to the run and cover its blocks once,
// how far a resumed run got, and the result file assembled from them in block order
// (the same ordered reduction as one uninterrupted run).
#include <cstdint>
#include <vector>

#include "tribe/design/plan.hpp"
#include "tribe/exec/runner.hpp"
#include "tribe/io/part_file.hpp"
#include "tribe/io/result_file.hpp"

namespace tribe::io {

/// Throws InputError naming the part and the field when a part does not belong to
/// the run of `plan` (another experiment, seed, size, engine or model version).
void check_belongs(const PartInfo& part, const design::RunPlan& plan);

/// Checks that round-0 parts cover blocks [0, plan.block_count()) exactly once:
/// a missing range or an overlap is an InputError naming the blocks and the files.
void check_coverage(const std::vector<PartInfo>& parts, const design::RunPlan& plan);

/// Feeds the blocks of the parts (each checked to belong to the run of `plan`, in the
/// given order) into `writer`, and returns the run's result: the cell statistics merged
/// block by block (the same ordered reduction as one uninterrupted run) and the segments
/// of the rows in the order written. The caller completes the file (job/job.hpp).
exec::RunResult assemble(const std::vector<PartInfo>& parts, const design::RunPlan& plan,
                         ResultWriter& writer);

}  // namespace tribe::io

#pragma once
// Part and shard files read back (io/part_file.hpp writes them): the header of each,
// the parts of a run directory, and the blocks of a part with their rows and
// accumulators, every value read through its checksum and checked against the plan.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "tribe/design/plan.hpp"
#include "tribe/exec/runner.hpp"
#include "tribe/io/part_file.hpp"

namespace tribe::io {

/// Reads and checks the header of a part file (filetype, format version) and validates
/// its layout against it (io/validate.hpp): a damaged part is a DamagedFileError.
PartInfo read_part_info(const std::filesystem::path& path);

/// A part file that could not be used, and why.
struct DamagedPart {
  std::filesystem::path path;
  std::string reason;
};

/// The parts of a run directory, sorted by (round, first block). Leftover temporary
/// files of an interrupted write are removed when `remove_temporaries` (never while
/// other processes may be writing into the directory). A missing directory gives no parts.
/// A part that is damaged throws, or, given `damaged`, is listed there instead.
std::vector<PartInfo> list_parts(const std::filesystem::path& directory,
                                 bool remove_temporaries = true,
                                 std::vector<DamagedPart>* damaged = nullptr);

/// Calls `f` for every block of a part, in order, with its rows and accumulators. Every
/// value is read through its checksum and the blocks are checked against `plan`: a
/// damaged part is a DamagedFileError naming the dataset.
void for_each_block(const PartInfo& part, const design::RunPlan& plan,
                    const std::function<void(const exec::BlockRows&)>& f);

/// Reads a whole part (every checksum, every block against the plan) without using it:
/// throws DamagedFileError when for_each_block would.
void verify_part(const PartInfo& part, const design::RunPlan& plan);

}  // namespace tribe::io

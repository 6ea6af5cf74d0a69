#pragma once
// Part files: the durable pieces of a run, and the unit of crash safety, resume,
// sharding (job arrays) and multi-rank (MPI) runs.
//
// While a run goes on, finished blocks are written, in block order, into part files
// of at least `rows_per_part` organizations: `OUT.h5.parts/part-R-FFFFFFFFFFFF-EEEEEEEEEEEE.h5`
// (round R, blocks [F, E)). Each part is written to a temporary name, closed, synced
// and renamed, so after `kill -9` at any moment every part present is complete. A shard's
// single file is a part too, streamed into place (sized up front, filled a part's worth of
// rows at a time), so that no writer holds more than one part of rows in memory. A part
// holds its organizations' rows and each block's accumulators, so assembling the parts
// in block order gives the same result file, byte for byte in its datasets, however
// the blocks were split between parts, processes, ranks or attempts.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tribe/design/plan.hpp"
#include "tribe/exec/runner.hpp"
#include "tribe/io/hdf5.hpp"
#include "tribe/io/result_file.hpp"

namespace tribe::io {

inline constexpr std::string_view kPartFiletype = "tribe-part";

/// What a part file says about itself (its header).
struct PartInfo {
  std::filesystem::path path;
  std::uint64_t round = 0;
  std::uint64_t first_block = 0, end_block = 0;  // blocks [first, end) of its round's plan
  std::uint64_t rows = 0;
  std::string experiment;  // the full experiment text of the run
  std::uint64_t seed = 0, organizations_per_cell = 0, block_size = 0, cells = 0;
  std::string engine_version, model, model_version;
};

/// Writes the blocks it receives (in block order) into part files, holding at most
/// `rows_per_part` rows (plus one block) in memory.
class PartWriter final : public exec::BlockSink {
 public:
  /// Parts of at least `rows_per_part` rows into `directory` (created if missing).
  PartWriter(std::filesystem::path directory, const design::RunPlan& plan, std::uint64_t round,
             std::uint64_t rows_per_part = 65536);
  /// One part file at `path` holding blocks [first_block, end_block) of round 0: a shard's output.
  struct SingleFile {
    std::filesystem::path path;
    std::uint64_t first_block = 0, end_block = 0;
  };
  /// Streams the blocks into `target.path`: the file is created (under a temporary name)
  /// sized for all its blocks, and filled every `rows_per_part` rows; finish() completes it.
  PartWriter(const SingleFile& target, const design::RunPlan& plan,
             std::uint64_t rows_per_part = 65536);
  /// An unfinished single file is removed (its temporary name; the target is untouched).
  ~PartWriter() override;

  void consume(const exec::BlockRows& rows) override;
  /// Writes what is buffered: as a part (at the end of a run, or when it is interrupted),
  /// or into the single file.
  void flush();
  /// Flushes; a single file must then hold all its blocks, and is closed, checked, synced
  /// and renamed to its name.
  void finish();
  /// Flushes, then labels the following blocks as round `round` (precision targets).
  void start_round(std::uint64_t round) {
    flush();
    round_ = round;
  }

  std::uint64_t rows_written() const { return rows_written_; }
  /// The most rows held in memory at once (at most rows_per_part plus one block).
  std::uint64_t peak_buffered_rows() const { return peak_buffered_rows_; }

 private:
  struct Buffered {
    design::Block block;
    std::uint64_t index;
  };
  class File;  // one part file being written
  std::filesystem::path directory_;
  const design::RunPlan& plan_;
  std::uint64_t round_, rows_per_part_;
  std::unique_ptr<File> single_;  // the single file; null when writing parts
  std::vector<Buffered> blocks_;
  std::vector<double> rows_;             // row-major
  std::vector<stats::Accumulator> acc_;  // blocks x columns
  std::uint64_t buffered_rows_ = 0;
  std::uint64_t rows_written_ = 0, peak_buffered_rows_ = 0;
};

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

/// Throws InputError naming the part and the field when a part does not belong to
/// the run of `plan` (another experiment, seed, size, engine or model version).
void check_belongs(const PartInfo& part, const design::RunPlan& plan);

/// Checks that round-0 parts cover blocks [0, plan.block_count()) exactly once:
/// a missing range or an overlap is an InputError naming the blocks and the files.
void check_coverage(const std::vector<PartInfo>& parts, const design::RunPlan& plan);

/// Calls `f` for every block of a part, in order, with its rows and accumulators. Every
/// value is read through its checksum and the blocks are checked against `plan`: a
/// damaged part is a DamagedFileError naming the dataset.
void for_each_block(const PartInfo& part, const design::RunPlan& plan,
                    const std::function<void(const exec::BlockRows&)>& f);

/// Reads a whole part (every checksum, every block against the plan) without using it:
/// throws DamagedFileError when for_each_block would.
void verify_part(const PartInfo& part, const design::RunPlan& plan);

/// The number of leading blocks of round 0 that the parts hold contiguously from `first`
/// (the point where a resumed run continues).
std::uint64_t completed_prefix(const std::vector<PartInfo>& parts, std::uint64_t first);

/// Feeds the blocks of the parts (each checked to belong to the run of `plan`, in the
/// given order) into `writer`, and returns the run's result: the cell statistics merged
/// block by block (the same ordered reduction as one uninterrupted run) and the segments
/// of the rows in the order written. The caller completes the file (job/job.hpp).
exec::RunResult assemble(const std::vector<PartInfo>& parts, const design::RunPlan& plan,
                         ResultWriter& writer);

}  // namespace tribe::io

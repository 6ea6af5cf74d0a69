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
/// The datasets of a part's /blocks (one value per block) and, per column, of
/// /blocks/accumulators/<column> (a block's stats::Accumulator), as written and checked.
inline constexpr const char* kPartBlockFields[] = {"index", "cell", "first", "count"};
inline constexpr const char* kPartAccumulatorFields[] = {"n",   "missing", "mean", "m2",
                                                         "sum", "min",     "max"};

/// What a part file says about itself (its header).
struct PartInfo {
  std::filesystem::path path;
  std::uint64_t round = 0;
  std::uint64_t first_block = 0, end_block = 0;  // blocks [first, end) of its round's plan
  std::uint64_t rows = 0;
  std::string experiment;  // the full experiment text of the run
  std::uint64_t seed = 0, organizations_per_cell = 0, block_size = 0, cells = 0;
  std::string engine_version, model, model_version;
  std::string model_library;  // the library the model was loaded from ("" when built in)
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

}  // namespace tribe::io

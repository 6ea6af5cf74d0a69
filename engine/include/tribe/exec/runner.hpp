#pragma once
// Runs a plan on a parallel backend and streams results, in block order, to a sink.
//
// Work is cut into blocks of organizations (fixed by the plan). Blocks are computed
// in windows; while the workers compute window w+1, a writer thread hands window w,
// in block order, to the sink and merges its per-block accumulators into the cell
// statistics. Memory is bounded by two windows whatever the number of organizations,
// and every result (rows and statistics) is independent of backend and thread count.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tribe/design/plan.hpp"
#include "tribe/stats/accumulator.hpp"

namespace tribe::exec {

enum class Backend { Serial, OpenMP, TBB };
std::string_view to_string(Backend b);
/// Parses "serial", "openmp" or "tbb"; throws InputError otherwise.
Backend parse_backend(std::string_view name);

/// The rows of one block: count x columns values, row-major, and the block's own
/// accumulator of every column (merged in block order, they give the cell statistics).
struct BlockRows {
  design::Block block;
  std::size_t columns = 0;
  std::span<const double> values;
  std::uint64_t index = 0;                           // block index in its plan
  std::span<const stats::Accumulator> accumulators;  // one per column (may be empty)
};

/// Receives blocks in increasing block order, always from one thread at a time.
class BlockSink {
 public:
  virtual ~BlockSink() = default;
  virtual void consume(const BlockRows& rows) = 0;
};

/// Statistics of every column over the organizations of one cell.
struct CellStatistics {
  std::vector<stats::Accumulator> columns;
};

struct Progress {
  std::uint64_t done = 0;
  std::uint64_t total = 0;
  double elapsed_seconds = 0.0;
};

struct RunOptions {
  Backend backend = Backend::OpenMP;
  unsigned threads = 0;             // 0: every hardware thread
  std::uint64_t window_blocks = 0;  // 0: chosen from the thread count
  std::uint64_t first_block = 0;    // the range of blocks to run (all by default)
  std::uint64_t end_block = UINT64_MAX;
  std::function<void(const Progress&)> on_progress;  // called from the calling thread
  const std::atomic<bool>* stop = nullptr;           // set asynchronously to stop early
};

struct RunResult {
  std::vector<CellStatistics> cells;      // one per cell of the plan
  std::vector<design::Segment> segments;  // the work done, in output row order
  std::uint64_t organizations = 0;        // organizations computed
  double wall_seconds = 0.0;
  unsigned threads = 0;  // threads actually used
  bool stopped = false;  // the stop flag ended the run early
};

/// The ordered reduction shared by a run and an assembly of its parts, so that both give
/// the same statistics bit for bit: a block's accumulators (one per column) merge into its
/// cell, blocks in block order.
void merge_block(std::vector<CellStatistics>& cells, const design::Block& block,
                 std::span<const stats::Accumulator> accumulators);
/// Appends a block's organizations to segments in row order: the last segment grows when
/// the block continues it, else a new segment starts.
void append_segment(std::vector<design::Segment>& segments, const design::Block& block);

/// Number of hardware threads.
unsigned hardware_threads();

RunResult run(const design::RunPlan& plan, const RunOptions& options, BlockSink& sink);

/// A precision target: organizations are added to a cell until the interval of every
/// targeted column has a half-width <= half_width, or the cell has max_per_cell. A binary
/// column's interval is the Wilson interval of its rate; any other column's the t interval
/// of its mean (NaN values left out, as in the statistics of the result file). A column
/// with no value in a cell (all NaN there) does not hold that cell back.
struct PrecisionTarget {
  double half_width = 0.01;
  std::uint64_t max_per_cell = 10'000'000;
  double confidence = 0.95;
  std::vector<std::size_t>
      columns;  // indices into the model's columns; empty: every binary outcome
};

/// Half-width of the interval `target` judges column `k` of one cell by (NaN when it
/// cannot be computed yet: a mean from fewer than two values).
double precision_half_width(const model::ColumnSpec& column, const stats::Accumulator& a,
                            double confidence);

/// Runs `plan` (within options' block range), then rounds that double the organizations
/// of every cell short of the target (in cell order, organization indices continuing;
/// each round runs whole), until none is. Decisions
/// depend only on results, so the run is as reproducible as a fixed one.
/// `before_round(r)` is called before each added round r = 1, 2, ... (to label its output).
RunResult run_to_precision(const design::RunPlan& plan, const RunOptions& options, BlockSink& sink,
                           const PrecisionTarget& target,
                           const std::function<void(std::uint64_t round)>& before_round = {});

/// Organizations simulated per cell (from the statistics of a result).
std::vector<std::uint64_t> organizations_per_cell(const RunResult& result);

}  // namespace tribe::exec

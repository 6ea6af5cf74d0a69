#pragma once
// A run plan: the cells of an experiment's design, each bound to the model, and
// the fixed partition of every cell's organizations into blocks.
//
// Organizations are ordered cell-major (all of cell 0, then cell 1, ...). A block
// is a run of consecutive organizations of one cell; blocks are the unit of
// parallel work, of ordered reduction and of streaming output. The partition
// depends only on the plan, never on threads, backend or ranks.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tribe/design/experiment.hpp"
#include "tribe/model/model.hpp"

namespace tribe::design {

struct Cell {
  std::uint64_t index = 0;
  std::vector<std::uint32_t> levels;  // level index of each factor
  std::uint64_t point = 0;            // sampled point (random / lhs designs)
  std::uint64_t calibration = 0;      // calibration point ([calibration]; 0 without one)
  std::vector<std::uint32_t>
      strata;  // per range: stratum of the point's value (kStrata equal bins)
  /// Draws its own random numbers even under common random numbers: the dummy's AB cell
  /// of a Sobol design (the dummy stands for a parameter that changes nothing but the
  /// random numbers, so its indices show what organization noise alone gives).
  bool own_random_numbers = false;
  model::ParameterValues values;  // every parameter of the model for this cell
  std::unique_ptr<const model::CellModel> bound;

  /// Strata per sampled range used when sampled values enter a variance decomposition.
  static constexpr std::uint32_t kStrata = 5;

  /// "structure=flat control=0.8" (factors, then sampled values, then calibrated values).
  std::string label(const Experiment& x) const;
};

struct Block {
  std::uint64_t cell = 0;
  std::uint64_t first = 0;   // index of its first organization within the cell
  std::uint64_t count = 0;   // organizations in the block
  std::uint64_t global = 0;  // row of its first organization in this plan's output
};

/// Organizations [first, first + count) of one cell.
struct Segment {
  std::uint64_t cell = 0;
  std::uint64_t first = 0;
  std::uint64_t count = 0;
};

/// The sampled values of every point of a random or Latin-hypercube design:
/// values[point][range]. Deterministic for a given seed (its own random stream).
std::vector<std::vector<double>> sample_points(const Experiment& x);

/// The calibrated values of every calibration point: values[point][calibration range], a
/// Latin hypercube over the calibration ranges (its own random stream, apart from the
/// design's), the prior draws of the rejection ABC. Empty without [calibration].
std::vector<std::vector<double>> calibration_points(const Experiment& x);

class RunPlan {
 public:
  static constexpr std::uint64_t kDefaultBlockSize = 256;

  /// Builds every cell (validating each with the model) and one segment per cell,
  /// organizations [0, orgs_per_cell), cell-major.
  RunPlan(const Experiment& experiment, std::uint64_t orgs_per_cell,
          std::uint64_t block_size = kDefaultBlockSize);

  /// The same cells with other work: used to add organizations to some cells
  /// (precision targets). Segments run in the given order.
  RunPlan with_segments(std::vector<Segment> segments) const;

  const Experiment& experiment() const { return *experiment_; }
  const std::vector<Cell>& cells() const { return *cells_; }
  const std::vector<Segment>& segments() const { return segments_; }
  /// Organizations per cell of the initial, uniform plan.
  std::uint64_t organizations_per_cell() const { return orgs_per_cell_; }
  std::uint64_t total_organizations() const { return total_; }
  std::uint64_t block_size() const { return block_size_; }
  std::uint64_t block_count() const { return block_start_.back(); }
  Block block(std::uint64_t b) const;
  /// Organizations in blocks [first, end), in O(log segments): a plan may have billions
  /// of blocks, too many to visit one by one.
  std::uint64_t organizations_in(std::uint64_t first, std::uint64_t end) const {
    const auto row = [&](std::uint64_t b) { return b >= block_count() ? total_ : block(b).global; };
    return first >= end ? 0 : row(end) - row(first);
  }

  /// The random-number domain of a cell: 0 when organizations are shared across
  /// cells (common random numbers), else a distinct value per cell.
  std::uint64_t domain(std::uint64_t cell) const {
    return experiment_->common_random_numbers && !(*cells_)[cell].own_random_numbers ? 0 : cell + 1;
  }

 private:
  RunPlan(const RunPlan& base, std::vector<Segment> segments);
  void index_segments();

  const Experiment* experiment_;
  std::shared_ptr<const std::vector<Cell>> cells_;
  std::uint64_t orgs_per_cell_;
  std::uint64_t block_size_;
  std::vector<Segment> segments_;
  std::vector<std::uint64_t> block_start_;  // first block of each segment, then the total
  std::vector<std::uint64_t> row_start_;    // first output row of each segment
  std::uint64_t total_ = 0;
};

}  // namespace tribe::design

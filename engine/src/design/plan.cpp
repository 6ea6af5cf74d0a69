#include "tribe/design/plan.hpp"

#include "tribe/core/error.hpp"

namespace tribe::design {

std::string Cell::label(const Experiment& x) const {
  std::string s;
  const auto specs = x.model->parameters();
  for (std::size_t f = 0; f < x.factors.size(); ++f) {
    const auto& factor = x.factors[f];
    if (!s.empty()) s += ' ';
    s += factor.name + "=" + model::format_value(specs[factor.parameter], values[factor.parameter]);
  }
  return s.empty() ? "(single cell)" : s;
}

RunPlan::RunPlan(const Experiment& experiment, std::uint64_t orgs_per_cell,
                 std::uint64_t block_size)
    : experiment_(&experiment), orgs_per_cell_(orgs_per_cell), block_size_(block_size) {
  TRIBE_CHECK(experiment.model != nullptr, "experiment without a model");
  TRIBE_CHECK(block_size > 0, "block size must be positive");
  if (orgs_per_cell == 0 || orgs_per_cell > kMaxOrganizationsPerCell)
    throw InputError("organizations per cell = " + std::to_string(orgs_per_cell) +
                     " is not allowed: expected an integer in [1, " +
                     std::to_string(kMaxOrganizationsPerCell) + "]");
  blocks_per_cell_ = (orgs_per_cell + block_size - 1) / block_size;

  const std::uint64_t n = experiment.cell_count();
  cells_.resize(n);
  // Mixed-radix enumeration of the full factorial; the last factor varies fastest.
  for (std::uint64_t c = 0; c < n; ++c) {
    Cell& cell = cells_[c];
    cell.index = c;
    cell.values = experiment.fixed;
    cell.levels.assign(experiment.factors.size(), 0);
    std::uint64_t rest = c;
    for (std::size_t f = experiment.factors.size(); f-- > 0;) {
      const auto& factor = experiment.factors[f];
      const auto level = rest % factor.levels.size();
      rest /= factor.levels.size();
      cell.levels[f] = static_cast<std::uint32_t>(level);
      cell.values[factor.parameter] = factor.levels[level];
    }
    try {
      experiment.model->validate(cell.values);
    } catch (const InputError& e) {
      throw InputError(std::string(e.what()) + " (in cell " + cell.label(experiment) + ")");
    }
    cell.bound = experiment.model->bind(cell.values);
  }
}

Block RunPlan::block(std::uint64_t b) const {
  TRIBE_CHECK(b < block_count(), "block index out of range");
  Block blk;
  blk.cell = b / blocks_per_cell_;
  blk.first = (b % blocks_per_cell_) * block_size_;
  blk.count = std::min(block_size_, orgs_per_cell_ - blk.first);
  blk.global = blk.cell * orgs_per_cell_ + blk.first;
  return blk;
}

}  // namespace tribe::design

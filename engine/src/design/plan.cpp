#include "tribe/design/plan.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "tribe/core/error.hpp"
#include "tribe/design/sobol.hpp"
#include "tribe/rng/samplers.hpp"

namespace tribe::design {

std::string Cell::label(const Experiment& x) const {
  std::string s;
  const auto specs = x.model->parameters();
  for (std::size_t f = 0; f < x.factors.size(); ++f) {
    const auto& factor = x.factors[f];
    if (!s.empty()) s += ' ';
    s += factor.name + "=" + model::format_value(specs[factor.parameter], values[factor.parameter]);
  }
  for (const auto& range : x.ranges) {
    if (!s.empty()) s += ' ';
    s += range.name + "=" + model::format_value(specs[range.parameter], values[range.parameter]);
  }
  for (const auto& range : x.calibration.ranges) {
    if (!s.empty()) s += ' ';
    s += range.name + "=" + model::format_value(specs[range.parameter], values[range.parameter]);
  }
  return s.empty() ? "(single cell)" : s;
}

namespace {
// The random-stream purpose (the second word of the Philox key) of design sampling: an
// ASCII tag, "tribeDS", that no model uses (leadership 1-6, lazer_friedman 101-105, march
// "MAR" + 1-7), so that drawing the design never shares random numbers with a simulation.
constexpr std::uint64_t kDesignPurpose = 0x7472696265'4453ULL;  // "tribeDS"
/// The purpose of the calibration's prior draws ("tribeCA"): apart from the design's, so
/// that adding a calibration to an experiment leaves its design points unchanged.
constexpr std::uint64_t kCalibrationPurpose = 0x7472696265'4341ULL;  // "tribeCA"

/// McKay, Beckman & Conover (1979): each of `d` coordinates is cut into `points` equal
/// strata, each stratum used once, strata paired across coordinates by independent
/// permutations. u[point][coordinate] in [0, 1).
std::vector<std::vector<double>> latin_hypercube(std::uint64_t seed, std::uint64_t purpose,
                                                 std::uint64_t points, std::size_t d) {
  std::vector<std::vector<double>> u(points, std::vector<double>(d));
  for (std::size_t r = 0; r < d; ++r) {
    rng::Stream s(seed, purpose, r, 1);
    std::vector<std::uint64_t> perm(points);
    std::iota(perm.begin(), perm.end(), 0);
    for (std::uint64_t i = points; i > 1; --i)
      std::swap(perm[i - 1], perm[rng::uniform_index(s, i)]);
    for (std::uint64_t p = 0; p < points; ++p)
      u[p][r] = (static_cast<double>(perm[p]) + rng::uniform(s)) / static_cast<double>(points);
  }
  return u;
}

double to_parameter(const model::ParameterSpec& spec, const Range& r, double u) {
  if (!r.choices.empty()) {
    // Equal probability for each choice.
    const auto m = r.choices.size();
    return r.choices[std::min(m - 1, static_cast<std::size_t>(u * static_cast<double>(m)))];
  }
  if (spec.type == model::ParamType::Integer) {
    // Equal probability for each integer in [low, high].
    const double v = std::floor(r.low + (r.high - r.low + 1.0) * u);
    return std::min(v, r.high);
  }
  return r.low + (r.high - r.low) * u;
}
}  // namespace

std::vector<std::vector<double>> sample_points(const Experiment& x) {
  if (x.sampling == Sampling::List) return x.listed;
  const auto specs = x.model->parameters();
  const std::size_t d = x.ranges.size();
  const std::uint64_t points = x.sampled_points();
  std::vector<std::vector<double>> u(points, std::vector<double>(d));
  if (x.sampling == Sampling::Sobol) {
    // Saltelli (2002; 2010, table 1 scheme): base point j of a 2d-dimensional Sobol'
    // sequence gives A_j (its first d coordinates) and B_j (the last d); AB_i,j is A_j with
    // coordinate i from B_j. The dummy's AB cell is A_j itself (the dummy moves nothing).
    const SobolSequence seq(2 * d);
    const std::size_t per = d + 3;
    for (std::uint64_t j = 0; j < x.points; ++j) {
      const auto q = seq.point(j);
      std::vector<double> a(q.begin(), q.begin() + static_cast<std::ptrdiff_t>(d)),
          b(q.begin() + static_cast<std::ptrdiff_t>(d), q.end());
      u[j * per] = a;
      u[j * per + 1] = b;
      for (std::size_t i = 0; i <= d; ++i) {
        auto ab = a;
        if (i < d) ab[i] = b[i];
        u[j * per + 2 + i] = std::move(ab);
      }
    }
  } else if (x.sampling == Sampling::LatinHypercube) {
    u = latin_hypercube(x.seed, kDesignPurpose, x.points, d);
  } else {
    for (std::uint64_t p = 0; p < x.points; ++p) {
      rng::Stream s(x.seed, kDesignPurpose, p, 0);
      for (std::size_t r = 0; r < d; ++r) u[p][r] = rng::uniform(s);
    }
  }
  std::vector<std::vector<double>> values(points, std::vector<double>(d));
  for (std::uint64_t p = 0; p < points; ++p)
    for (std::size_t r = 0; r < d; ++r)
      values[p][r] = to_parameter(specs[x.ranges[r].parameter], x.ranges[r], u[p][r]);
  return values;
}

std::vector<std::vector<double>> calibration_points(const Experiment& x) {
  const auto& c = x.calibration;
  if (!c.enabled()) return {};
  const auto specs = x.model->parameters();
  auto values = latin_hypercube(x.seed, kCalibrationPurpose, c.points, c.ranges.size());
  for (auto& v : values)
    for (std::size_t r = 0; r < c.ranges.size(); ++r)
      v[r] = to_parameter(specs[c.ranges[r].parameter], c.ranges[r], v[r]);
  return values;
}

RunPlan::RunPlan(const Experiment& experiment, std::uint64_t orgs_per_cell,
                 std::uint64_t block_size)
    : experiment_(&experiment), orgs_per_cell_(orgs_per_cell), block_size_(block_size) {
  auto cells = std::make_shared<std::vector<Cell>>();
  TRIBE_CHECK(experiment.model != nullptr, "experiment without a model");
  TRIBE_CHECK(block_size > 0, "block size must be positive");
  if (orgs_per_cell == 0 || orgs_per_cell > kMaxOrganizationsPerCell)
    throw InputError("organizations per cell = " + std::to_string(orgs_per_cell) +
                     " is not allowed: expected an integer in [1, " +
                     std::to_string(kMaxOrganizationsPerCell) + "]");
  const std::uint64_t n = experiment.cell_count();
  cells->resize(n);
  const auto points = sample_points(experiment);
  const auto calibrated = calibration_points(experiment);
  const std::uint64_t per_calibration = experiment.cells_per_calibration_point();
  // Strata of each range: the rank of the point's value cut into kStrata equal groups
  // (for a Latin hypercube these are unions of its own strata).
  const std::uint64_t n_points = experiment.sampled_points();
  std::vector<std::vector<std::uint32_t>> strata(
      n_points, std::vector<std::uint32_t>(experiment.ranges.size()));
  for (std::size_t r = 0; r < experiment.ranges.size(); ++r) {
    std::vector<std::uint64_t> order(n_points);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](auto a, auto b) { return points[a][r] < points[b][r]; });
    for (std::uint64_t rank = 0; rank < n_points; ++rank)
      strata[order[rank]][r] = static_cast<std::uint32_t>(rank * Cell::kStrata / n_points);
  }
  // Cells: calibration points (slowest) x factor combinations (mixed radix, the last factor
  // fastest) x sampled points.
  for (std::uint64_t c = 0; c < n; ++c) {
    Cell& cell = (*cells)[c];
    cell.index = c;
    cell.values = experiment.fixed;
    cell.calibration = c / per_calibration;
    for (std::size_t r = 0; r < experiment.calibration.ranges.size(); ++r)
      cell.values[experiment.calibration.ranges[r].parameter] = calibrated[cell.calibration][r];
    cell.point = c % n_points;
    for (std::size_t r = 0; r < experiment.ranges.size(); ++r)
      cell.values[experiment.ranges[r].parameter] = points[cell.point][r];
    cell.strata = strata[cell.point];
    cell.own_random_numbers =
        experiment.sampling == Sampling::Sobol &&
        sobol_role(experiment, cell.point).role == experiment.ranges.size() + 2;
    cell.levels.assign(experiment.factors.size(), 0);
    std::uint64_t rest = (c % per_calibration) / n_points;
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
  cells_ = std::move(cells);
  for (std::uint64_t c = 0; c < n; ++c) segments_.push_back({c, 0, orgs_per_cell});
  index_segments();
}

RunPlan::RunPlan(const RunPlan& base, std::vector<Segment> segments)
    : experiment_(base.experiment_),
      cells_(base.cells_),
      orgs_per_cell_(base.orgs_per_cell_),
      block_size_(base.block_size_),
      segments_(std::move(segments)) {
  for (const auto& s : segments_)
    TRIBE_CHECK(s.cell < cells_->size(), "segment of an unknown cell");
  index_segments();
}

RunPlan RunPlan::with_segments(std::vector<Segment> segments) const {
  return RunPlan(*this, std::move(segments));
}

void RunPlan::index_segments() {
  block_start_.assign(1, 0);
  row_start_.clear();
  total_ = 0;
  for (const auto& s : segments_) {
    row_start_.push_back(total_);
    total_ += s.count;
    block_start_.push_back(block_start_.back() + (s.count + block_size_ - 1) / block_size_);
  }
}

Block RunPlan::block(std::uint64_t b) const {
  TRIBE_CHECK(b < block_count(), "block index out of range");
  // The segment holding block b: the last whose first block is <= b.
  const auto it = std::upper_bound(block_start_.begin(), block_start_.end(), b);
  const auto s = static_cast<std::size_t>(it - block_start_.begin()) - 1;
  const Segment& seg = segments_[s];
  const std::uint64_t offset = (b - block_start_[s]) * block_size_;
  Block blk;
  blk.cell = seg.cell;
  blk.first = seg.first + offset;
  blk.count = std::min(block_size_, seg.count - offset);
  blk.global = row_start_[s] + offset;
  return blk;
}

}  // namespace tribe::design

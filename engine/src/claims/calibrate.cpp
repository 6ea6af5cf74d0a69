#include "tribe/claims/calibrate.hpp"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "tribe/claims/evaluate.hpp"
#include "tribe/core/error.hpp"
#include "tribe/core/stop.hpp"
#include "tribe/core/text.hpp"

namespace tribe::claims {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
/// Bootstrap replicates of a rank correlation at one calibration point: the distance uses
/// the estimate; the point's interval is descriptive (the accepted region's pooled
/// patterns keep kRankCorrelationReplicates).
constexpr int kPointReplicates = 200;

/// The data of the cells of some calibration points only: the other cells read as empty,
/// so every statistic of claims/evaluate.cpp, unchanged, describes those points' organizations.
class CalibrationPoints final : public CellData {
 public:
  CalibrationPoints(const design::RunPlan& plan, const CellData& data,
                    std::vector<std::uint8_t> keep)
      : plan_(plan), data_(data), keep_(std::move(keep)) {}
  std::vector<double> read(const std::string& column, std::uint64_t cell) const override {
    if (!keep_[plan_.cells()[cell].calibration]) return {};
    return data_.read(column, cell);
  }

 private:
  const design::RunPlan& plan_;
  const CellData& data_;
  std::vector<std::uint8_t> keep_;
};

/// Every column the patterns read, of every cell, read once into memory: the points are
/// then evaluated in parallel (HDF5 reads are serialized; these are not reads).
class Preloaded final : public CellData {
 public:
  Preloaded(const design::RunPlan& plan, const CellData& data,
            const std::vector<ClaimSpec>& patterns) {
    std::vector<std::string> names;
    for (const auto& p : patterns) {
      names.push_back(p.column);
      if (!p.with.empty()) names.push_back(p.with);
      for (const auto& z : p.controls) names.push_back(z);
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    for (const auto& name : names) {
      auto& cells = columns_[name];
      for (const auto& cell : plan.cells()) cells.push_back(data.read(name, cell.index));
    }
  }
  std::vector<double> read(const std::string& column, std::uint64_t cell) const override {
    const auto it = columns_.find(column);
    TRIBE_CHECK(it != columns_.end(), "a column the patterns do not read");
    return it->second[cell];
  }

 private:
  std::map<std::string, std::vector<std::vector<double>>> columns_;
};

}  // namespace

void check_calibration(const design::Experiment& x, const std::vector<ClaimSpec>& patterns) {
  if (!x.calibration.enabled()) return;
  if (patterns.empty())
    throw InputError(
        "[calibration] needs at least one [[patterns]] table: the calibration accepts the points "
        "where the model reproduces the patterns");
  for (const auto& id : x.calibration.patterns) {
    const bool known = std::any_of(patterns.begin(), patterns.end(),
                                   [&](const ClaimSpec& p) { return p.id == id; });
    if (!known) {
      std::vector<std::string> ids;
      for (const auto& p : patterns) ids.push_back(p.id);
      throw InputError(
          "calibration.patterns: \"" + id +
          "\" is not a pattern of this experiment (expected one of: " + join(ids, ", ") + ")");
    }
  }
}

Calibration calibrate(const design::RunPlan& plan, const std::vector<ClaimSpec>& patterns,
                      const CellData& file_data, unsigned threads) {
  const auto& x = plan.experiment();
  const auto& cal = x.calibration;
  TRIBE_CHECK(cal.enabled(), "calibrate() on an experiment without [calibration]");
  Calibration out;
  for (const auto& r : cal.ranges) out.parameters.push_back(r.name);
  const std::uint64_t points = cal.points;
  const std::uint64_t per_point = x.cells_per_calibration_point();
  for (std::uint64_t k = 0; k < points; ++k) {
    const auto& cell = plan.cells()[k * per_point];
    std::vector<double> v;
    for (const auto& r : cal.ranges) v.push_back(cell.values[r.parameter]);
    out.theta.push_back(std::move(v));
  }
  for (const auto& p : patterns)
    out.uses.push_back(cal.patterns.empty() || std::find(cal.patterns.begin(), cal.patterns.end(),
                                                         p.id) != cal.patterns.end());

  // Each point on its own, in parallel (each point's result depends on that point alone).
  const Preloaded data(plan, file_data, patterns);
  out.at.resize(points);
  tbb::task_arena arena(threads > 0 ? static_cast<int>(threads) : tbb::task_arena::automatic);
  arena.execute([&] {
    tbb::parallel_for(std::uint64_t{0}, points, [&](std::uint64_t k) {
      stop_point("calibrating");  // thrown out of parallel_for to the caller
      std::vector<std::uint8_t> keep(points, 0);
      keep[k] = 1;
      const CalibrationPoints one(plan, data, std::move(keep));
      out.at[k] = evaluate(plan, patterns, one, kPointReplicates);
    });
  });
  out.inside_prior.assign(patterns.size(), 0.0);
  for (std::uint64_t k = 0; k < points; ++k) {
    std::vector<double> d, used;
    for (std::size_t j = 0; j < patterns.size(); ++j) {
      const auto& p = patterns[j];
      d.push_back(stats::abc::band_distance(out.at[k][j].estimate, p.value, p.value_high));
      if (out.uses[j]) used.push_back(d.back());
      out.inside_prior[j] += d.back() == 0.0;
    }
    out.band_distance.push_back(std::move(d));
    out.distance.push_back(stats::abc::point_distance(used));
  }
  for (auto& s : out.inside_prior) s /= static_cast<double>(points);

  out.accepted = stats::abc::accept(out.distance, cal.quantile, cal.tolerance);
  out.tolerance_reached = stats::abc::tolerance_reached(out.distance, out.accepted);
  for (std::size_t r = 0; r < cal.ranges.size(); ++r) {
    std::vector<double> values;
    for (const auto& t : out.theta) values.push_back(t[r]);
    out.marginals.push_back(stats::abc::marginal(values, out.accepted, cal.credible));
  }
  const auto n_accepted =
      static_cast<double>(std::count(out.accepted.begin(), out.accepted.end(), 1));
  out.inside_accepted.assign(patterns.size(), kNaN);
  if (n_accepted > 0) {
    for (std::size_t j = 0; j < patterns.size(); ++j) {
      double inside = 0;
      for (std::uint64_t k = 0; k < points; ++k)
        inside += out.accepted[k] && out.band_distance[k][j] == 0.0;
      out.inside_accepted[j] = inside / n_accepted;
    }
    const CalibrationPoints region(plan, data, out.accepted);
    out.accepted_region = evaluate(plan, patterns, region);
    for (const auto& cell : plan.cells())
      if (out.accepted[cell.calibration])
        out.accepted_organizations += data.read(patterns.front().column, cell.index).size();
  }
  return out;
}

}  // namespace tribe::claims

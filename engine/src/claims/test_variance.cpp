// Claims on where the variance comes from: variance shares of factors and ranges (net of
// an inert parameter's bias), and the Sobol indices of a Sobol design.
#include <algorithm>
#include <cmath>
#include <map>

#include "test_support.hpp"
#include "tribe/claims/sensitivity.hpp"
#include "tribe/core/stop.hpp"
#include "tribe/core/text.hpp"
#include "tribe/rng/samplers.hpp"
#include "tribe/stats/sensitivity.hpp"
#include "tribe/stats/variance.hpp"

namespace tribe::claims::detail {

/// Every organization of the design: its value of one column, its cell and index, and the
/// level index of every factor and stratum of every range.
struct Gathered {
  std::vector<std::string> names;
  std::vector<std::vector<std::uint32_t>> levels;
  std::vector<double> values;
  std::vector<std::uint64_t> cell, org;
};

Gathered gather(const design::RunPlan& plan, const CellData& data, const std::string& column) {
  const auto& x = plan.experiment();
  Gathered d;
  for (const auto& f : x.factors) d.names.push_back(f.name);
  for (const auto& r : x.ranges) d.names.push_back(r.name);
  d.levels.resize(d.names.size());
  for (const auto& cell : plan.cells()) {
    const auto part = data.read(column, cell.index);
    const std::uint64_t n = part.size();
    d.values.insert(d.values.end(), part.begin(), part.end());
    d.cell.insert(d.cell.end(), n, cell.index);
    for (std::uint64_t j = 0; j < n; ++j) d.org.push_back(j);
    for (std::size_t f = 0; f < x.factors.size(); ++f)
      d.levels[f].insert(d.levels[f].end(), n, cell.levels[f]);
    for (std::size_t r = 0; r < x.ranges.size(); ++r)
      d.levels[x.factors.size() + r].insert(d.levels[x.factors.size() + r].end(), n,
                                            cell.strata[r]);
  }
  return d;
}

stats::VarianceDecomposition decompose(const Gathered& d, const std::vector<std::size_t>& rows) {
  const auto& values = d.values;
  std::vector<std::vector<std::uint32_t>> lv(d.levels.size());
  std::vector<double> y;
  y.reserve(rows.size());
  for (auto i : rows) y.push_back(values[i]);
  for (std::size_t f = 0; f < d.levels.size(); ++f) {
    lv[f].reserve(rows.size());
    for (auto i : rows) lv[f].push_back(d.levels[f][i]);
  }
  std::vector<std::span<const std::uint32_t>> spans(lv.begin(), lv.end());
  return stats::decompose_variance(spans, y);
}

/// Variance shares from cell-level sufficient statistics: each cell's organizations summed
/// into (n, mean, m2), so every re-estimate (permutation, bootstrap, batch) costs
/// O(cells x groups) and memory stays O(cells), however many organizations a cell holds.
struct CellStats {
  double n = 0, mean = 0, m2 = 0;
};

/// Level of every cell in every group (factors, then ranges by strata), in Gathered order.
struct CellLevels {
  std::vector<std::string> names;
  std::vector<std::vector<std::uint32_t>> level;  // [group][cell]
  std::vector<std::uint32_t> levels;              // [group]: number of levels
};

CellLevels cell_levels(const design::RunPlan& plan) {
  const auto& x = plan.experiment();
  CellLevels l;
  for (const auto& f : x.factors) {
    l.names.push_back(f.name);
    l.levels.push_back(static_cast<std::uint32_t>(f.levels.size()));
  }
  for (const auto& r : x.ranges) {
    l.names.push_back(r.name);
    l.levels.push_back(design::Cell::kStrata);
  }
  l.level.assign(l.names.size(), std::vector<std::uint32_t>(plan.cells().size()));
  for (const auto& cell : plan.cells()) {
    for (std::size_t f = 0; f < x.factors.size(); ++f) l.level[f][cell.index] = cell.levels[f];
    for (std::size_t r = 0; r < x.ranges.size(); ++r)
      l.level[x.factors.size() + r][cell.index] = cell.strata[r];
  }
  return l;
}

/// eta²(group a) - eta²(group b) from cell statistics weighted by `weight` (bootstrap
/// multiplicities; empty = 1), with the levels `level` (one vector per group name).
double share_difference(const std::vector<CellStats>& cells, const std::vector<double>& weight,
                        const CellLevels& l, const std::vector<std::vector<std::uint32_t>>& level,
                        const ClaimSpec& c) {
  double n = 0, sum = 0;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const double w = weight.empty() ? 1.0 : weight[i];
    n += w * cells[i].n;
    sum += w * cells[i].n * cells[i].mean;
  }
  if (!(n > 0)) return kNaN;
  const double grand = sum / n;
  double total = 0;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const double w = weight.empty() ? 1.0 : weight[i];
    const double d = cells[i].mean - grand;
    total += w * (cells[i].m2 + cells[i].n * d * d);
  }
  if (!(total > 0)) return kNaN;
  auto eta = [&](std::size_t g) {
    std::vector<double> ln(l.levels[g], 0.0), ls(l.levels[g], 0.0);
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const double w = weight.empty() ? 1.0 : weight[i];
      ln[level[g][i]] += w * cells[i].n;
      ls[level[g][i]] += w * cells[i].n * cells[i].mean;
    }
    double between = 0;
    for (std::size_t k = 0; k < ln.size(); ++k)
      if (ln[k] > 0) between += ln[k] * (ls[k] / ln[k] - grand) * (ls[k] / ln[k] - grand);
    return between / total;
  };
  auto group = [&](const std::vector<std::string>& names) {
    double s = 0;
    for (const auto& name : names)
      for (std::size_t g = 0; g < l.names.size(); ++g)
        if (l.names[g] == name) s += eta(g);
    return s;
  };
  return group(c.factors_a) - group(c.factors_b);
}

/// The levels of every group with the strata of range g permuted among the sampled points
/// (as they would fall if g had no effect).
std::vector<std::vector<std::uint32_t>> permuted_levels(const design::RunPlan& plan,
                                                        const CellLevels& l, std::size_t g,
                                                        rng::Stream& s) {
  auto level = l.level;
  const auto& x = plan.experiment();
  TRIBE_CHECK(g >= x.factors.size(), "permuted_levels: only sampled ranges are permuted");
  const std::uint64_t points = x.sampled_points();
  std::vector<std::uint64_t> perm(points);
  for (std::uint64_t p = 0; p < points; ++p) perm[p] = p;
  for (std::uint64_t i = points; i > 1; --i) std::swap(perm[i - 1], perm[rng::uniform_index(s, i)]);
  for (const auto& cell : plan.cells()) {
    const std::uint64_t source =
        cell.index - cell.point + perm[cell.point];  // same factor levels, other point
    level[g][cell.index] = l.level[g][source];
  }
  return level;
}

// Random-stream purpose of the variance-share permutations and bootstrap ("tribeVS").
constexpr std::uint64_t kVarianceSharePurpose = 0x7472696265'5653ULL;
constexpr int kNullPermutations = 20;
constexpr int kBootstrapReplicates = 200;
constexpr std::uint64_t kOrganizationBatches = 10;
constexpr std::uint64_t kMinimumDesignPoints = 10;

/// Variance-share claims (eta² of one group of factors/ranges minus another's). eta² is a
/// variance share of the design, not a Sobol index: on a Latin hypercube cut into strata it
/// is biased upward, and an inert parameter gets eta² > 0. So:
///  - the estimate is eta² minus its mean under permutations that make each named factor
///    or range inert (the bias of an inert parameter, kNullPermutations permutations);
///  - its standard error combines a bootstrap over the sampled design points (the
///    uncertainty of the design) and the spread over batches of organizations (organization
///    index modulo 10, each batch a replicate of the whole design): se² = se_points² +
///    se_orgs² (conservative: cell means in the point bootstrap carry organization noise too);
///  - the interval is normal: estimate ± z se.
ClaimResult evaluate_variance(const design::RunPlan& plan, const CellData& data, const ClaimSpec& c,
                              double confidence) {
  ClaimResult r;
  const auto& x = plan.experiment();
  const std::uint64_t points = x.sampled_points();
  const std::size_t ncells = plan.cells().size();
  const std::uint64_t per_cell = plan.organizations_per_cell();
  const bool org_batches = per_cell >= kOrganizationBatches;
  const bool point_bootstrap = points >= kMinimumDesignPoints;
  r.method =
      std::string("eta squared difference minus its inert-parameter bias; normal interval, ") +
      (point_bootstrap ? "bootstrap over " + std::to_string(points) + " design points"
                       : std::string()) +
      (point_bootstrap && org_batches ? " and " : "") +
      (org_batches ? std::to_string(kOrganizationBatches) + " batches of organizations"
                   : std::string());

  std::vector<CellStats> cells(ncells);
  std::vector<std::vector<CellStats>> batches(org_batches ? kOrganizationBatches : 0,
                                              std::vector<CellStats>(ncells));
  std::uint64_t used = 0;
  for (const auto& cell : plan.cells()) {
    const auto values = data.read(c.column, cell.index);
    stats::Accumulator all;
    std::vector<stats::Accumulator> part(batches.size());
    for (std::size_t k = 0; k < values.size(); ++k) {
      if (std::isnan(values[k])) continue;
      all.add(values[k]);
      if (org_batches) part[k % kOrganizationBatches].add(values[k]);
    }
    used += all.n;
    cells[cell.index] = {static_cast<double>(all.n), all.n ? all.mean : 0.0, all.m2};
    for (std::size_t b = 0; b < part.size(); ++b)
      batches[b][cell.index] = {static_cast<double>(part[b].n), part[b].n ? part[b].mean : 0.0,
                                part[b].m2};
  }
  r.n_a = used;
  r.n_b = point_bootstrap ? points : 0;
  const CellLevels l = cell_levels(plan);
  const double raw = share_difference(cells, {}, l, l.level, c);
  r.estimate = raw;
  r.low = r.high = kNaN;
  if (used == 0) return r;  // check_evidence: no data
  if (std::isnan(raw)) {
    r.reason = "the outcome does not vary (eta squared is undefined)";
    return r;
  }
  if (!point_bootstrap && !org_batches) {
    r.reason = "no replication to estimate the uncertainty: fewer than " +
               std::to_string(kMinimumDesignPoints) + " design points and fewer than " +
               std::to_string(kOrganizationBatches) + " organizations per cell";
    return r;
  }

  // Bias of an inert parameter. A factor: its expected eta² from organization noise alone,
  // (L - 1) MS_within / SS_total (the correction of epsilon squared, Kelley 1935; under
  // common random numbers shared noise cancels between levels, so this over-corrects a
  // little: conservative). A range: its mean eta² when its strata are permuted among the
  // sampled points (the range made inert, everything else kept).
  double n_all = 0, within = 0, sum_all = 0;
  std::size_t nonempty = 0;
  for (const auto& cs : cells) {
    n_all += cs.n;
    within += cs.m2;
    sum_all += cs.n * cs.mean;
    nonempty += cs.n > 0;
  }
  double total = within;
  for (const auto& cs : cells)
    total += cs.n * (cs.mean - sum_all / n_all) * (cs.mean - sum_all / n_all);
  const double ms_within = n_all > static_cast<double>(nonempty)
                               ? within / (n_all - static_cast<double>(nonempty))
                               : 0.0;
  rng::Stream s(x.seed, kVarianceSharePurpose, 0);
  double bias = 0;
  for (const auto* names : {&c.factors_a, &c.factors_b}) {
    const double sign = names == &c.factors_a ? 1.0 : -1.0;
    for (const auto& name : *names) {
      std::size_t g = 0;
      while (l.names[g] != name) ++g;
      if (g < x.factors.size()) {
        bias += sign * (l.levels[g] - 1.0) * ms_within / total;
        continue;
      }
      ClaimSpec one;
      one.factors_a = {name};
      double mean = 0;
      for (int k = 0; k < kNullPermutations; ++k)
        mean += share_difference(cells, {}, l, permuted_levels(plan, l, g, s), one);
      bias += sign * mean / kNullPermutations;
    }
  }
  const double estimate = raw - bias;

  auto sd = [](const std::vector<double>& v) {  // NaN values left out
    stats::Accumulator a;
    for (double e : v) a.add(e);
    return a.sd();
  };
  double var = 0;
  if (point_bootstrap) {
    rng::Stream bs(x.seed, kVarianceSharePurpose, 1);
    std::vector<double> reps, weight(ncells), count(points);
    for (int b = 0; b < kBootstrapReplicates; ++b) {
      std::fill(count.begin(), count.end(), 0.0);
      for (std::uint64_t p = 0; p < points; ++p) count[rng::uniform_index(bs, points)] += 1;
      for (const auto& cell : plan.cells()) weight[cell.index] = count[cell.point];
      reps.push_back(share_difference(cells, weight, l, l.level, c));
    }
    const double se = sd(reps);
    var += se * se;
  }
  if (org_batches) {
    std::vector<double> reps;
    for (const auto& b : batches) reps.push_back(share_difference(b, {}, l, l.level, c));
    const double se = sd(reps) / std::sqrt(static_cast<double>(kOrganizationBatches));
    var += se * se;
  }
  const double se = std::sqrt(var);
  if (!(se > 0)) {
    r.reason = "degenerate interval: the share does not vary over the bootstrap or batches";
    return r;
  }
  const IntervalAt f = [estimate, se](double conf) {
    const double z = stats::normal_quantile(0.5 + conf / 2);
    return stats::Interval{estimate, estimate - z * se, estimate + z * se};
  };
  one_sided(r, f, c.value, c.is_greater(), confidence);
  return r;
}

/// Sobol-index claims (Sobol designs): sum of the first- or total-order indices of the
/// ranges in factors_a minus that of factors_b, on cell means; normal interval with the
/// standard error of the bootstrap over base points (the bootstrap of /sensitivity).
ClaimResult evaluate_sensitivity(const design::RunPlan& plan, const CellData& data,
                                 const ClaimSpec& c, double confidence) {
  const auto& x = plan.experiment();
  ClaimResult r;
  const bool total = c.test.statistic == Statistic::SobolTotal;
  r.method =
      std::string(total ? "total-order (Jansen 1999)" : "first-order (Saltelli 2010)") +
      " Sobol indices of cell means; normal interval, bootstrap standard error over base points";
  const auto s = sobol_samples(plan, [&](std::uint64_t cell) {
    stats::Accumulator acc;
    for (double v : data.read(c.column, cell))
      if (!std::isnan(v)) acc.add(v);
    r.n_a += acc.n;
    return acc.n ? acc.mean : kNaN;
  });
  auto indices = [&](const std::vector<std::string>& names) {
    std::vector<std::size_t> out;
    for (const auto& name : names)
      for (std::size_t i = 0; i <= x.ranges.size(); ++i)
        if ((i < x.ranges.size() ? x.ranges[i].name : std::string(design::kSobolDummy)) == name)
          out.push_back(i);
    return out;
  };
  const auto d = stats::sobol_index_difference(s.a, s.b, s.ab, indices(c.factors_a),
                                               indices(c.factors_b), total, x.seed);
  r.n_b = d.base_points;
  r.estimate = d.estimate;
  r.low = r.high = kNaN;
  if (r.n_a == 0) return r;  // check_evidence: no data
  if (std::isnan(d.estimate)) {
    r.reason =
        "the indices are undefined (fewer than 2 base points with data, or the outcome does not "
        "vary)";
    return r;
  }
  if (!(d.se > 0)) {
    r.reason = "degenerate interval: the difference does not vary over the bootstrap";
    return r;
  }
  const IntervalAt f = [e = d.estimate, se = d.se](double conf) {
    const double z = stats::normal_quantile(0.5 + conf / 2);
    return stats::Interval{e, e - z * se, e + z * se};
  };
  one_sided(r, f, c.value, c.is_greater(), confidence);
  return r;
}

}  // namespace tribe::claims::detail

namespace tribe::claims {

VarianceShares variance_shares(const design::RunPlan& plan, const CellData& data,
                               const std::string& column) {
  const detail::Gathered d = detail::gather(plan, data, column);
  std::vector<std::size_t> all(d.values.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  const auto vd = detail::decompose(d, all);
  return {column, d.names, vd.eta_squared, vd.unexplained_share};
}

}  // namespace tribe::claims

// Claims on a sample: a mean or rate above, below or inside a band, a difference between
// two selections (paired or not), and the interaction contrast of two or three factors.
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

namespace {

/// The interval of a difference between two samples whose variance is cluster-robust by
/// organization index (they share organizations), and its method in words in `r`.
/// `paired`: a and b are several pairs of cells compared pair by pair.
IntervalAt clustered_difference(const stats::ClusterSums& a, const stats::ClusterSums& b,
                                bool binary, bool paired, ClaimResult& r) {
  r.n_a = a.n();
  r.n_b = b.n();
  if (binary) {
    r.method = std::string(paired ? "paired " : "") + "difference of proportions" +
               (paired ? " over several pairs of cells" : "") +
               " (square and add of Wilson intervals at the effective sample sizes, with their "
               "correlation: Zou & Donner 2008)" +
               kClusterNote;
    return [a, b](double conf) { return stats::clustered_proportion_difference(a, b, conf); };
  }
  r.method = std::string(paired ? "paired t interval of the mean difference over several pairs "
                                  "of cells"
                                : "t interval of the difference of means") +
             kClusterNote;
  return [a, b](double conf) { return stats::clustered_mean_difference(a, b, conf); };
}

}  // namespace

ClaimResult evaluate_sample(const design::RunPlan& plan, const CellData& data, const ClaimSpec& c,
                            double confidence, const std::uint64_t* point) {
  ClaimResult r;
  const bool binary = is_binary(plan, c.column);
  const auto cells_a = select_cells(plan, c.a, point);
  if (cells_a.empty())
    throw InputError("claims." + c.id + ".a (" + c.a.text + ") selects no cells");

  if (!c.is_two_sample()) {
    if (shares_organizations(plan, cells_a.size())) {
      auto a = cluster_pool(data, c.column, cells_a);
      r.n_a = a.n();
      IntervalAt f;
      if (binary) {
        f = [a](double conf) { return stats::clustered_proportion_interval(a, conf); };
        r.method = std::string("Wilson score interval at the effective sample size") + kClusterNote;
      } else {
        f = [a](double conf) { return stats::clustered_mean_interval(a, conf); };
        r.method = std::string("t interval of the mean") + kClusterNote;
      }
      one_sample(r, f, c, confidence);
      return r;
    }
    const Pooled a = pool(data, c.column, cells_a);
    r.n_a = a.n;
    IntervalAt f;
    if (binary) {
      const auto k = static_cast<std::uint64_t>(a.successes);
      f = [k, n = a.n](double conf) { return stats::wilson(k, n, conf); };
      r.method = "Wilson score interval";
    } else {
      f = [a](double conf) { return stats::mean_interval(a.mean, a.sd(), a.n, conf); };
      r.method = "t interval of the mean";
    }
    one_sample(r, f, c, confidence);
    return r;
  }

  const auto cells_b = select_cells(plan, c.b, point);
  if (cells_b.empty())
    throw InputError("claims." + c.id + ".b (" + c.b.text + ") selects no cells");
  IntervalAt f;
  if (c.paired) {
    if (cells_a.size() != cells_b.size())
      throw InputError(
          "claims." + c.id + ": a paired comparison needs a and b to select as many cells (" +
          std::to_string(cells_a.size()) + " vs " + std::to_string(cells_b.size()) + ")");
    std::vector<double> va, vb;
    // Several pairs of cells: organization k of every cell shares its random numbers, so
    // the pairs of different cells with the same index are correlated too; the variance
    // is cluster-robust by organization index (CLAIMS.md section 7). One pair of cells
    // has one pair per organization: the classical paired intervals.
    const bool clustered = cells_a.size() > 1;
    stats::ClusterSums ca, cb;
    for (std::size_t i = 0; i < cells_a.size(); ++i) {
      // Organization k of one cell pairs with organization k of the other (the cells may
      // hold different numbers under a precision target: the common prefix is paired).
      const auto xa = data.read(c.column, cells_a[i]);
      const auto xb = data.read(c.column, cells_b[i]);
      const std::size_t m = std::min(xa.size(), xb.size());
      if (clustered) {
        for (std::size_t k = 0; k < m; ++k) {
          if (std::isnan(xa[k]) || std::isnan(xb[k])) continue;  // only complete pairs
          ca.add(k, xa[k]);
          cb.add(k, xb[k]);
        }
        continue;
      }
      va.insert(va.end(), xa.begin(), xa.begin() + static_cast<std::ptrdiff_t>(m));
      vb.insert(vb.end(), xb.begin(), xb.begin() + static_cast<std::ptrdiff_t>(m));
    }
    if (clustered) {
      f = clustered_difference(ca, cb, binary, true, r);
    } else if (binary) {
      const auto counts = stats::count_pairs(va, vb);
      r.n_a = r.n_b = counts.n();
      f = [counts](double conf) { return stats::paired_proportion_difference(counts, conf); };
      r.method = "paired difference of proportions (Newcombe 1998b, method 10)";
    } else {
      std::uint64_t pairs = 0;
      for (std::size_t i = 0; i < va.size(); ++i) pairs += !std::isnan(va[i]) && !std::isnan(vb[i]);
      r.n_a = r.n_b = pairs;
      f = [va = std::move(va), vb = std::move(vb)](double conf) {
        return stats::paired_mean_difference(va, vb, conf);
      };
      r.method = "paired t interval of the mean difference";
    }
  } else if (shares_organizations(plan, cells_a.size() + cells_b.size())) {
    f = clustered_difference(cluster_pool(data, c.column, cells_a),
                             cluster_pool(data, c.column, cells_b), binary, false, r);
  } else {
    const Pooled a = pool(data, c.column, cells_a), b = pool(data, c.column, cells_b);
    r.n_a = a.n;
    r.n_b = b.n;
    if (binary) {
      const auto ka = static_cast<std::uint64_t>(a.successes),
                 kb = static_cast<std::uint64_t>(b.successes);
      f = [=](double conf) { return stats::newcombe_difference(ka, a.n, kb, b.n, conf); };
      r.method = "difference of proportions (Newcombe 1998, hybrid score)";
    } else {
      f = [a, b](double conf) { return welch(a, b, conf); };
      r.method = "Welch t interval of the difference of means";
    }
  }
  if (c.test.direction == Direction::Equivalent)
    equivalence(r, f, c.value, confidence);
  else
    one_sided(r, f, c.value, c.is_greater(), confidence);
  return r;
}

/// Interaction contrast of the 2^k cells spanned by the claim's two-level factors (k = 2
/// or 3), the 2^k factorial effect sum_cells (prod_f s_f) mean(cell) / 2^(k-1), s_f = +1 at
/// the factor's higher level, -1 at its lower (Montgomery, Design and Analysis of
/// Experiments, ch. 6). Cells of `a` that differ in other factors form strata weighted
/// equally. Organization k shares its random numbers across cells, so the contrast is
/// computed per organization (over the strata where every cell has it) and its mean gets
/// a t interval: the pairing carries the correlation between cells.
ClaimResult evaluate_interaction(const design::RunPlan& plan, const CellData& data,
                                 const ClaimSpec& c, double confidence,
                                 const std::uint64_t* point) {
  ClaimResult r;
  const auto& x = plan.experiment();
  const auto cells = select_cells(plan, c.a, point);
  if (cells.empty()) throw InputError("claims." + c.id + ".a (" + c.a.text + ") selects no cells");
  const std::size_t k = c.interaction.size();
  // Stratum key: the levels of every factor outside the interaction.
  std::map<std::vector<std::uint32_t>, std::vector<std::pair<double, std::uint64_t>>> strata;
  for (auto ci : cells) {
    const auto& cell = plan.cells()[ci];
    std::vector<std::uint32_t> key;
    double sign = 1.0;
    for (std::size_t f = 0; f < x.factors.size(); ++f) {
      const auto it = std::find(c.interaction.begin(), c.interaction.end(), f);
      if (it == c.interaction.end()) {
        key.push_back(cell.levels[f]);
        continue;
      }
      const auto& levels = x.factors[f].levels;
      const double v = cell.values[x.factors[f].parameter];
      const double other = levels[0] == v ? levels[1] : levels[0];
      sign *= v > other ? 1.0 : -1.0;
    }
    for (const auto& rg : cell.strata) key.push_back(rg);
    key.push_back(static_cast<std::uint32_t>(cell.point));
    strata[key].push_back({sign, ci});
  }
  const double scale = 1.0 / static_cast<double>(std::size_t{1} << (k - 1));
  std::vector<double> per_org;  // mean over strata of the per-organization contrast
  std::vector<double> weight;
  for (const auto& [key, members] : strata) {
    if (members.size() != (std::size_t{1} << k))
      throw InputError("claims." + c.id +
                       ": every combination of the interaction's factors needs one cell per "
                       "stratum of the other factors (found " +
                       std::to_string(members.size()) + " cells, expected " +
                       std::to_string(std::size_t{1} << k) + ")");
    std::vector<std::vector<double>> cols;
    std::size_t m = std::numeric_limits<std::size_t>::max();
    for (const auto& [sign, ci] : members) {
      cols.push_back(data.read(c.column, ci));
      m = std::min(m, cols.back().size());
    }
    if (per_org.size() < m) {
      per_org.resize(m, 0.0);
      weight.resize(m, 0.0);
    }
    for (std::size_t j = 0; j < m; ++j) {
      double v = 0;
      for (std::size_t q = 0; q < members.size(); ++q) v += members[q].first * cols[q][j];
      // A NaN anywhere leaves this organization out (its weight is not added).
      if (std::isnan(v)) {
        per_org[j] = kNaN;
        continue;
      }
      per_org[j] += v * scale;
      weight[j] += 1.0;
    }
  }
  const double strata_count = static_cast<double>(strata.size());
  stats::Accumulator contrast;
  for (std::size_t j = 0; j < per_org.size(); ++j)
    if (!std::isnan(per_org[j]) && weight[j] == strata_count)
      contrast.add(per_org[j] / strata_count);
  const std::uint64_t n = contrast.n;
  const double mean = contrast.mean, sd = contrast.sd();
  r.n_a = n;
  r.method = std::to_string(k) + "-way interaction contrast / " +
             std::to_string(std::size_t{1} << (k - 1)) + " per organization over " +
             std::to_string(strata.size()) +
             " strata (common random numbers), t interval of the mean";
  const IntervalAt f = [mean, sd, n](double conf) {
    return stats::mean_interval(mean, sd, n, conf);
  };
  one_sided(r, f, c.value, c.is_greater(), confidence);
  return r;
}

}  // namespace tribe::claims::detail

#include "tribe/claims/evaluate.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>

#include "tribe/claims/sensitivity.hpp"
#include "tribe/core/error.hpp"
#include "tribe/core/stop.hpp"
#include "tribe/core/text.hpp"
#include "tribe/rng/samplers.hpp"
#include "tribe/stats/accumulator.hpp"
#include "tribe/stats/clustered.hpp"
#include "tribe/stats/intervals.hpp"
#include "tribe/stats/sensitivity.hpp"
#include "tribe/stats/variance.hpp"

namespace tribe::claims {

std::string_view to_string(Test t) {
  return kTestNames[static_cast<std::size_t>(t)];
}

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::Supported:
      return "supported";
    case Verdict::NotSupported:
      return "not supported";
    case Verdict::Inconclusive:
      return "inconclusive";
  }
  return "?";
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using IntervalAt = std::function<stats::Interval(double)>;

/// p-value of "theta > margin" and of "theta < margin" from an interval family.
double p_greater(const IntervalAt& f, double margin) {
  return stats::one_sided_p_value_from_interval(f, margin);
}
double p_less(const IntervalAt& f, double margin) {
  return stats::one_sided_p_value_from_interval(
      [&](double c) {
        const auto i = f(c);
        return stats::Interval{-i.estimate, -i.high, -i.low};
      },
      -margin);
}

/// The cells a selection names; with `point`, only those at that sampled point.
std::vector<std::uint64_t> select_cells(const design::RunPlan& plan, const Selection& sel,
                                        const std::uint64_t* point = nullptr) {
  std::vector<std::uint64_t> out;
  const auto& x = plan.experiment();
  for (const auto& cell : plan.cells()) {
    bool match = !point || cell.point == *point;
    for (const auto& cond : sel.conditions) {
      const double v = cell.values[x.factors[cond.factor].parameter];
      match = match && std::find(cond.levels.begin(), cond.levels.end(), v) != cond.levels.end();
    }
    if (match) out.push_back(cell.index);
  }
  return out;
}

struct Pooled {
  std::uint64_t n = 0;
  double successes = 0;  // sum of the values (binary columns: successes)
  double mean = 0, m2 = 0;
  /// Adds one cell's values: two passes over the cell (no division per value), then
  /// the pairwise merge of Chan et al. (1979) into the pooled figures.
  void add_cell(const std::vector<double>& values) {
    std::uint64_t k = 0;
    double sum = 0;
    for (double v : values)
      if (!std::isnan(v)) {
        ++k;
        sum += v;
      }
    if (k == 0) return;
    const double m = sum / static_cast<double>(k);
    double sq = 0;
    for (double v : values)
      if (!std::isnan(v)) sq += (v - m) * (v - m);
    stats::Accumulator pooled{
        .n = n, .mean = mean, .m2 = m2};  // merged as the runner merges blocks
    pooled.merge(stats::Accumulator{.n = k, .mean = m, .m2 = sq});
    n = pooled.n;
    mean = pooled.mean;
    m2 = pooled.m2;
    successes += sum;
  }
  double sd() const { return n > 1 ? std::sqrt(m2 / static_cast<double>(n - 1)) : kNaN; }
};

Pooled pool(const CellData& data, const std::string& column,
            const std::vector<std::uint64_t>& cells) {
  Pooled p;
  for (auto c : cells) p.add_cell(data.read(column, c));
  return p;
}

/// The values of some cells clustered by organization index: under common random numbers
/// organization k of every cell shares its random numbers, so observations with the same
/// index are correlated (CLAIMS.md section 7).
stats::ClusterSums cluster_pool(const CellData& data, const std::string& column,
                                const std::vector<std::uint64_t>& cells) {
  stats::ClusterSums s;
  for (auto c : cells) {
    const auto values = data.read(column, c);
    for (std::size_t k = 0; k < values.size(); ++k) s.add(k, values[k]);
  }
  return s;
}

/// Whether pooled or unpaired intervals over these cells must allow for organizations
/// shared across cells: common random numbers, and more than one cell involved.
bool shares_organizations(const design::RunPlan& plan, std::size_t cells) {
  return plan.experiment().common_random_numbers && cells > 1;
}

constexpr const char* kClusterNote =
    ", cluster-robust variance by organization index (common random numbers)";

/// Welch interval for mean(a) - mean(b).
stats::Interval welch(const Pooled& a, const Pooled& b, double confidence) {
  const double va = a.sd() * a.sd() / static_cast<double>(a.n),
               vb = b.sd() * b.sd() / static_cast<double>(b.n);
  const double se = std::sqrt(va + vb);
  const double df =
      (va + vb) * (va + vb) /
      (va * va / static_cast<double>(a.n - 1) + vb * vb / static_cast<double>(b.n - 1));
  const double d = a.mean - b.mean;
  // Two constant samples: the difference is exact.
  if (a.n >= 2 && b.n >= 2 && a.m2 == 0 && b.m2 == 0) return {d, d, d};
  if (!(se > 0) || !std::isfinite(df)) return {d, kNaN, kNaN};
  const double t = stats::student_t_quantile(0.5 + confidence / 2, df);
  return {d, d - t * se, d + t * se};
}

/// Fills estimate, interval and the two one-sided p-values of a claim whose statistic
/// has the interval family `f`: the claim is "theta > v" (greater) or "theta < v".
void one_sided(ClaimResult& r, const IntervalAt& f, double v, bool greater, double confidence) {
  const auto i = f(confidence);
  r.estimate = i.estimate;
  r.low = i.low;
  r.high = i.high;
  r.p_claim = greater ? p_greater(f, v) : p_less(f, v);
  r.p_opposite = greater ? p_less(f, v) : p_greater(f, v);
}

/// |theta| < v by two one-sided tests (Schuirmann 1987); the opposite, |theta| > v, by the
/// better of the two outer one-sided tests with a Bonferroni factor of 2.
void equivalence(ClaimResult& r, const IntervalAt& f, double v, double confidence) {
  const auto i = f(confidence);
  r.estimate = i.estimate;
  r.low = i.low;
  r.high = i.high;
  r.p_claim = std::max(p_greater(f, -v), p_less(f, v));
  r.p_opposite = std::min(1.0, 2.0 * std::min(p_greater(f, v), p_less(f, -v)));
}

/// value < theta < value_high by two one-sided tests (a band, as an equivalence test with
/// its own two bounds); the opposite, theta outside the band, by the better of the two
/// outer one-sided tests with a Bonferroni factor of 2.
void band(ClaimResult& r, const IntervalAt& f, double low, double high, double confidence) {
  const auto i = f(confidence);
  r.estimate = i.estimate;
  r.low = i.low;
  r.high = i.high;
  r.p_claim = std::max(p_greater(f, low), p_less(f, high));
  r.p_opposite = std::min(1.0, 2.0 * std::min(p_greater(f, high), p_less(f, low)));
}

/// The decision of a one-sample claim: above or below its value, or inside its band.
void one_sample(ClaimResult& r, const IntervalAt& f, const ClaimSpec& c, double confidence) {
  if (c.is_band())
    band(r, f, c.value, c.value_high, confidence);
  else
    one_sided(r, f, c.value, c.test == Test::Above, confidence);
}

bool is_binary(const design::RunPlan& plan, const std::string& column) {
  const auto cols = plan.experiment().model->columns();
  return cols[model::find_column(cols, column)].kind == model::ColumnKind::Binary;
}

ClaimResult evaluate_sample(const design::RunPlan& plan, const CellData& data, const ClaimSpec& c,
                            double confidence, const std::uint64_t* point = nullptr) {
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
      r.n_a = ca.n();
      r.n_b = cb.n();
      if (binary) {
        f = [ca, cb](double conf) { return stats::clustered_proportion_difference(ca, cb, conf); };
        r.method = std::string(
                       "paired difference of proportions over several pairs of cells (square "
                       "and add of Wilson intervals at the effective sample sizes, with their "
                       "correlation: Zou & Donner 2008)") +
                   kClusterNote;
      } else {
        f = [ca, cb](double conf) { return stats::clustered_mean_difference(ca, cb, conf); };
        r.method = std::string(
                       "paired t interval of the mean difference over several pairs of "
                       "cells") +
                   kClusterNote;
      }
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
    auto a = cluster_pool(data, c.column, cells_a), b = cluster_pool(data, c.column, cells_b);
    r.n_a = a.n();
    r.n_b = b.n();
    if (binary) {
      f = [a, b](double conf) { return stats::clustered_proportion_difference(a, b, conf); };
      r.method = std::string(
                     "difference of proportions (square and add of Wilson intervals at the "
                     "effective sample "
                     "sizes, with their correlation: Zou & Donner 2008)") +
                 kClusterNote;
    } else {
      f = [a, b](double conf) { return stats::clustered_mean_difference(a, b, conf); };
      r.method = std::string("t interval of the difference of means") + kClusterNote;
    }
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
  if (c.test == Test::Equivalent)
    equivalence(r, f, c.value, confidence);
  else
    one_sided(r, f, c.value, c.test == Test::DifferenceAbove, confidence);
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
                                 const std::uint64_t* point = nullptr) {
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

/// Average ranks (ties share their mean rank) of the values at `idx`.
std::vector<double> ranks(const std::vector<double>& v) {
  std::vector<std::size_t> order(v.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    const double mid = 0.5 * static_cast<double>(i + j) + 1.0;
    for (std::size_t q = i; q <= j; ++q) r[order[q]] = mid;
    i = j + 1;
  }
  return r;
}

/// Association across organizations: Spearman's rho between `column` and `with` within each
/// selected cell (organizations where both are defined), Fisher z = atanh(rho) with
/// standard error sqrt(1.06 / (n - 3)) (Fieller, Hartley & Pearson 1957), averaged over
/// the cells with equal weights and transformed back. Within-cell correlations keep the
/// design's factors out of the association. Cells share organizations (common random
/// numbers), so the standard error of the mean z is the mean of the cells' standard errors
/// — the bound for perfectly correlated cells, valid whatever their correlation.
ClaimResult evaluate_correlation(const design::RunPlan& plan, const CellData& data,
                                 const ClaimSpec& c, double confidence,
                                 const std::uint64_t* point = nullptr) {
  ClaimResult r;
  const auto cells = select_cells(plan, c.a, point);
  if (cells.empty()) throw InputError("claims." + c.id + ".a (" + c.a.text + ") selects no cells");
  double z_sum = 0, se_sum = 0;
  std::size_t used = 0;
  std::uint64_t n_total = 0;
  for (auto ci : cells) {
    const auto xs = data.read(c.column, ci), ys = data.read(c.with, ci);
    std::vector<double> a, b;
    for (std::size_t j = 0; j < std::min(xs.size(), ys.size()); ++j)
      if (!std::isnan(xs[j]) && !std::isnan(ys[j])) {
        a.push_back(xs[j]);
        b.push_back(ys[j]);
      }
    if (a.size() < 10) continue;
    const auto ra = ranks(a), rb = ranks(b);
    double ma = 0, mb = 0;
    for (std::size_t j = 0; j < ra.size(); ++j) {
      ma += ra[j];
      mb += rb[j];
    }
    ma /= static_cast<double>(ra.size());
    mb /= static_cast<double>(rb.size());
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t j = 0; j < ra.size(); ++j) {
      sab += (ra[j] - ma) * (rb[j] - mb);
      saa += (ra[j] - ma) * (ra[j] - ma);
      sbb += (rb[j] - mb) * (rb[j] - mb);
    }
    if (!(saa > 0 && sbb > 0)) continue;  // a constant column: no rank correlation
    const double rho = std::clamp(sab / std::sqrt(saa * sbb), -0.999999, 0.999999);
    z_sum += std::atanh(rho);
    se_sum += std::sqrt(1.06 / (static_cast<double>(a.size()) - 3.0));
    ++used;
    n_total += a.size();
  }
  r.n_a = n_total;
  r.n_b = used;
  r.method = "Spearman rho within each of " + std::to_string(used) +
             " cells, mean Fisher z (se: mean of the cells' se, valid under common random numbers)";
  const double z = used ? z_sum / static_cast<double>(used) : kNaN;
  const double se = used ? se_sum / static_cast<double>(used) : kNaN;
  const IntervalAt f = [z, se](double conf) {
    const double q = stats::normal_quantile(0.5 + conf / 2);
    return stats::Interval{std::tanh(z), std::tanh(z - q * se), std::tanh(z + q * se)};
  };
  one_sided(r, f, c.value, c.is_greater(), confidence);
  if (std::isnan(r.p_claim)) r.p_claim = 1.0;
  if (std::isnan(r.p_opposite)) r.p_opposite = 1.0;
  return r;
}

constexpr std::uint64_t kRankCorrelationPurpose = 0x7472696265'5243ULL;  // "tribeRC"

/// A variable ready to be ranked under any weights: its values' order and where each group
/// of ties begins. A bootstrap resample is a multiset of the organizations, so its ranks
/// follow from this order in linear time (weighted_ranks) instead of a sort per replicate.
struct RankedVariable {
  std::vector<std::size_t> order;    // indices sorted by value
  std::vector<std::uint8_t> starts;  // [position in order]: 1 where a group of ties begins
  explicit RankedVariable(const std::vector<double>& v) : order(v.size()), starts(v.size(), 0) {
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
    for (std::size_t q = 0; q < order.size(); ++q)
      starts[q] = q == 0 || v[order[q]] != v[order[q - 1]];
  }
};

/// Midranks of the sample in which organization i appears w[i] times: a group of ties of
/// total weight W after C earlier values holds positions C + 1 .. C + W, midrank
/// C + (W + 1) / 2 (exactly ranks() of the expanded sample; with w = 1, ranks()).
void weighted_ranks(const RankedVariable& v, const std::vector<double>& w, std::vector<double>& r) {
  const std::size_t n = v.order.size();
  r.resize(n);
  double before = 0.0;
  for (std::size_t q = 0; q < n;) {
    std::size_t e = q + 1;
    while (e < n && !v.starts[e]) ++e;
    double weight = 0.0;
    for (std::size_t t = q; t < e; ++t) weight += w[v.order[t]];
    const double mid = before + 0.5 * (weight + 1.0);
    for (std::size_t t = q; t < e; ++t) r[v.order[t]] = mid;
    before += weight;
    q = e;
  }
}

/// Spearman's rho of vars[0] and vars[1] over the sample in which organization i appears
/// w[i] times, or, with controls (vars[2..]), the partial Spearman correlation: the ranks
/// of both each residualized by least squares on the ranks of the controls (and a
/// constant), the residuals correlated. NaN when a residual is constant.
double weighted_rank_correlation(const std::vector<RankedVariable>& vars,
                                 const std::vector<double>& w) {
  const std::size_t n = w.size(), k = vars.size() - 1;  // k: the constant and the controls
  double total = 0.0;
  for (double v : w) total += v;
  if (total < 3) return kNaN;
  std::vector<double> rx, ry;
  weighted_ranks(vars[0], w, rx);
  weighted_ranks(vars[1], w, ry);
  if (k > 1) {
    // Design matrix [1, ranks of the controls]; weighted normal equations by Gaussian
    // elimination with partial pivoting (k is small: the volume controls).
    std::vector<std::vector<double>> z(k, std::vector<double>(n, 1.0));
    for (std::size_t j = 1; j < k; ++j) weighted_ranks(vars[j + 1], w, z[j]);
    std::vector<double> zz(k * k, 0.0), zx(k, 0.0), zy(k, 0.0);
    for (std::size_t a = 0; a < k; ++a) {
      for (std::size_t b = 0; b < k; ++b)
        for (std::size_t i = 0; i < n; ++i) zz[a * k + b] += w[i] * z[a][i] * z[b][i];
      for (std::size_t i = 0; i < n; ++i) {
        zx[a] += w[i] * z[a][i] * rx[i];
        zy[a] += w[i] * z[a][i] * ry[i];
      }
    }
    for (std::size_t col = 0; col < k; ++col) {
      std::size_t piv = col;
      for (std::size_t row = col + 1; row < k; ++row)
        if (std::fabs(zz[row * k + col]) > std::fabs(zz[piv * k + col])) piv = row;
      if (!(std::fabs(zz[piv * k + col]) > 1e-12)) continue;  // collinear control: skip it
      for (std::size_t b = 0; b < k; ++b) std::swap(zz[col * k + b], zz[piv * k + b]);
      std::swap(zx[col], zx[piv]);
      std::swap(zy[col], zy[piv]);
      for (std::size_t row = 0; row < k; ++row) {
        if (row == col) continue;
        const double m = zz[row * k + col] / zz[col * k + col];
        for (std::size_t b = 0; b < k; ++b) zz[row * k + b] -= m * zz[col * k + b];
        zx[row] -= m * zx[col];
        zy[row] -= m * zy[col];
      }
    }
    std::vector<double> bx(k, 0.0), by(k, 0.0);
    for (std::size_t a = 0; a < k; ++a)
      if (std::fabs(zz[a * k + a]) > 1e-12) {
        bx[a] = zx[a] / zz[a * k + a];
        by[a] = zy[a] / zz[a * k + a];
      }
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t a = 0; a < k; ++a) {
        rx[i] -= bx[a] * z[a][i];
        ry[i] -= by[a] * z[a][i];
      }
  }
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mx += w[i] * rx[i];
    my += w[i] * ry[i];
  }
  mx /= total;
  my /= total;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sxy += w[i] * (rx[i] - mx) * (ry[i] - my);
    sxx += w[i] * (rx[i] - mx) * (rx[i] - mx);
    syy += w[i] * (ry[i] - my) * (ry[i] - my);
  }
  if (!(sxx > 1e-9 * total && syy > 1e-9 * total)) return kNaN;
  return sxy / std::sqrt(sxx * syy);
}

/// The association between organizations that the field measures on samples of real
/// teams: Spearman's rho of column and `with` over every organization of the selected
/// cells pooled (a population: the cells' parameters differ, and that is the point),
/// net of the controls' ranks if any. Interval: percentile bootstrap over clusters — the
/// organization index under common random numbers (organization k of every cell shares
/// its random numbers), otherwise the cell — with kRankCorrelationReplicates replicates
/// drawn from a stream of the experiment's seed, so the report is reproducible.
ClaimResult evaluate_rank_correlation(const design::RunPlan& plan, const CellData& data,
                                      const ClaimSpec& c, double confidence,
                                      const std::uint64_t* point = nullptr,
                                      int replicates = kRankCorrelationReplicates) {
  ClaimResult r;
  const auto cells = select_cells(plan, c.a, point);
  if (cells.empty())
    throw InputError((c.pattern ? "patterns." : "claims.") + c.id + ".a (" + c.a.text +
                     ") selects no cells");
  const bool by_organization = plan.experiment().common_random_numbers;
  std::vector<double> xs, ys;
  std::vector<std::vector<double>> zs(c.controls.size());
  std::vector<std::uint64_t> cluster;
  std::size_t cells_used = 0;  // cells that hold data (a calibration reads one point's)
  for (auto ci : cells) {
    const auto x = data.read(c.column, ci), y = data.read(c.with, ci);
    cells_used += !x.empty();
    std::vector<std::vector<double>> z;
    for (const auto& name : c.controls) z.push_back(data.read(name, ci));
    for (std::size_t j = 0; j < std::min(x.size(), y.size()); ++j) {
      bool ok = !std::isnan(x[j]) && !std::isnan(y[j]);
      for (const auto& col : z) ok = ok && j < col.size() && !std::isnan(col[j]);
      if (!ok) continue;
      xs.push_back(x[j]);
      ys.push_back(y[j]);
      for (std::size_t q = 0; q < z.size(); ++q) zs[q].push_back(z[q][j]);
      cluster.push_back(by_organization ? j : ci);
    }
  }
  // Clusters as dense indices, with their rows.
  std::vector<std::uint64_t> ids = cluster;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<std::vector<std::size_t>> rows(ids.size());
  for (std::size_t i = 0; i < cluster.size(); ++i)
    rows[static_cast<std::size_t>(std::lower_bound(ids.begin(), ids.end(), cluster[i]) -
                                  ids.begin())]
        .push_back(i);
  r.n_a = xs.size();
  r.n_b = ids.size();
  r.method = std::string(c.controls.empty()
                             ? "Spearman rho"
                             : "partial Spearman rho (net of " + join(c.controls, ", ") + ")") +
             " between the organizations of " + std::to_string(cells_used) +
             " cells pooled; percentile bootstrap over " + std::to_string(ids.size()) +
             (by_organization ? " organization indices" : " cells") + ", " +
             std::to_string(replicates) + " replicates";
  std::vector<RankedVariable> vars{RankedVariable(xs), RankedVariable(ys)};
  for (const auto& z : zs) vars.emplace_back(z);
  const double estimate = weighted_rank_correlation(vars, std::vector<double>(xs.size(), 1.0));
  // Cluster bootstrap: a replicate draws ids.size() clusters with replacement; organization
  // i enters it as often as its cluster is drawn (its weight).
  std::vector<double> boot;
  if (ids.size() >= 2 && !std::isnan(estimate)) {
    rng::Stream s(plan.experiment().seed, kRankCorrelationPurpose, 0);
    std::vector<double> w(xs.size());
    for (int b = 0; b < replicates; ++b) {
      std::fill(w.begin(), w.end(), 0.0);
      for (std::size_t g = 0; g < ids.size(); ++g)
        for (const std::size_t i : rows[rng::uniform_index(s, ids.size())]) w[i] += 1.0;
      const double v = weighted_rank_correlation(vars, w);
      if (!std::isnan(v)) boot.push_back(v);
    }
    std::sort(boot.begin(), boot.end());
  }
  const IntervalAt f = [estimate, boot](double conf) {
    if (boot.size() < 2) return stats::Interval{estimate, kNaN, kNaN};
    const auto at = [&](double q) {  // linear interpolation between order statistics
      const double h = q * static_cast<double>(boot.size() - 1);
      const auto lo = static_cast<std::size_t>(std::floor(h));
      const std::size_t hi = std::min(lo + 1, boot.size() - 1);
      return boot[lo] + (h - static_cast<double>(lo)) * (boot[hi] - boot[lo]);
    };
    return stats::Interval{estimate, at(0.5 - conf / 2), at(0.5 + conf / 2)};
  };
  if (c.is_band())
    band(r, f, c.value, c.value_high, confidence);
  else
    one_sided(r, f, c.value, c.is_greater(), confidence);
  if (std::isnan(r.p_claim)) r.p_claim = 1.0;
  if (std::isnan(r.p_opposite)) r.p_opposite = 1.0;
  return r;
}

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
  one_sided(r, f, c.value, c.test == Test::VarianceShareAbove, confidence);
  return r;
}

/// Sobol-index claims (Sobol designs): sum of the first- or total-order indices of the
/// ranges in factors_a minus that of factors_b, on cell means; normal interval with the
/// standard error of the bootstrap over base points (the bootstrap of /sensitivity).
ClaimResult evaluate_sensitivity(const design::RunPlan& plan, const CellData& data,
                                 const ClaimSpec& c, double confidence) {
  const auto& x = plan.experiment();
  ClaimResult r;
  const bool total = c.test == Test::SobolTotalAbove || c.test == Test::SobolTotalBelow;
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
  one_sided(r, f, c.value, c.test == Test::SobolFirstAbove || c.test == Test::SobolTotalAbove,
            confidence);
  return r;
}

/// No verdict without data: a claim whose data cannot decide it gets a reason, and with it
/// the verdict inconclusive (its p-values become NaN, which Holm counts conservatively).
void check_evidence(ClaimResult& r, const ClaimSpec& c) {
  if (r.reason.empty()) {
    if (r.n_a == 0 || (c.is_two_sample() && r.n_b == 0))
      r.reason = std::string("no data: n = 0") +
                 (c.is_two_sample() ? (r.n_a == 0 ? " in a" : " in b") : "") + " (every value of " +
                 c.column + " is missing there)";
    else if (std::isnan(r.estimate))
      r.reason = "the estimate is undefined";
    else if (std::isnan(r.low) || std::isnan(r.high))
      r.reason =
          "the interval cannot be computed (fewer than 2 observations, pairs or clusters on a "
          "side)";
  }
  if (!r.reason.empty()) r.p_claim = r.p_opposite = kNaN;
}

}  // namespace

void decide(std::vector<ClaimResult>& results, double confidence) {
  // One family of 2 one-sided tests per claim (the claim, and its opposite), Holm-adjusted.
  std::vector<double> p;
  for (const auto& r : results) {
    p.push_back(r.p_claim);
    p.push_back(r.p_opposite);
  }
  const auto adj = stats::holm_adjust(p);
  const double alpha = 1.0 - confidence;
  for (std::size_t i = 0; i < results.size(); ++i) {
    auto& r = results[i];
    r.p_claim_holm = adj[2 * i];
    r.p_opposite_holm = adj[2 * i + 1];
    r.verdict = !r.reason.empty()           ? Verdict::Inconclusive
                : r.p_claim_holm < alpha    ? Verdict::Supported
                : r.p_opposite_holm < alpha ? Verdict::NotSupported
                                            : Verdict::Inconclusive;
  }
}

namespace {

/// Reads through to another CellData, except for derived columns, which are recomputed
/// from their inputs under other parameter values. Inputs (for all threshold settings)
/// and derived values (for the current one: several claims read the same cells) are
/// kept while they fit in a fixed budget (kRederiveCacheBytes by default, which holds
/// the cells of several million organizations); beyond it they are read (or derived)
/// again at each use, so the memory of the evaluation stays bounded however many
/// organizations a run has.
class RederivedData final : public CellData {
 public:
  RederivedData(const design::RunPlan& plan, const CellData& base, std::size_t budget)
      : plan_(plan), base_(base), budget_(budget) {}

  void set_values(std::vector<model::ParameterValues> per_cell) {
    values_ = std::move(per_cell);
    for (const auto& [key, v] : derived_) cached_bytes_ -= v.size() * sizeof(double);
    derived_.clear();
  }

  std::vector<double> read(const std::string& column, std::uint64_t cell) const override {
    // One setting re-reads every cell: a stop must not wait for the whole setting.
    stop_point("re-evaluating the claims at other thresholds");
    const auto& model = *plan_.experiment().model;
    const auto derived = model.derived_columns();
    for (std::size_t d = 0; d < derived.size(); ++d) {
      if (derived[d].column != column) continue;
      auto key = std::make_pair(column, cell);
      if (auto it = derived_.find(key); it != derived_.end()) return it->second;
      std::vector<std::vector<double>> uncached(derived[d].inputs.size());
      std::vector<const std::vector<double>*> inputs;
      for (std::size_t k = 0; k < derived[d].inputs.size(); ++k)
        inputs.push_back(&input(derived[d].inputs[k], cell, uncached[k]));
      std::vector<double> out(inputs.empty() ? 0 : inputs[0]->size());
      std::vector<double> row(inputs.size());
      for (std::size_t i = 0; i < out.size(); ++i) {
        for (std::size_t k = 0; k < inputs.size(); ++k) row[k] = (*inputs[k])[i];
        out[i] = model.derive(d, row, values_[cell]);
      }
      if (fits(out)) derived_.emplace(std::move(key), out);
      return out;
    }
    std::vector<double> uncached;
    const auto& v = input(column, cell, uncached);
    return &v == &uncached ? std::move(uncached) : v;
  }

 private:
  /// Whether v can be kept within the budget (and, if so, counts it).
  bool fits(const std::vector<double>& v) const {
    const std::size_t bytes = v.size() * sizeof(double);
    if (cached_bytes_ + bytes > budget_) return false;
    cached_bytes_ += bytes;
    return true;
  }

  /// The column's values in the cell: kept, or read and kept while the budget allows,
  /// or read into `uncached`.
  const std::vector<double>& input(const std::string& column, std::uint64_t cell,
                                   std::vector<double>& uncached) const {
    auto key = std::make_pair(column, cell);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    std::vector<double> v = base_.read(column, cell);
    if (!fits(v)) {
      uncached = std::move(v);
      return uncached;
    }
    return cache_.emplace(std::move(key), std::move(v)).first->second;
  }

  const design::RunPlan& plan_;
  const CellData& base_;
  const std::size_t budget_;
  std::vector<model::ParameterValues> values_;
  mutable std::map<std::pair<std::string, std::uint64_t>, std::vector<double>> cache_;
  mutable std::map<std::pair<std::string, std::uint64_t>, std::vector<double>>
      derived_;  // this threshold setting
  mutable std::size_t cached_bytes_ = 0;
};

bool depends_on_thresholds(const design::RunPlan& plan, const ClaimSpec& c) {
  for (const auto& d : plan.experiment().model->derived_columns())
    if (d.column == c.column) return true;
  return false;
}

}  // namespace

namespace {

/// One claim's test (before the family's Holm decision).
ClaimResult evaluate_claim(const design::RunPlan& plan, const CellData& data, const ClaimSpec& c,
                           double confidence, int rank_replicates = kRankCorrelationReplicates) {
  ClaimResult r = c.is_variance_share()     ? evaluate_variance(plan, data, c, confidence)
                  : c.is_interaction()      ? evaluate_interaction(plan, data, c, confidence)
                  : c.is_correlation()      ? evaluate_correlation(plan, data, c, confidence)
                  : c.is_rank_correlation() ? evaluate_rank_correlation(plan, data, c, confidence,
                                                                        nullptr, rank_replicates)
                  : c.is_sensitivity()      ? evaluate_sensitivity(plan, data, c, confidence)
                                            : evaluate_sample(plan, data, c, confidence);
  check_evidence(r, c);
  return r;
}

}  // namespace

std::vector<ClaimResult> evaluate(const design::RunPlan& plan, const std::vector<ClaimSpec>& claims,
                                  const CellData& data, int rank_replicates) {
  const double confidence = plan.experiment().report.confidence;
  std::vector<ClaimResult> results;
  for (const auto& c : claims) {
    stop_point("evaluating the claims");
    results.push_back(evaluate_claim(plan, data, c, confidence, rank_replicates));
  }
  decide(results, confidence);
  return results;
}

VarianceShares variance_shares(const design::RunPlan& plan, const CellData& data,
                               const std::string& column) {
  const Gathered d = gather(plan, data, column);
  std::vector<std::size_t> all(d.values.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  const auto vd = decompose(d, all);
  return {column, d.names, vd.eta_squared, vd.unexplained_share};
}

namespace {

/// The claim at every sampled point on its own, and the PRIM box where it is supported.
AssumptionSpace assumption_space(const design::RunPlan& plan, const std::vector<ClaimSpec>& claims,
                                 const CellData& data, std::size_t claim) {
  const auto& x = plan.experiment();
  const auto& c = claims[claim];
  AssumptionSpace s;
  s.claim = claim;
  for (const auto& r : x.ranges) s.parameters.push_back(r.name);
  const std::uint64_t points = x.sampled_points();
  std::vector<int> holds;
  for (std::uint64_t p = 0; p < points; ++p) {
    stop_point("mapping the assumption space");
    const auto& cell = plan.cells()[p];  // the first factor combination at point p
    std::vector<double> v;
    for (const auto& r : x.ranges) v.push_back(cell.values[r.parameter]);
    s.x.push_back(std::move(v));
    // The claim's own test, restricted to the cells of point p.
    std::vector<ClaimResult> one{
        c.is_correlation() ? evaluate_correlation(plan, data, c, x.report.confidence, &p)
        : c.is_rank_correlation()
            ? evaluate_rank_correlation(plan, data, c, x.report.confidence, &p)
        : c.is_interaction() ? evaluate_interaction(plan, data, c, x.report.confidence, &p)
                             : evaluate_sample(plan, data, c, x.report.confidence, &p)};
    check_evidence(one[0], c);
    decide(one, x.report.confidence);
    s.verdicts.push_back(one[0].verdict);
    s.estimates.push_back(one[0].estimate);
    holds.push_back(one[0].verdict == Verdict::Supported);
    s.share_supported += one[0].verdict == Verdict::Supported;
    s.share_not_supported += one[0].verdict == Verdict::NotSupported;
    s.share_inconclusive += one[0].verdict == Verdict::Inconclusive;
  }
  const auto n = static_cast<double>(points);
  s.share_supported /= n;
  s.share_not_supported /= n;
  s.share_inconclusive /= n;
  s.scenario = stats::prim(s.x, holds);
  return s;
}

}  // namespace

Report build_report(const design::RunPlan& plan, const std::vector<ClaimSpec>& claims,
                    const CellData& data, std::size_t cache_bytes) {
  const auto& x = plan.experiment();
  Report report;
  report.confidence = x.report.confidence;
  report.results = evaluate(plan, claims, data);
  for (std::size_t c = 0; c < claims.size(); ++c)
    if (claims[c].assumption_space)
      report.spaces.push_back(assumption_space(plan, claims, data, c));
  for (const auto& c : claims) {
    if (!c.is_variance_share()) continue;
    bool seen = false;
    for (const auto& v : report.variance) seen = seen || v.column == c.column;
    if (!seen) report.variance.push_back(variance_shares(plan, data, c.column));
  }

  // Robustness: every combination of offsets of the threshold parameters the claims'
  // columns depend on; each claim re-evaluated (the whole Holm family at once).
  Robustness& rob = report.robustness;
  const auto specs = x.model->parameters();
  bool any = false;
  for (const auto& c : claims) any = any || depends_on_thresholds(plan, c);
  for (const auto& d : x.model->derived_columns()) {
    bool used = false;
    for (const auto& c : claims) used = used || c.column == d.column;
    if (!used) continue;
    for (const auto& t : d.thresholds)
      if (std::find(rob.thresholds.begin(), rob.thresholds.end(), t) == rob.thresholds.end())
        rob.thresholds.push_back(t);
  }
  rob.share.assign(claims.size(), kNaN);
  if (!any || rob.thresholds.empty()) return report;

  RederivedData rederived(plan, data, cache_bytes);
  // The family under other threshold values. A claim whose column no threshold feeds has
  // the same test at every setting: its result is taken from report.results (decide()
  // recomputes every Holm-adjusted p-value and verdict from the raw p-values), so only
  // the threshold-dependent claims are evaluated again (correlation claims on 1,000,000
  // organizations cost seconds each).
  const auto reevaluate = [&](const CellData& d) {
    std::vector<ClaimResult> results = report.results;
    for (std::size_t c = 0; c < claims.size(); ++c)
      if (depends_on_thresholds(plan, claims[c]))
        results[c] = evaluate_claim(plan, d, claims[c], report.confidence);
    decide(results, report.confidence);
    return results;
  };
  // Threshold curves: each threshold over its whole range, one at a time.
  for (const auto& name : rob.thresholds) {
    ThresholdCurve curve;
    curve.threshold = name;
    const auto p = model::find_parameter(specs, name);
    const std::size_t points = x.report.threshold_points;
    for (std::size_t i = 0; i < points; ++i) {
      stop_point("computing the threshold curves");
      const double value = specs[p].min + (specs[p].max - specs[p].min) * static_cast<double>(i) /
                                              static_cast<double>(points - 1);
      std::vector<model::ParameterValues> values;
      for (const auto& cell : plan.cells()) {
        auto v = cell.values;
        v[p] = value;
        values.push_back(std::move(v));
      }
      rederived.set_values(std::move(values));
      const auto results = reevaluate(rederived);
      std::vector<Verdict> verdicts;
      std::vector<double> estimates;
      for (const auto& r : results) {
        verdicts.push_back(r.verdict);
        estimates.push_back(r.estimate);
      }
      curve.values.push_back(value);
      curve.verdicts.push_back(std::move(verdicts));
      curve.estimates.push_back(std::move(estimates));
    }
    report.curves.push_back(std::move(curve));
  }

  const auto& offsets = x.report.robustness_offsets;
  std::size_t combos = 1;
  for (std::size_t i = 0; i < rob.thresholds.size(); ++i) combos *= offsets.size();
  std::vector<std::size_t> agree(claims.size(), 0);
  for (std::size_t k = 0; k < combos; ++k) {
    stop_point("checking the claims' robustness");
    std::vector<double> offset(rob.thresholds.size());
    std::size_t rest = k;
    for (std::size_t t = rob.thresholds.size(); t-- > 0;) {
      offset[t] = offsets[rest % offsets.size()];
      rest /= offsets.size();
    }
    std::vector<model::ParameterValues> values;
    for (const auto& cell : plan.cells()) {
      auto v = cell.values;
      for (std::size_t t = 0; t < rob.thresholds.size(); ++t) {
        const auto p = model::find_parameter(specs, rob.thresholds[t]);
        v[p] = std::clamp(v[p] + offset[t], specs[p].min, specs[p].max);
      }
      values.push_back(std::move(v));
    }
    rederived.set_values(std::move(values));
    auto results = reevaluate(rederived);
    std::vector<Verdict> verdicts;
    for (std::size_t c = 0; c < results.size(); ++c) {
      verdicts.push_back(results[c].verdict);
      agree[c] += results[c].verdict == report.results[c].verdict;
    }
    rob.offsets.push_back(offset);
    rob.verdicts.push_back(std::move(verdicts));
  }
  for (std::size_t c = 0; c < claims.size(); ++c)
    if (depends_on_thresholds(plan, claims[c]))
      rob.share[c] = static_cast<double>(agree[c]) / static_cast<double>(combos);
  return report;
}

}  // namespace tribe::claims

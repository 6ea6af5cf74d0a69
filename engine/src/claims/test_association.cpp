// Claims on associations: Spearman correlation within cells, and the rank correlation
// over a pooled population of organizations with its cluster bootstrap.
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
                                 const std::uint64_t* point) {
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
                                      const std::uint64_t* point, int replicates) {
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

}  // namespace tribe::claims::detail

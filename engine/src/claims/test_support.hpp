#pragma once
// What the claim tests share (claims/evaluate.cpp and the test families beside it): the
// cells a selection names, pooled and clustered values, Welch intervals, and the
// one-sided, equivalence and band decisions from an interval family. Private to
// engine/src/claims/.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "tribe/claims/evaluate.hpp"
#include "tribe/core/error.hpp"
#include "tribe/stats/accumulator.hpp"
#include "tribe/stats/clustered.hpp"
#include "tribe/stats/intervals.hpp"

namespace tribe::claims::detail {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using IntervalAt = std::function<stats::Interval(double)>;

/// p-value of "theta > margin" and of "theta < margin" from an interval family.
inline double p_greater(const IntervalAt& f, double margin) {
  return stats::one_sided_p_value_from_interval(f, margin);
}
inline double p_less(const IntervalAt& f, double margin) {
  return stats::one_sided_p_value_from_interval(
      [&](double c) {
        const auto i = f(c);
        return stats::Interval{-i.estimate, -i.high, -i.low};
      },
      -margin);
}

/// The cells a selection names; with `point`, only those at that sampled point.
inline std::vector<std::uint64_t> select_cells(const design::RunPlan& plan, const Selection& sel,
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

inline Pooled pool(const CellData& data, const std::string& column,
                   const std::vector<std::uint64_t>& cells) {
  Pooled p;
  for (auto c : cells) p.add_cell(data.read(column, c));
  return p;
}

/// The values of some cells clustered by organization index: under common random numbers
/// organization k of every cell shares its random numbers, so observations with the same
/// index are correlated (CLAIMS.md section 7).
inline stats::ClusterSums cluster_pool(const CellData& data, const std::string& column,
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
inline bool shares_organizations(const design::RunPlan& plan, std::size_t cells) {
  return plan.experiment().common_random_numbers && cells > 1;
}

inline constexpr const char* kClusterNote =
    ", cluster-robust variance by organization index (common random numbers)";

/// Welch interval for mean(a) - mean(b).
inline stats::Interval welch(const Pooled& a, const Pooled& b, double confidence) {
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
inline void one_sided(ClaimResult& r, const IntervalAt& f, double v, bool greater,
                      double confidence) {
  const auto i = f(confidence);
  r.estimate = i.estimate;
  r.low = i.low;
  r.high = i.high;
  r.p_claim = greater ? p_greater(f, v) : p_less(f, v);
  r.p_opposite = greater ? p_less(f, v) : p_greater(f, v);
}

/// |theta| < v by two one-sided tests (Schuirmann 1987); the opposite, |theta| > v, by the
/// better of the two outer one-sided tests with a Bonferroni factor of 2.
inline void equivalence(ClaimResult& r, const IntervalAt& f, double v, double confidence) {
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
inline void band(ClaimResult& r, const IntervalAt& f, double low, double high, double confidence) {
  const auto i = f(confidence);
  r.estimate = i.estimate;
  r.low = i.low;
  r.high = i.high;
  r.p_claim = std::max(p_greater(f, low), p_less(f, high));
  r.p_opposite = std::min(1.0, 2.0 * std::min(p_greater(f, high), p_less(f, low)));
}

/// The decision of a one-sample claim: above or below its value, or inside its band.
inline void one_sample(ClaimResult& r, const IntervalAt& f, const ClaimSpec& c, double confidence) {
  if (c.is_band())
    band(r, f, c.value, c.value_high, confidence);
  else
    one_sided(r, f, c.value, c.is_greater(), confidence);
}

inline bool is_binary(const design::RunPlan& plan, const std::string& column) {
  const auto cols = plan.experiment().model->columns();
  return cols[model::find_column(cols, column)].kind == model::ColumnKind::Binary;
}

// The test families, one file each: a sample's mean or rate and the interaction contrast
// (test_means.cpp), associations within and across cells (test_association.cpp), variance
// shares and Sobol indices (test_variance.cpp). With `point`, only the cells of one sampled
// point (the assumption space's map).
ClaimResult evaluate_sample(const design::RunPlan& plan, const CellData& data, const ClaimSpec& c,
                            double confidence, const std::uint64_t* point = nullptr);
ClaimResult evaluate_interaction(const design::RunPlan& plan, const CellData& data,
                                 const ClaimSpec& c, double confidence,
                                 const std::uint64_t* point = nullptr);
ClaimResult evaluate_correlation(const design::RunPlan& plan, const CellData& data,
                                 const ClaimSpec& c, double confidence,
                                 const std::uint64_t* point = nullptr);
ClaimResult evaluate_rank_correlation(const design::RunPlan& plan, const CellData& data,
                                      const ClaimSpec& c, double confidence,
                                      const std::uint64_t* point = nullptr,
                                      int replicates = kRankCorrelationReplicates);
ClaimResult evaluate_variance(const design::RunPlan& plan, const CellData& data, const ClaimSpec& c,
                              double confidence);
ClaimResult evaluate_sensitivity(const design::RunPlan& plan, const CellData& data,
                                 const ClaimSpec& c, double confidence);

}  // namespace tribe::claims::detail

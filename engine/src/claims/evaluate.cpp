#include "tribe/claims/evaluate.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>

#include "test_support.hpp"
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
  for (const auto& named : kTests)
    if (named.test == t) return named.name;
  TRIBE_CHECK(false, "claims::to_string: a test without a name");
  return {};
}

std::string_view to_string(Verdict v) {
  return enum_name(std::array<std::string_view, 3>{"supported", "not supported", "inconclusive"},
                   v);
}

using namespace detail;

namespace {

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

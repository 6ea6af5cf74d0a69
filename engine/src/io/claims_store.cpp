#include "tribe/io/claims_store.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <limits>
#include <optional>
#include <utility>

#include "tribe/claims/describe.hpp"
#include "tribe/core/error.hpp"
#include "tribe/core/text.hpp"

namespace tribe::io {

namespace {

/// Column k of a table stored by rows (one row per point), as a 1-D dataset of doubles.
void write_column(hid_t group, const std::string& name,
                  const std::vector<std::vector<double>>& rows, std::size_t k,
                  const std::string& ctx) {
  std::vector<double> v;
  v.reserve(rows.size());
  for (const auto& row : rows) v.push_back(row[k]);
  h5::write_dataset(group, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v.data(), v.size(), ctx);
}

/// "control in [0.35, 1] and structure in {flat}" (encoded values formatted per parameter).
std::string box_text(const design::Experiment& x, const stats::PrimBox& box,
                     const std::vector<std::string>& names) {
  const auto specs = x.model->parameters();
  std::string s;
  for (std::size_t k = 0; k < names.size(); ++k) {
    if (!box.restricted[k]) continue;
    const auto& spec = specs[model::find_parameter(specs, names[k])];
    if (!s.empty()) s += " and ";
    const auto& r = x.ranges[k];
    if (!r.choices.empty()) {
      std::string set;
      for (double v : r.choices)
        if (v >= box.low[k] && v <= box.high[k])
          set += (set.empty() ? "" : ", ") + model::format_value(spec, v);
      s += names[k] + " in {" + set + "}";
    } else {
      char lo[32], hi[32];
      std::snprintf(lo, sizeof lo, "%.3g", box.low[k]);
      std::snprintf(hi, sizeof hi, "%.3g", box.high[k]);
      s += names[k] + " in [" + lo + ", " + hi + "]";
    }
  }
  return s.empty() ? "the whole space (no parameter restricted)" : s;
}

void write_assumption_spaces(hid_t claims_group, const design::RunPlan& plan,
                             const std::vector<claims::ClaimSpec>& claims,
                             const claims::Report& report, const std::string& ctx) {
  if (report.spaces.empty()) return;
  const auto& x = plan.experiment();
  h5::Handle ag = h5::create_group(claims_group, "assumption_space", ctx);
  h5::write_attribute(
      ag.get(), "description",
      "claims evaluated at every sampled point of the design on their own (verdict codes: 0 "
      "supported, "
      "1 not supported, 2 inconclusive; no correction across points), and the PRIM box (Friedman & "
      "Fisher 1999; peeling alpha 0.05, min mass 0.05, highest density with coverage >= 0.8, then "
      "pasting and dropping restrictions worth < 0.01 density) where the claim is supported",
      ctx);
  const auto& first = report.spaces.front();
  h5::write_attribute(ag.get(), "parameters", first.parameters, ctx);
  const std::size_t points = first.x.size();
  for (std::size_t k = 0; k < first.parameters.size(); ++k)
    write_column(ag.get(), "value_" + first.parameters[k], first.x, k, ctx);
  for (const auto& s : report.spaces) {
    h5::Handle cg = h5::create_group(ag.get(), claims[s.claim].id, ctx);
    std::vector<std::uint8_t> verdicts;
    for (auto v : s.verdicts) verdicts.push_back(static_cast<std::uint8_t>(v));
    h5::write_dataset(cg.get(), "verdict", H5T_STD_U8LE, H5T_NATIVE_UINT8, verdicts.data(), points,
                      ctx);
    h5::write_dataset(cg.get(), "estimate", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, s.estimates.data(),
                      points, ctx);
    h5::write_attribute(cg.get(), "share_supported", s.share_supported, ctx);
    h5::write_attribute(cg.get(), "share_not_supported", s.share_not_supported, ctx);
    h5::write_attribute(cg.get(), "share_inconclusive", s.share_inconclusive, ctx);
    const auto& b = s.scenario;
    h5::write_attribute(cg.get(), "scenario", box_text(x, b, s.parameters), ctx);
    h5::write_attribute(cg.get(), "coverage", b.coverage, ctx);
    h5::write_attribute(cg.get(), "density", b.density, ctx);
    h5::write_attribute(cg.get(), "mass", b.mass, ctx);
    std::vector<std::string> names;
    std::vector<double> lo, hi;
    for (std::size_t k = 0; k < s.parameters.size(); ++k)
      if (b.restricted[k]) {
        names.push_back(s.parameters[k]);
        lo.push_back(b.low[k]);
        hi.push_back(b.high[k]);
      }
    h5::write_strings(cg.get(), "box_parameter", names, ctx);
    h5::write_dataset(cg.get(), "box_low", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, lo.data(), lo.size(),
                      ctx);
    h5::write_dataset(cg.get(), "box_high", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, hi.data(), hi.size(),
                      ctx);
  }
}

}  // namespace

namespace {

/// The table of claims (or patterns) with their results, one entry per claim in every
/// dataset of `g`: /claims and /patterns have the same layout.
void write_claim_table(hid_t g, const design::RunPlan& plan,
                       const std::vector<claims::ClaimSpec>& claims,
                       const std::vector<claims::ClaimResult>& results,
                       const std::vector<double>& robustness, const std::string& ctx) {
  const auto& x = plan.experiment();
  const std::size_t n = claims.size();
  std::vector<std::string> id, statement, test, column, a, b, fa, fb, method, verdict, description,
      reason;
  std::vector<std::string> sweep_of, sweep_level, controls;
  std::vector<double> value, value_high, est, lo, hi, pc, po, pch, poh, rob;
  std::vector<std::uint64_t> na, nb, paired;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& c = claims[i];
    const auto& r = results[i];
    id.push_back(c.id);
    statement.push_back(c.statement);
    test.push_back(std::string(claims::to_string(c.test)));
    column.push_back(c.column);
    a.push_back(c.uses_factor_groups() ? "" : c.a.text);
    b.push_back(c.is_two_sample() ? c.b.text : "");
    fa.push_back(join(c.factors_a, ","));
    fb.push_back(join(c.factors_b, ","));
    if (c.is_interaction()) {
      std::vector<std::string> names;
      for (auto f : c.interaction) names.push_back(x.factors[f].name);
      fa.back() = join(names, ",");
    }
    if (c.is_correlation() || c.is_rank_correlation()) b.back() = c.with;
    controls.push_back(join(c.controls, ","));
    description.push_back(claims::describe(c, x));
    sweep_of.push_back(c.sweep_of);
    sweep_level.push_back(c.sweep_level);
    method.push_back(r.method);
    verdict.push_back(std::string(claims::to_string(r.verdict)));
    reason.push_back(r.reason);
    value.push_back(c.value);
    value_high.push_back(c.is_band() ? c.value_high : std::numeric_limits<double>::quiet_NaN());
    est.push_back(r.estimate);
    lo.push_back(r.low);
    hi.push_back(r.high);
    pc.push_back(r.p_claim);
    po.push_back(r.p_opposite);
    pch.push_back(r.p_claim_holm);
    poh.push_back(r.p_opposite_holm);
    rob.push_back(robustness[i]);
    na.push_back(r.n_a);
    nb.push_back(r.n_b);
    paired.push_back(c.paired);
  }
  for (auto& [name, v] :
       std::initializer_list<std::pair<const char*, const std::vector<std::string>*>>{
           {"id", &id},
           {"statement", &statement},
           {"test", &test},
           {"column", &column},
           {"a", &a},
           {"b", &b},
           {"factors_a", &fa},
           {"factors_b", &fb},
           {"controls", &controls},
           {"description", &description},
           {"method", &method},
           {"verdict", &verdict},
           {"reason", &reason},
           {"sweep_of", &sweep_of},
           {"sweep_level", &sweep_level}})
    h5::write_strings(g, name, *v, ctx);
  for (auto& [name, v] : std::initializer_list<std::pair<const char*, const std::vector<double>*>>{
           {"value", &value},
           {"value_high", &value_high},
           {"estimate", &est},
           {"ci_low", &lo},
           {"ci_high", &hi},
           {"p_claim", &pc},
           {"p_opposite", &po},
           {"p_claim_holm", &pch},
           {"p_opposite_holm", &poh},
           {"robustness_share", &rob}})
    h5::write_dataset(g, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v->data(), n, ctx);
  for (auto& [name, v] :
       std::initializer_list<std::pair<const char*, const std::vector<std::uint64_t>*>>{
           {"n_a", &na}, {"n_b", &nb}, {"paired", &paired}})
    h5::write_dataset(g, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, v->data(), n, ctx);
}

constexpr const char* kHolmText =
    "Holm (1979) over two one-sided tests per claim (the claim and its opposite); "
    "supported if the claim's adjusted p < 1 - confidence, not supported if the opposite's is, "
    "else inconclusive";

}  // namespace

void write_patterns(ResultWriter& writer, const design::RunPlan& plan,
                    const std::vector<claims::ClaimSpec>& patterns,
                    const std::vector<claims::ClaimResult>& results) {
  const std::string ctx = writer.target().string();
  h5::Handle g = h5::create_group(writer.file(), "patterns", ctx);
  h5::write_attribute(g.get(), "confidence", plan.experiment().report.confidence, ctx);
  h5::write_attribute(g.get(), "multiple_comparisons",
                      std::string(kHolmText) +
                          "; the patterns are one family, apart from the claims; "
                          "supported = the model reproduces the pattern (the statistic lies "
                          "inside its band)",
                      ctx);
  write_claim_table(g.get(), plan, patterns, results,
                    std::vector<double>(patterns.size(), std::numeric_limits<double>::quiet_NaN()),
                    ctx);
}

namespace {
std::string acceptance_rule(const design::Calibration& c) {
  char buf[160];
  if (!std::isnan(c.quantile))
    std::snprintf(buf, sizeof buf,
                  "the closest %.4g of the points (quantile rule; ties at the cut included)",
                  c.quantile);
  else
    std::snprintf(buf, sizeof buf, "every point at distance <= %.4g (tolerance rule)", c.tolerance);
  return buf;
}
}  // namespace

void write_calibration(ResultWriter& writer, const design::RunPlan& plan,
                       const std::vector<claims::ClaimSpec>& patterns,
                       const claims::Calibration& cal) {
  const auto& x = plan.experiment();
  const std::string ctx = writer.target().string();
  h5::Handle g = h5::create_group(writer.file(), "calibration", ctx);
  h5::write_attribute(
      g.get(), "method",
      "rejection ABC (Pritchard et al. 1999; Beaumont 2010): prior draws of the calibrated "
      "assumptions (a Latin hypercube over calibration.ranges, uniform), the whole design run at "
      "each, every pattern evaluated on each point's organizations alone",
      ctx);
  h5::write_attribute(g.get(), "distance",
                      "a point's distance is the largest, over the patterns the calibration "
                      "uses, of the distance of the pattern's estimate from its band in units "
                      "of the band's width (0 inside; infinite for an undefined estimate)",
                      ctx);
  h5::write_attribute(g.get(), "rule", acceptance_rule(x.calibration), ctx);
  h5::write_attribute(g.get(), "quantile", x.calibration.quantile, ctx);
  h5::write_attribute(g.get(), "tolerance", x.calibration.tolerance, ctx);
  h5::write_attribute(g.get(), "tolerance_reached", cal.tolerance_reached, ctx);
  h5::write_attribute(g.get(), "credible", x.calibration.credible, ctx);
  h5::write_attribute(g.get(), "points", static_cast<std::uint64_t>(cal.theta.size()), ctx);
  const auto n_accepted =
      static_cast<std::uint64_t>(std::count(cal.accepted.begin(), cal.accepted.end(), 1));
  h5::write_attribute(g.get(), "accepted_points", n_accepted, ctx);

  // Per calibrated parameter: prior range and the accepted region's marginal.
  std::vector<double> plo, phi, med, clo, chi;
  for (std::size_t r = 0; r < cal.parameters.size(); ++r) {
    plo.push_back(x.calibration.ranges[r].low);
    phi.push_back(x.calibration.ranges[r].high);
    med.push_back(cal.marginals[r].median);
    clo.push_back(cal.marginals[r].low);
    chi.push_back(cal.marginals[r].high);
  }
  const auto doubles = [&](hid_t parent, const char* name, const std::vector<double>& v) {
    h5::write_dataset(parent, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v.data(), v.size(), ctx);
  };
  h5::write_strings(g.get(), "parameter", cal.parameters, ctx);
  doubles(g.get(), "prior_low", plo);
  doubles(g.get(), "prior_high", phi);
  doubles(g.get(), "median", med);
  doubles(g.get(), "credible_low", clo);
  doubles(g.get(), "credible_high", chi);
  // Per point.
  for (std::size_t r = 0; r < cal.parameters.size(); ++r)
    write_column(g.get(), "value_" + cal.parameters[r], cal.theta, r, ctx);
  doubles(g.get(), "distance", cal.distance);
  h5::write_dataset(g.get(), "accepted", H5T_STD_U8LE, H5T_NATIVE_UINT8, cal.accepted.data(),
                    cal.accepted.size(), ctx);
  // Per pattern.
  std::vector<std::string> ids;
  std::vector<double> uses;
  for (std::size_t j = 0; j < patterns.size(); ++j) {
    ids.push_back(patterns[j].id);
    uses.push_back(cal.uses[j]);
  }
  h5::write_strings(g.get(), "pattern", ids, ctx);
  doubles(g.get(), "uses", uses);
  doubles(g.get(), "inside_prior", cal.inside_prior);
  doubles(g.get(), "inside_accepted", cal.inside_accepted);
  h5::Handle pg = h5::create_group(g.get(), "at_point", ctx);
  for (std::size_t j = 0; j < patterns.size(); ++j) {
    h5::Handle one = h5::create_group(pg.get(), patterns[j].id, ctx);
    std::vector<double> est, lo, hi, bd;
    for (std::size_t k = 0; k < cal.at.size(); ++k) {
      est.push_back(cal.at[k][j].estimate);
      lo.push_back(cal.at[k][j].low);
      hi.push_back(cal.at[k][j].high);
      bd.push_back(cal.band_distance[k][j]);
    }
    doubles(one.get(), "estimate", est);
    doubles(one.get(), "ci_low", lo);
    doubles(one.get(), "ci_high", hi);
    doubles(one.get(), "band_distance", bd);
  }
  if (!cal.accepted_region.empty()) {
    h5::Handle ag = h5::create_group(g.get(), "accepted_region", ctx);
    h5::write_attribute(ag.get(), "confidence", x.report.confidence, ctx);
    h5::write_attribute(ag.get(), "organizations", cal.accepted_organizations, ctx);
    h5::write_attribute(ag.get(), "multiple_comparisons",
                        std::string(kHolmText) +
                            "; the patterns over the organizations of every accepted point "
                            "pooled, one family",
                        ctx);
    write_claim_table(
        ag.get(), plan, patterns, cal.accepted_region,
        std::vector<double>(patterns.size(), std::numeric_limits<double>::quiet_NaN()), ctx);
  }
}

void write_report(ResultWriter& writer, const design::RunPlan& plan,
                  const std::vector<claims::ClaimSpec>& claims, const claims::Report& report) {
  const hid_t file = writer.file();
  const std::string ctx = writer.target().string();
  h5::Handle g = h5::create_group(file, "claims", ctx);
  h5::write_attribute(g.get(), "confidence", report.confidence, ctx);
  h5::write_attribute(g.get(), "multiple_comparisons", kHolmText, ctx);
  write_claim_table(g.get(), plan, claims, report.results, report.robustness.share, ctx);
  const std::size_t n = claims.size();

  // Robustness grid: one row per combination of threshold offsets.
  const auto& rb = report.robustness;
  h5::Handle rg = h5::create_group(g.get(), "robustness", ctx);
  h5::write_attribute(rg.get(), "thresholds", rb.thresholds, ctx);
  h5::write_attribute(
      rg.get(), "description",
      "every combination of report.robustness_offsets added to the threshold parameters; "
      "verdict codes: 0 supported, 1 not supported, 2 inconclusive",
      ctx);
  const std::size_t combos = rb.offsets.size();
  for (std::size_t t = 0; t < rb.thresholds.size(); ++t)
    write_column(rg.get(), "offset_" + rb.thresholds[t], rb.offsets, t, ctx);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::uint8_t> v;
    for (const auto& row : rb.verdicts) v.push_back(static_cast<std::uint8_t>(row[i]));
    h5::write_dataset(rg.get(), "verdict_" + claims[i].id, H5T_STD_U8LE, H5T_NATIVE_UINT8, v.data(),
                      combos, ctx);
  }

  if (!report.curves.empty()) {
    h5::Handle cg = h5::create_group(g.get(), "threshold_curves", ctx);
    h5::write_attribute(
        cg.get(), "description",
        "each threshold of a derived column set to every value of an even grid over its whole "
        "range (the other thresholds at the cells' values), every claim re-evaluated; verdict "
        "codes: 0 supported, 1 not supported, 2 inconclusive",
        ctx);
    for (const auto& curve : report.curves) {
      h5::Handle tg = h5::create_group(cg.get(), curve.threshold, ctx);
      const std::size_t points = curve.values.size();
      h5::write_dataset(tg.get(), "value", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, curve.values.data(),
                        points, ctx);
      for (std::size_t i = 0; i < n; ++i) {
        std::vector<std::uint8_t> v;
        std::vector<double> e;
        for (std::size_t k = 0; k < points; ++k) {
          v.push_back(static_cast<std::uint8_t>(curve.verdicts[k][i]));
          e.push_back(curve.estimates[k][i]);
        }
        h5::write_dataset(tg.get(), "verdict_" + claims[i].id, H5T_STD_U8LE, H5T_NATIVE_UINT8,
                          v.data(), points, ctx);
        h5::write_dataset(tg.get(), "estimate_" + claims[i].id, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                          e.data(), points, ctx);
      }
    }
  }
  write_assumption_spaces(g.get(), plan, claims, report, ctx);

  if (!report.variance.empty()) {
    h5::Handle vg = h5::create_group(file, "variance", ctx);
    h5::write_attribute(
        vg.get(), "description",
        "main-effect eta squared (= first-order Sobol index on a balanced design) of each "
        "factor and sampled range (by strata), per outcome column",
        ctx);
    for (const auto& v : report.variance) {
      h5::Handle cg = h5::create_group(vg.get(), v.column, ctx);
      h5::write_strings(cg.get(), "factor", v.names, ctx);
      h5::write_dataset(cg.get(), "eta_squared", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                        v.eta_squared.data(), v.eta_squared.size(), ctx);
      h5::write_attribute(cg.get(), "unexplained", v.unexplained, ctx);
    }
  }
}

void write_sensitivity(ResultWriter& writer, const design::RunPlan& plan,
                       const std::vector<claims::ColumnSensitivity>& all) {
  const auto& x = plan.experiment();
  if (x.sampling != design::Sampling::Sobol) return;
  const hid_t file = writer.file();
  const std::string ctx = writer.target().string();
  h5::Handle g = h5::create_group(file, "sensitivity", ctx);
  h5::write_attribute(
      g.get(), "description",
      "Sobol indices of every outcome column over the Sobol design, on cell means: first order "
      "(Saltelli et al. 2010) and total order (Jansen 1999), percentile bootstrap intervals over "
      "base points; the last parameter is the inert dummy",
      ctx);
  h5::write_attribute(g.get(), "base_points", x.points, ctx);
  h5::write_attribute(g.get(), "confidence", x.report.confidence, ctx);
  h5::write_attribute(g.get(), "bootstrap_replicates", std::uint64_t{1000}, ctx);
  for (const auto& s : all) {
    h5::Handle cg = h5::create_group(g.get(), s.column, ctx);
    h5::write_strings(cg.get(), "parameter", s.names, ctx);
    const auto& i = s.indices;
    for (auto& [name, v] :
         std::initializer_list<std::pair<const char*, const std::vector<double>*>>{
             {"S1", &i.first},
             {"S1_low", &i.first_low},
             {"S1_high", &i.first_high},
             {"ST", &i.total},
             {"ST_low", &i.total_low},
             {"ST_high", &i.total_high}})
      h5::write_dataset(cg.get(), name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v->data(), v->size(),
                        ctx);
    h5::write_attribute(cg.get(), "base_points_used", i.base_points, ctx);
    h5::write_attribute(cg.get(), "variance", i.variance, ctx);
  }
}

namespace {

StoredClaims read_claims(const ResultReader& f, const std::string& file,
                         const std::string& group = "claims") {
  StoredClaims c;
  c.file = file;
  c.experiment = f.attribute("experiment_name");
  c.engine = f.attribute("engine_version");
  c.git = f.attribute("git_sha1");
  c.seed = f.attribute_u64("seed");
  c.organizations = f.attribute_u64("organizations");
  if (!f.exists(group)) return c;
  c.id = f.strings(group + "/id");
  c.statement = f.strings(group + "/statement");
  c.description = f.strings(group + "/description");
  c.method = f.strings(group + "/method");
  c.verdict = f.strings(group + "/verdict");
  // Files of format 1.0 have no reasons.
  c.reason = f.exists(group + "/reason") ? f.strings(group + "/reason")
                                         : std::vector<std::string>(c.id.size());
  using Numbers = std::vector<double> StoredClaims::*;
  for (const auto& [numbers, dataset] : std::initializer_list<std::pair<Numbers, const char*>>{
           {&StoredClaims::est, "estimate"},
           {&StoredClaims::lo, "ci_low"},
           {&StoredClaims::hi, "ci_high"},
           {&StoredClaims::pc, "p_claim"},
           {&StoredClaims::po, "p_opposite"},
           {&StoredClaims::pc_holm, "p_claim_holm"},
           {&StoredClaims::po_holm, "p_opposite_holm"},
           {&StoredClaims::rob, "robustness_share"},
           {&StoredClaims::na, "n_a"},
           {&StoredClaims::nb, "n_b"}})
    c.*numbers = f.column(group + "/" + dataset);
  c.thresholds = f.exists(group + "/robustness")
                     ? f.group_strings_attribute(group + "/robustness", "thresholds")
                     : std::vector<std::string>{};
  c.confidence = f.column_attribute_double(group, "confidence");
  c.sweep_of =
      f.exists(group + "/sweep_of") ? f.strings(group + "/sweep_of") : std::vector<std::string>{};
  c.sweep_level = f.exists(group + "/sweep_of") ? f.strings(group + "/sweep_level")
                                                : std::vector<std::string>{};
  return c;
}

StoredSensitivity read_sensitivity(const ResultReader& f) {
  StoredSensitivity s;
  s.confidence = f.column_attribute_double("sensitivity", "confidence");
  s.cells = f.column("cells/organizations").size();
  for (const auto& column : f.list("sensitivity")) {
    const std::string g = "sensitivity/" + column + "/";
    StoredSensitivity::Column c;
    c.name = column;
    c.parameter = f.strings(g + "parameter");
    using Numbers = std::vector<double> StoredSensitivity::Column::*;
    for (const auto& [numbers, dataset] : std::initializer_list<std::pair<Numbers, const char*>>{
             {&StoredSensitivity::Column::s1, "S1"},
             {&StoredSensitivity::Column::s1_low, "S1_low"},
             {&StoredSensitivity::Column::s1_high, "S1_high"},
             {&StoredSensitivity::Column::st, "ST"},
             {&StoredSensitivity::Column::st_low, "ST_low"},
             {&StoredSensitivity::Column::st_high, "ST_high"}})
      c.*numbers = f.column(g + dataset);
    s.columns.push_back(std::move(c));
  }
  return s;
}

/// The threshold curves of the thresholds the claims' robustness grid varies.
std::vector<StoredCurve> read_curves(const ResultReader& f, const StoredClaims& c) {
  std::vector<StoredCurve> curves;
  for (const auto& t : c.thresholds) {
    const std::string base = "claims/threshold_curves/" + t;
    if (!f.exists(base + "/value")) continue;
    StoredCurve curve;
    curve.threshold = t;
    curve.values = f.column(base + "/value");
    for (const auto& id : c.id)
      curve.verdicts.push_back(f.exists(base + "/verdict_" + id)
                                   ? std::optional(f.column(base + "/verdict_" + id))
                                   : std::nullopt);
    curves.push_back(std::move(curve));
  }
  return curves;
}

std::vector<StoredScenario> read_scenarios(const ResultReader& f) {
  std::vector<StoredScenario> scenarios;
  for (const auto& id : f.list("claims/assumption_space")) {
    if (id.rfind("value_", 0) == 0) continue;
    const std::string g = "claims/assumption_space/" + id;
    auto attr = [&](const char* name) { return f.column_attribute_double(g, name); };
    StoredScenario s;
    s.id = id;
    s.share_supported = attr("share_supported");
    s.share_not_supported = attr("share_not_supported");
    s.share_inconclusive = attr("share_inconclusive");
    s.scenario = f.group_string_attribute(g, "scenario");
    s.coverage = attr("coverage");
    s.density = attr("density");
    s.mass = attr("mass");
    scenarios.push_back(std::move(s));
  }
  return scenarios;
}

StoredCalibration read_calibration(const ResultReader& f, const std::string& name) {
  StoredCalibration c;
  c.rule = f.group_string_attribute("calibration", "rule");
  c.points = static_cast<std::uint64_t>(f.column_attribute_double("calibration", "points"));
  c.accepted =
      static_cast<std::uint64_t>(f.column_attribute_double("calibration", "accepted_points"));
  c.tolerance_reached = f.column_attribute_double("calibration", "tolerance_reached");
  c.credible = f.column_attribute_double("calibration", "credible");
  c.parameter = f.strings("calibration/parameter");
  c.prior_low = f.column("calibration/prior_low");
  c.prior_high = f.column("calibration/prior_high");
  c.median = f.column("calibration/median");
  c.credible_low = f.column("calibration/credible_low");
  c.credible_high = f.column("calibration/credible_high");
  c.pattern = f.strings("calibration/pattern");
  c.uses = f.column("calibration/uses");
  c.inside_prior = f.column("calibration/inside_prior");
  c.inside_accepted = f.column("calibration/inside_accepted");
  c.has_accepted_region = f.exists("calibration/accepted_region");
  if (c.has_accepted_region) {
    c.accepted_region = read_claims(f, name, "calibration/accepted_region");
    // The organizations the accepted region's patterns were evaluated on (not the file's);
    // files written before this attribute keep the file's count.
    try {
      c.accepted_region.organizations = static_cast<std::uint64_t>(
          f.column_attribute_double("calibration/accepted_region", "organizations"));
    } catch (const std::exception&) {
    }
  }
  return c;
}

}  // namespace

StoredReport read_report(const ResultReader& f, const std::string& name) {
  StoredReport r;
  r.has_sensitivity = f.exists("sensitivity");
  if (r.has_sensitivity) r.sensitivity = read_sensitivity(f);
  r.has_claims = f.exists("claims");
  r.claims = read_claims(f, name);
  r.has_patterns = f.exists("patterns");
  if (r.has_patterns) r.patterns = read_claims(f, name, "patterns");
  r.has_calibration = f.exists("calibration");
  if (r.has_calibration) r.calibration = read_calibration(f, name);
  if (!r.has_claims) return r;
  r.curves = read_curves(f, r.claims);
  r.has_assumption_space = f.exists("claims/assumption_space");
  if (r.has_assumption_space) r.scenarios = read_scenarios(f);
  return r;
}

}  // namespace tribe::io

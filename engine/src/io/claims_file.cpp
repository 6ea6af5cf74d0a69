#include "tribe/io/claims_file.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "tribe/core/error.hpp"

namespace tribe::io {

FileCellData::FileCellData(hid_t file, const std::vector<design::Segment>& segments,
                           std::string context, std::span<const model::ColumnSpec> columns)
    : file_(file), columns_(columns), ctx_(std::move(context)) {
  std::uint64_t row = 0;
  for (const auto& s : segments) {
    if (pieces_.size() <= s.cell) pieces_.resize(s.cell + 1);
    pieces_[s.cell].push_back({s.first, s.count, row});
    row += s.count;
  }
  for (auto& p : pieces_)
    std::sort(p.begin(), p.end(), [](const Piece& a, const Piece& b) { return a.first < b.first; });
}

std::vector<double> FileCellData::read(const std::string& column, std::uint64_t cell) const {
  // A point of a series is column `at` of the series' 2-D dataset.
  std::string dataset = column;
  hsize_t at_time = 0;
  bool series = false;
  if (const auto k = model::find_column(columns_, column);
      k != model::npos && !columns_[k].series.empty()) {
    for (const auto& st : stored_columns(columns_))
      if (st.series() && k >= st.first && k < st.first + st.count) {
        dataset = st.name;
        at_time = k - st.first;
        series = true;
      }
  }
  h5::Handle ds = h5::checked(H5Dopen2(file_, ("organizations/" + dataset).c_str(), H5P_DEFAULT),
                              H5Dclose, ctx_, "missing dataset /organizations/" + dataset);
  std::vector<double> v;
  if (cell >= pieces_.size()) return v;
  h5::Handle space = h5::checked(H5Dget_space(ds.get()), H5Sclose, ctx_, "cannot get dataspace");
  hsize_t dims[2] = {0, 0};
  if (H5Sget_simple_extent_ndims(space.get()) != (series ? 2 : 1))
    throw EnvironmentError(ctx_ + ": /organizations/" + dataset +
                           " has another shape than its model declares");
  H5Sget_simple_extent_dims(space.get(), dims, nullptr);
  const std::uint64_t rows = dims[0];
  for (const auto& p : pieces_[cell]) {
    const hsize_t start = p.row, count = p.count;
    if (rows < start + count)
      throw EnvironmentError(ctx_ + ": /organizations/" + column +
                             " is shorter than its segments (truncated file?)");
    const std::size_t at = v.size();
    v.resize(at + count);
    h5::Handle fspace = h5::checked(H5Dget_space(ds.get()), H5Sclose, ctx_, "cannot get dataspace");
    const hsize_t start2[2] = {start, at_time}, count2[2] = {count, 1};
    h5::check(
        series
            ? H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, start2, nullptr, count2, nullptr)
            : H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr),
        ctx_, "cannot select rows");
    h5::Handle mspace = h5::checked(H5Screate_simple(1, &count, nullptr), H5Sclose, ctx_,
                                    "cannot create dataspace");
    h5::check(H5Dread(ds.get(), H5T_NATIVE_DOUBLE, mspace.get(), fspace.get(), H5P_DEFAULT,
                      v.data() + at),
              ctx_, "cannot read /organizations/" + column + " (corrupt file?)");
  }
  return v;
}

std::vector<design::Segment> read_segments(const ResultReader& f) {
  const auto cell = f.column("cells/segments/cell"), first = f.column("cells/segments/first"),
             count = f.column("cells/segments/count");
  std::vector<design::Segment> s;
  for (std::size_t i = 0; i < cell.size(); ++i)
    s.push_back({static_cast<std::uint64_t>(cell[i]), static_cast<std::uint64_t>(first[i]),
                 static_cast<std::uint64_t>(count[i])});
  return s;
}

namespace {

std::string interval_text(double est, double lo, double hi) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "%.4g [%.4g, %.4g]", est, lo, hi);
  return buf;
}

std::string pvalue(double p) {
  if (std::isnan(p)) return "n/a";
  char buf[32];
  if (p < 1e-15) return "<1e-15";
  std::snprintf(buf, sizeof buf, p < 1e-3 ? "%.1e" : "%.3f", p);
  return buf;
}

std::string describe(const std::string& test, const std::string& column, bool binary,
                     const std::string& a, const std::string& b, double value, bool paired,
                     const std::string& fa, const std::string& fb) {
  char v[32];
  std::snprintf(v, sizeof v, "%g", value);
  const std::string stat = binary ? "rate" : "mean";
  const std::string s = stat + "(" + column + " | " + a + ")";
  if (test == "above") return s + " > " + v;
  if (test == "below") return s + " < " + v;
  const std::string d =
      s + " - " + stat + "(" + column + " | " + b + ")" + (paired ? " [paired]" : "");
  if (test == "difference_above") return d + " > " + v;
  if (test == "difference_below") return d + " < " + v;
  if (test == "equivalent") return "|" + d + "| < " + v;
  if (test.rfind("sobol_", 0) == 0) {
    const std::string index = test.find("first") != std::string::npos ? "S1" : "ST";
    const std::string s = index + "(" + column + ": " + fa + ")" +
                          (fb.empty() ? "" : " - " + index + "(" + column + ": " + fb + ")");
    return s + (test.find("above") != std::string::npos ? " > " : " < ") + v;
  }
  const std::string share = "eta2(" + column + ": " + fa + ")" +
                            (fb.empty() ? "" : " - eta2(" + column + ": " + fb + ")");
  if (test == "variance_share_above") return share + " > " + v;
  return share + " < " + v;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
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
  for (std::size_t k = 0; k < first.parameters.size(); ++k) {
    std::vector<double> v;
    for (const auto& row : first.x) v.push_back(row[k]);
    h5::write_dataset(ag.get(), "value_" + first.parameters[k], H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                      v.data(), points, ctx);
  }
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

void print_scenarios(const ResultReader& f, std::ostream& out, ReportFormat format) {
  if (!f.exists("claims/assumption_space")) return;
  const bool md = format == ReportFormat::Markdown;
  out << (md ? "\n## Where each claim holds (assumption space)\n\n"
             : "\nWhere each claim holds (assumption space)\n")
      << (md ? "" : "  ")
      << "Each claim evaluated at every sampled point on its own (no correction across points); "
      << "scenario: the PRIM box (Friedman & Fisher 1999) where it is supported.\n";
  if (md)
    out << "\n| claim | supported | not supported | inconclusive | scenario | coverage | density "
           "|\n|---|---|---|---|---|---|---|\n";
  for (const auto& id : f.list("claims/assumption_space")) {
    if (id.rfind("value_", 0) == 0) continue;
    const std::string g = "claims/assumption_space/" + id;
    auto attr = [&](const char* name) { return f.column_attribute_double(g, name); };
    char buf[256];
    const std::string scenario = f.group_string_attribute(g, "scenario");
    if (md) {
      std::snprintf(buf, sizeof buf, "| %s | %.0f%% | %.0f%% | %.0f%% | %s | %.2f | %.2f |\n",
                    id.c_str(), 100 * attr("share_supported"), 100 * attr("share_not_supported"),
                    100 * attr("share_inconclusive"), scenario.c_str(), attr("coverage"),
                    attr("density"));
      out << buf;
    } else {
      std::snprintf(buf, sizeof buf,
                    "\n  %s: supported at %.0f%% of the points, not supported at %.0f%%, "
                    "inconclusive at %.0f%%\n",
                    id.c_str(), 100 * attr("share_supported"), 100 * attr("share_not_supported"),
                    100 * attr("share_inconclusive"));
      out << buf;
      std::snprintf(buf, sizeof buf, " (coverage %.2f, density %.2f, mass %.2f)\n",
                    attr("coverage"), attr("density"), attr("mass"));
      out << "    holds where " << scenario << buf;
    }
  }
}

FileCellData read_back(const ResultWriter& writer, const std::vector<design::Segment>& segments) {
  return FileCellData(writer.file(), segments, writer.target().string(),
                      writer.plan().experiment().model->columns());
}

void write_report(ResultWriter& writer, const design::RunPlan& plan,
                  const std::vector<claims::ClaimSpec>& claims, const claims::Report& report) {
  const hid_t file = writer.file();
  const std::string ctx = writer.target().string();
  const auto& x = plan.experiment();
  const std::size_t n = claims.size();
  h5::Handle g = h5::create_group(file, "claims", ctx);
  h5::write_attribute(g.get(), "confidence", report.confidence, ctx);
  h5::write_attribute(
      g.get(), "multiple_comparisons",
      "Holm (1979) over two one-sided tests per claim (the claim and its opposite); "
      "supported if the claim's adjusted p < 1 - confidence, not supported if the opposite's is, "
      "else inconclusive",
      ctx);
  std::vector<std::string> id, statement, test, column, a, b, fa, fb, method, verdict, description,
      reason;
  std::vector<std::string> sweep_of, sweep_level;
  std::vector<double> value, est, lo, hi, pc, po, pch, poh, rob;
  std::vector<std::uint64_t> na, nb, paired;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& c = claims[i];
    const auto& r = report.results[i];
    id.push_back(c.id);
    statement.push_back(c.statement);
    test.push_back(std::string(claims::to_string(c.test)));
    column.push_back(c.column);
    a.push_back(c.uses_factor_groups() ? "" : c.a.text);
    b.push_back(c.is_two_sample() ? c.b.text : "");
    fa.push_back(join(c.factors_a, ","));
    fb.push_back(join(c.factors_b, ","));
    const auto cols = x.model->columns();
    const bool binary = cols[model::find_column(cols, c.column)].kind == model::ColumnKind::Binary;
    if (c.is_interaction()) {
      std::vector<std::string> names;
      for (auto f : c.interaction) names.push_back(x.factors[f].name);
      char v[32];
      std::snprintf(v, sizeof v, "%g", c.value);
      fa.back() = join(names, ",");
      description.push_back("interaction(" + join(names, " x ") + ") of mean(" + c.column + " | " +
                            a.back() + ") [paired] " + (c.is_greater() ? "> " : "< ") + v);
    } else if (c.is_correlation()) {
      char v[32];
      std::snprintf(v, sizeof v, "%g", c.value);
      b.back() = c.with;
      description.push_back("spearman(" + c.column + ", " + c.with + " | " + a.back() +
                            ", within cells) " + (c.is_greater() ? "> " : "< ") + v);
    } else {
      description.push_back(describe(test.back(), c.column, binary, a.back(), b.back(), c.value,
                                     c.paired, fa.back(), fb.back()));
    }
    sweep_of.push_back(c.sweep_of);
    sweep_level.push_back(c.sweep_level);
    method.push_back(r.method);
    verdict.push_back(std::string(claims::to_string(r.verdict)));
    reason.push_back(r.reason);
    value.push_back(c.value);
    est.push_back(r.estimate);
    lo.push_back(r.low);
    hi.push_back(r.high);
    pc.push_back(r.p_claim);
    po.push_back(r.p_opposite);
    pch.push_back(r.p_claim_holm);
    poh.push_back(r.p_opposite_holm);
    rob.push_back(report.robustness.share[i]);
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
           {"description", &description},
           {"method", &method},
           {"verdict", &verdict},
           {"reason", &reason},
           {"sweep_of", &sweep_of},
           {"sweep_level", &sweep_level}})
    h5::write_strings(g.get(), name, *v, ctx);
  for (auto& [name, v] : std::initializer_list<std::pair<const char*, const std::vector<double>*>>{
           {"value", &value},
           {"estimate", &est},
           {"ci_low", &lo},
           {"ci_high", &hi},
           {"p_claim", &pc},
           {"p_opposite", &po},
           {"p_claim_holm", &pch},
           {"p_opposite_holm", &poh},
           {"robustness_share", &rob}})
    h5::write_dataset(g.get(), name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v->data(), n, ctx);
  for (auto& [name, v] :
       std::initializer_list<std::pair<const char*, const std::vector<std::uint64_t>*>>{
           {"n_a", &na}, {"n_b", &nb}, {"paired", &paired}})
    h5::write_dataset(g.get(), name, H5T_STD_U64LE, H5T_NATIVE_UINT64, v->data(), n, ctx);

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
  for (std::size_t t = 0; t < rb.thresholds.size(); ++t) {
    std::vector<double> off;
    for (const auto& o : rb.offsets) off.push_back(o[t]);
    h5::write_dataset(rg.get(), "offset_" + rb.thresholds[t], H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                      off.data(), combos, ctx);
  }
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

namespace {

const char* verdict_name(int code) {
  return code == 0 ? "supported" : code == 1 ? "not supported" : "inconclusive";
}

/// Runs of equal verdicts along a threshold curve: "0-0.25 not supported; 0.3-1 supported".
std::string curve_runs(const std::vector<double>& values, const std::vector<double>& codes) {
  std::string s;
  for (std::size_t i = 0; i < values.size();) {
    std::size_t j = i;
    while (j + 1 < values.size() && codes[j + 1] == codes[i]) ++j;
    char buf[96];
    if (i == j)
      std::snprintf(buf, sizeof buf, "%g %s", values[i], verdict_name(static_cast<int>(codes[i])));
    else
      std::snprintf(buf, sizeof buf, "%g-%g %s", values[i], values[j],
                    verdict_name(static_cast<int>(codes[i])));
    s += (s.empty() ? "" : "; ") + std::string(buf);
    i = j + 1;
  }
  return s;
}

/// The sweeps (one claim evaluated at every level of a factor) and the threshold curves
/// of a report, as text or Markdown.
void print_sweeps_and_curves(const ResultReader& f, std::ostream& out, bool md,
                             const std::vector<std::string>& id,
                             const std::vector<std::string>& verdict,
                             const std::vector<double>& est, const std::vector<double>& lo,
                             const std::vector<double>& hi,
                             const std::vector<double>& robustness_share) {
  if (f.exists("claims/sweep_of")) {
    const auto of = f.strings("claims/sweep_of"), level = f.strings("claims/sweep_level");
    std::vector<std::string> groups;
    for (const auto& g : of)
      if (!g.empty() && std::find(groups.begin(), groups.end(), g) == groups.end())
        groups.push_back(g);
    if (!groups.empty())
      out << (md ? "\n### Sweeps: each claim at every level of a factor\n\n"
                 : "\nSweeps (each claim at every level of a factor):\n");
    for (const auto& g : groups) {
      std::string factor, first_supported, levels_row, verdict_row, estimate_row;
      std::size_t supported = 0, total = 0;
      for (std::size_t i = 0; i < id.size(); ++i) {
        if (of[i] != g) continue;
        if (factor.empty())
          factor = id[i].substr(g.size() + 1, id[i].find('=', g.size()) - g.size() - 1);
        ++total;
        if (verdict[i] == "supported") {
          ++supported;
          if (first_supported.empty()) first_supported = level[i];
        }
        levels_row += " " + level[i] + " |";
        verdict_row += " " + verdict[i] + " |";
        estimate_row += " " + interval_text(est[i], lo[i], hi[i]) + " |";
      }
      const std::string smallest =
          first_supported.empty()
              ? "holds at no level"
              : "smallest level at which it holds: " + factor + " = " + first_supported;
      if (md) {
        out << "**" << g << "** over `" << factor << "`: supported at " << supported << " of "
            << total << " levels; " << smallest << ".\n\n| " << factor << " |" << levels_row
            << "\n|---|";
        for (std::size_t k = 0; k < total; ++k) out << "---|";
        out << "\n| verdict |" << verdict_row << "\n| estimate |" << estimate_row << "\n\n";
      } else {
        out << "  " << g << " over " << factor << ": supported at " << supported << " of " << total
            << " levels; " << smallest << "\n";
        for (std::size_t i = 0; i < id.size(); ++i)
          if (of[i] == g)
            out << "    " << factor << " = " << level[i] << ": " << verdict[i] << "  "
                << interval_text(est[i], lo[i], hi[i]) << "\n";
      }
    }
  }
  const auto thresholds = f.group_strings_attribute("claims/robustness", "thresholds");
  bool header = false;
  for (const auto& t : thresholds) {
    const std::string base = "claims/threshold_curves/" + t;
    if (!f.exists(base + "/value")) continue;
    const auto values = f.column(base + "/value");
    if (!header) {
      out << (md ? "\n### Threshold curves: where does a verdict change?\n\nEach threshold of the "
                   "derived "
                   "classification over its whole range (the others at their configured values); "
                   "claims on "
                   "columns that no threshold changes are left out.\n\n"
                 : "\nThreshold curves (each threshold over its whole range, the others as "
                   "configured):\n");
      header = true;
    }
    for (std::size_t i = 0; i < id.size(); ++i) {
      // Claims on columns that no threshold changes (robustness share NaN) are left out.
      if (std::isnan(robustness_share[i]) || !f.exists(base + "/verdict_" + id[i])) continue;
      const auto codes = f.column(base + "/verdict_" + id[i]);
      bool constant = true;
      for (double c : codes) constant = constant && c == codes.front();
      const std::string runs = curve_runs(values, codes);
      if (md)
        out << "- `" << id[i] << "`, `" << t
            << "`: " << (constant ? "never changes (" + runs + ")" : runs) << "\n";
      else
        out << "  " << id[i] << ", " << t << ": "
            << (constant ? "never changes (" + runs + ")" : runs) << "\n";
    }
  }
}

/// The claims stored in a result file, as the report prints them.
struct StoredClaims {
  std::string experiment, engine, git, file;
  std::uint64_t seed = 0, organizations = 0;
  double confidence = 0.95;
  std::vector<std::string> id, statement, description, method, verdict, reason, thresholds;
  std::vector<double> est, lo, hi, pc, po, pc_holm, po_holm, rob, na, nb;
};

StoredClaims read_claims(const ResultReader& f, const std::string& file) {
  StoredClaims c;
  c.file = file;
  c.experiment = f.attribute("experiment_name");
  c.engine = f.attribute("engine_version");
  c.git = f.attribute("git_sha1");
  c.seed = f.attribute_u64("seed");
  c.organizations = f.attribute_u64("organizations");
  if (!f.exists("claims")) return c;
  c.id = f.strings("claims/id");
  c.statement = f.strings("claims/statement");
  c.description = f.strings("claims/description");
  c.method = f.strings("claims/method");
  c.verdict = f.strings("claims/verdict");
  // Files of format 1.0 have no reasons.
  c.reason = f.exists("claims/reason") ? f.strings("claims/reason")
                                       : std::vector<std::string>(c.id.size());
  c.est = f.column("claims/estimate");
  c.lo = f.column("claims/ci_low");
  c.hi = f.column("claims/ci_high");
  c.pc = f.column("claims/p_claim");
  c.po = f.column("claims/p_opposite");
  c.pc_holm = f.column("claims/p_claim_holm");
  c.po_holm = f.column("claims/p_opposite_holm");
  c.rob = f.column("claims/robustness_share");
  c.na = f.column("claims/n_a");
  c.nb = f.column("claims/n_b");
  c.thresholds = f.group_strings_attribute("claims/robustness", "thresholds");
  c.confidence = f.column_attribute_double("claims", "confidence");
  return c;
}

void print_claims(const StoredClaims& c, std::ostream& out, ReportFormat format,
                  const std::string& family) {
  char conf[16];
  std::snprintf(conf, sizeof conf, "%g", 100 * c.confidence);
  auto robustness = [&](std::size_t i) -> std::string {
    if (std::isnan(c.rob[i])) return "n/a (does not depend on thresholds)";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.0f%% of threshold settings", 100 * c.rob[i]);
    return buf;
  };
  if (format == ReportFormat::Markdown) {
    out << "## Claims of experiment `" << c.experiment << "`\n\n";
    out << "Engine " << c.engine << " (" << c.git << "), seed " << c.seed << ", " << c.organizations
        << " organizations. "
        << "Intervals are two-sided " << conf
        << "%; verdicts use Holm-adjusted one-sided p-values (family: " << family
        << "). Robustness: share of threshold settings ("
        << (c.thresholds.empty()
                ? std::string("none used")
                : join(c.thresholds, ", ") + ", each shifted by the configured offsets")
        << ") under which the verdict is the same.\n\n";
    out << "| claim | statement | test | estimate [" << conf
        << "% CI] | p (claim, Holm) | p (opposite, Holm) | verdict | robustness |\n";
    out << "|---|---|---|---|---|---|---|---|\n";
    auto cell = [](std::string text) {  // a Markdown table cell: escape the column separator
      for (std::size_t p = 0; (p = text.find('|', p)) != std::string::npos; p += 2)
        text.replace(p, 1, "\\|");
      return text;
    };
    for (std::size_t i = 0; i < c.id.size(); ++i)
      out << "| " << c.id[i] << " | " << cell(c.statement[i]) << " | `" << cell(c.description[i])
          << "` | " << interval_text(c.est[i], c.lo[i], c.hi[i]) << " | " << pvalue(c.pc_holm[i])
          << " | " << pvalue(c.po_holm[i]) << " | **" << c.verdict[i] << "**"
          << (c.reason[i].empty() ? "" : " (" + cell(c.reason[i]) + ")") << " | " << robustness(i)
          << " |\n";
    out << "\nMethods: ";
    for (std::size_t i = 0; i < c.id.size(); ++i)
      out << (i ? "; " : "") << c.id[i] << ": " << c.method[i];
    out << ".\n";
    return;
  }
  out << "Claims of experiment " << c.experiment << " (" << c.organizations
      << " organizations, seed " << c.seed << ")\n  family: " << family << "\n";
  for (std::size_t i = 0; i < c.id.size(); ++i) {
    out << "\n"
        << c.id[i] << ": " << c.statement[i] << "\n"
        << "  test:       " << c.description[i] << "\n"
        << "  method:     " << c.method[i] << " (n = " << static_cast<std::uint64_t>(c.na[i])
        << (c.nb[i] > 0 ? ", " + std::to_string(static_cast<std::uint64_t>(c.nb[i]))
                        : std::string())
        << ")\n"
        << "  estimate:   " << interval_text(c.est[i], c.lo[i], c.hi[i]) << "  (" << conf
        << "% CI)\n"
        << "  p (Holm):   claim " << pvalue(c.pc_holm[i]) << ", opposite " << pvalue(c.po_holm[i])
        << "\n"
        << "  verdict:    " << c.verdict[i] << (c.reason[i].empty() ? "" : ": " + c.reason[i])
        << "\n"
        << "  robustness: " << robustness(i) << "\n";
  }
}

}  // namespace

void print_report(const ResultReader& f, std::ostream& out, ReportFormat format) {
  print_sensitivity(f, out, format);
  if (!f.exists("claims")) {
    out << "This result file has no claims (the experiment states none).\n";
    return;
  }
  const auto c = read_claims(f, "");
  print_claims(c, out, format,
               "the " + std::to_string(c.id.size()) + " claims of experiment " + c.experiment +
                   ", two one-sided tests each");
  print_sweeps_and_curves(f, out, format == ReportFormat::Markdown, c.id, c.verdict, c.est, c.lo,
                          c.hi, c.rob);
  print_scenarios(f, out, format);
}

void print_study(const std::vector<std::filesystem::path>& files, std::ostream& out,
                 ReportFormat format, const DecideVerdicts& decide) {
  // One family: every claim of every file, Holm over the two one-sided tests of each.
  std::vector<StoredClaims> all;
  std::vector<claims::ClaimResult> results;
  std::string names;
  for (const auto& path : files) {
    const ResultReader f(path);
    all.push_back(read_claims(f, path.string()));
    const auto& c = all.back();
    if (!all.empty() && !c.id.empty() && c.confidence != all.front().confidence &&
        !all.front().id.empty())
      throw InputError("tribe report: " + path.string() + " has report confidence " +
                       std::to_string(c.confidence) + " but " + files.front().string() + " has " +
                       std::to_string(all.front().confidence) + "; a study needs one confidence");
    names += (names.empty() ? "" : ", ") + c.experiment + " (" + path.filename().string() + ")";
    for (std::size_t i = 0; i < c.id.size(); ++i) {
      claims::ClaimResult r;
      r.p_claim = c.pc[i];
      r.p_opposite = c.po[i];
      r.reason = c.reason[i];
      results.push_back(r);
    }
  }
  double confidence = 0.95;
  for (const auto& c : all)
    if (!c.id.empty()) confidence = c.confidence;
  decide(results, confidence);
  const std::string family = "study of " + std::to_string(files.size()) + " files, " +
                             std::to_string(results.size()) + " claims: " + names;
  if (format == ReportFormat::Markdown)
    out << "# Study: " << files.size() << " result files, " << results.size() << " claims\n\n"
        << "Verdicts are decided together: Holm over the two one-sided tests of every claim of "
           "every file "
           "(one family: "
        << family << "). A verdict may therefore differ from the file's own report.\n\n";
  else
    out << "Study: " << files.size() << " result files, " << results.size()
        << " claims, one family for multiple "
        << "comparisons (Holm over the two one-sided tests of every claim of every file): " << names
        << "\n\n";
  std::size_t k = 0;
  for (std::size_t fi = 0; fi < all.size(); ++fi) {
    auto c = all[fi];
    if (c.id.empty()) {
      out << (format == ReportFormat::Markdown ? "## " : "") << c.file << ": no claims\n\n";
      continue;
    }
    for (std::size_t i = 0; i < c.id.size(); ++i, ++k) {
      c.pc_holm[i] = results[k].p_claim_holm;
      c.po_holm[i] = results[k].p_opposite_holm;
      c.verdict[i] = std::string(claims::to_string(results[k].verdict));
    }
    print_claims(c, out, format, family);
    // Sweeps with the study's verdicts; threshold curves as stored (the file's own family).
    const ResultReader f(files[fi]);
    print_sweeps_and_curves(f, out, format == ReportFormat::Markdown, c.id, c.verdict, c.est, c.lo,
                            c.hi, c.rob);
    out << "\n";
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

void print_sensitivity(const ResultReader& f, std::ostream& out, ReportFormat format) {
  if (!f.exists("sensitivity")) return;
  char conf[16];
  std::snprintf(conf, sizeof conf, "%g",
                100 * f.column_attribute_double("sensitivity", "confidence"));
  const bool md = format == ReportFormat::Markdown;
  out << (md ? "## Global sensitivity (Sobol indices)\n\n" : "Global sensitivity (Sobol indices)\n")
      << (md ? "" : "  ") << "Sobol design, " << f.column("cells/organizations").size()
      << " cells; first order (Saltelli 2010), "
      << "total order (Jansen 1999) of each column's cell means, " << conf
      << "% percentile bootstrap intervals over base points. The dummy changes nothing but the "
         "random numbers: "
         "an index not above the dummy's cannot be told from organization noise.\n";
  for (const auto& column : f.list("sensitivity")) {
    const std::string g = "sensitivity/" + column + "/";
    const auto names = f.strings(g + "parameter");
    const auto s1 = f.column(g + "S1"), s1l = f.column(g + "S1_low"), s1h = f.column(g + "S1_high");
    const auto st = f.column(g + "ST"), stl = f.column(g + "ST_low"), sth = f.column(g + "ST_high");
    if (md) {
      out << "\n### `" << column << "`\n\n| parameter | first order [" << conf
          << "% CI] | total order [" << conf << "% CI] |\n|---|---|---|\n";
      for (std::size_t i = 0; i < names.size(); ++i)
        out << "| " << names[i] << " | " << interval_text(s1[i], s1l[i], s1h[i]) << " | "
            << interval_text(st[i], stl[i], sth[i]) << " |\n";
    } else {
      out << "\n  " << column << "\n";
      char buf[160];
      for (std::size_t i = 0; i < names.size(); ++i) {
        std::snprintf(buf, sizeof buf, "    %-28s S1 %-28s ST %s\n", names[i].c_str(),
                      interval_text(s1[i], s1l[i], s1h[i]).c_str(),
                      interval_text(st[i], stl[i], sth[i]).c_str());
        out << buf;
      }
    }
  }
  out << "\n";
}

}  // namespace tribe::io

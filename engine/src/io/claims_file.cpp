#include "tribe/io/claims_file.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "tribe/core/error.hpp"

namespace tribe::io {

FileCellData::FileCellData(hid_t file, const std::vector<design::Segment>& segments, std::string context,
                           std::span<const model::ColumnSpec> columns)
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
  if (const auto k = model::find_column(columns_, column); k != model::npos && !columns_[k].series.empty()) {
    for (const auto& st : stored_columns(columns_))
      if (st.series() && k >= st.first && k < st.first + st.count) {
        dataset = st.name;
        at_time = k - st.first;
        series = true;
      }
  }
  h5::Handle ds = h5::checked(H5Dopen2(file_, ("organizations/" + dataset).c_str(), H5P_DEFAULT), H5Dclose,
                              ctx_, "missing dataset /organizations/" + dataset);
  std::vector<double> v;
  if (cell >= pieces_.size()) return v;
  h5::Handle space = h5::checked(H5Dget_space(ds.get()), H5Sclose, ctx_, "cannot get dataspace");
  hsize_t dims[2] = {0, 0};
  if (H5Sget_simple_extent_ndims(space.get()) != (series ? 2 : 1))
    throw EnvironmentError(ctx_ + ": /organizations/" + dataset + " has another shape than its model declares");
  H5Sget_simple_extent_dims(space.get(), dims, nullptr);
  const std::uint64_t rows = dims[0];
  for (const auto& p : pieces_[cell]) {
    const hsize_t start = p.row, count = p.count;
    if (rows < start + count)
      throw EnvironmentError(ctx_ + ": /organizations/" + column + " is shorter than its segments (truncated file?)");
    const std::size_t at = v.size();
    v.resize(at + count);
    h5::Handle fspace = h5::checked(H5Dget_space(ds.get()), H5Sclose, ctx_, "cannot get dataspace");
    const hsize_t start2[2] = {start, at_time}, count2[2] = {count, 1};
    h5::check(series ? H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, start2, nullptr, count2, nullptr)
                     : H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr),
              ctx_, "cannot select rows");
    h5::Handle mspace = h5::checked(H5Screate_simple(1, &count, nullptr), H5Sclose, ctx_, "cannot create dataspace");
    h5::check(H5Dread(ds.get(), H5T_NATIVE_DOUBLE, mspace.get(), fspace.get(), H5P_DEFAULT, v.data() + at), ctx_,
              "cannot read /organizations/" + column + " (corrupt file?)");
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

std::string describe(const std::string& test, const std::string& column, bool binary, const std::string& a,
                     const std::string& b, double value, bool paired, const std::string& fa,
                     const std::string& fb) {
  char v[32];
  std::snprintf(v, sizeof v, "%g", value);
  const std::string stat = binary ? "rate" : "mean";
  const std::string s = stat + "(" + column + " | " + a + ")";
  if (test == "above") return s + " > " + v;
  if (test == "below") return s + " < " + v;
  const std::string d = s + " - " + stat + "(" + column + " | " + b + ")" + (paired ? " [paired]" : "");
  if (test == "difference_above") return d + " > " + v;
  if (test == "difference_below") return d + " < " + v;
  if (test == "equivalent") return "|" + d + "| < " + v;
  const std::string share = "eta2(" + column + ": " + fa + ")" + (fb.empty() ? "" : " - eta2(" + column + ": " + fb + ")");
  if (test == "variance_share_above") return share + " > " + v;
  return share + " < " + v;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

}  // namespace

void write_report(hid_t file, const design::RunPlan& plan, const claims::Report& report, const std::string& ctx) {
  const auto& x = plan.experiment();
  const std::size_t n = x.claims.size();
  h5::Handle g = h5::create_group(file, "claims", ctx);
  h5::write_attribute(g.get(), "confidence", report.confidence, ctx);
  h5::write_attribute(g.get(), "multiple_comparisons",
                      "Holm (1979) over two one-sided tests per claim (the claim and its opposite); "
                      "supported if the claim's adjusted p < 1 - confidence, not supported if the opposite's is, "
                      "else inconclusive",
                      ctx);
  std::vector<std::string> id, statement, test, column, a, b, fa, fb, method, verdict, description;
  std::vector<std::string> sweep_of, sweep_level;
  std::vector<double> value, est, lo, hi, pc, po, pch, poh, rob;
  std::vector<std::uint64_t> na, nb, paired;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& c = x.claims[i];
    const auto& r = report.results[i];
    id.push_back(c.id);
    statement.push_back(c.statement);
    test.push_back(std::string(claims::to_string(c.test)));
    column.push_back(c.column);
    a.push_back(c.is_variance_share() ? "" : c.a.text);
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
      description.push_back("interaction(" + join(names, " x ") + ") of mean(" + c.column + " | " + a.back() +
                            ") [paired] " + (c.is_greater() ? "> " : "< ") + v);
    } else if (c.is_correlation()) {
      char v[32];
      std::snprintf(v, sizeof v, "%g", c.value);
      b.back() = c.with;
      description.push_back("spearman(" + c.column + ", " + c.with + " | " + a.back() + ", within cells) " +
                            (c.is_greater() ? "> " : "< ") + v);
    } else {
      description.push_back(
          describe(test.back(), c.column, binary, a.back(), b.back(), c.value, c.paired, fa.back(), fb.back()));
    }
    sweep_of.push_back(c.sweep_of);
    sweep_level.push_back(c.sweep_level);
    method.push_back(r.method);
    verdict.push_back(std::string(claims::to_string(r.verdict)));
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
  for (auto& [name, v] : std::initializer_list<std::pair<const char*, const std::vector<std::string>*>>{
           {"id", &id}, {"statement", &statement}, {"test", &test}, {"column", &column}, {"a", &a}, {"b", &b},
           {"factors_a", &fa}, {"factors_b", &fb}, {"description", &description}, {"method", &method},
           {"verdict", &verdict}, {"sweep_of", &sweep_of}, {"sweep_level", &sweep_level}})
    h5::write_strings(g.get(), name, *v, ctx);
  for (auto& [name, v] : std::initializer_list<std::pair<const char*, const std::vector<double>*>>{
           {"value", &value}, {"estimate", &est}, {"ci_low", &lo}, {"ci_high", &hi}, {"p_claim", &pc},
           {"p_opposite", &po}, {"p_claim_holm", &pch}, {"p_opposite_holm", &poh}, {"robustness_share", &rob}})
    h5::write_dataset(g.get(), name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v->data(), n, ctx);
  for (auto& [name, v] : std::initializer_list<std::pair<const char*, const std::vector<std::uint64_t>*>>{
           {"n_a", &na}, {"n_b", &nb}, {"paired", &paired}})
    h5::write_dataset(g.get(), name, H5T_STD_U64LE, H5T_NATIVE_UINT64, v->data(), n, ctx);

  // Robustness grid: one row per combination of threshold offsets.
  const auto& rb = report.robustness;
  h5::Handle rg = h5::create_group(g.get(), "robustness", ctx);
  h5::write_attribute(rg.get(), "thresholds", rb.thresholds, ctx);
  h5::write_attribute(rg.get(), "description",
                      "every combination of report.robustness_offsets added to the threshold parameters; "
                      "verdict codes: 0 supported, 1 not supported, 2 inconclusive",
                      ctx);
  const std::size_t combos = rb.offsets.size();
  for (std::size_t t = 0; t < rb.thresholds.size(); ++t) {
    std::vector<double> off;
    for (const auto& o : rb.offsets) off.push_back(o[t]);
    h5::write_dataset(rg.get(), "offset_" + rb.thresholds[t], H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, off.data(), combos, ctx);
  }
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::uint8_t> v;
    for (const auto& row : rb.verdicts) v.push_back(static_cast<std::uint8_t>(row[i]));
    h5::write_dataset(rg.get(), "verdict_" + x.claims[i].id, H5T_STD_U8LE, H5T_NATIVE_UINT8, v.data(), combos, ctx);
  }

  if (!report.curves.empty()) {
    h5::Handle cg = h5::create_group(g.get(), "threshold_curves", ctx);
    h5::write_attribute(cg.get(), "description",
                        "each threshold of a derived column set to every value of an even grid over its whole "
                        "range (the other thresholds at the cells' values), every claim re-evaluated; verdict "
                        "codes: 0 supported, 1 not supported, 2 inconclusive",
                        ctx);
    for (const auto& curve : report.curves) {
      h5::Handle tg = h5::create_group(cg.get(), curve.threshold, ctx);
      const std::size_t points = curve.values.size();
      h5::write_dataset(tg.get(), "value", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, curve.values.data(), points, ctx);
      for (std::size_t i = 0; i < n; ++i) {
        std::vector<std::uint8_t> v;
        std::vector<double> e;
        for (std::size_t k = 0; k < points; ++k) {
          v.push_back(static_cast<std::uint8_t>(curve.verdicts[k][i]));
          e.push_back(curve.estimates[k][i]);
        }
        h5::write_dataset(tg.get(), "verdict_" + x.claims[i].id, H5T_STD_U8LE, H5T_NATIVE_UINT8, v.data(), points,
                          ctx);
        h5::write_dataset(tg.get(), "estimate_" + x.claims[i].id, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, e.data(),
                          points, ctx);
      }
    }
  }

  if (!report.variance.empty()) {
    h5::Handle vg = h5::create_group(file, "variance", ctx);
    h5::write_attribute(vg.get(), "description",
                        "main-effect eta squared (= first-order Sobol index on a balanced design) of each "
                        "factor and sampled range (by strata), per outcome column",
                        ctx);
    for (const auto& v : report.variance) {
      h5::Handle cg = h5::create_group(vg.get(), v.column, ctx);
      h5::write_strings(cg.get(), "factor", v.names, ctx);
      h5::write_dataset(cg.get(), "eta_squared", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v.eta_squared.data(),
                        v.eta_squared.size(), ctx);
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
      std::snprintf(buf, sizeof buf, "%g-%g %s", values[i], values[j], verdict_name(static_cast<int>(codes[i])));
    s += (s.empty() ? "" : "; ") + std::string(buf);
    i = j + 1;
  }
  return s;
}

/// The sweeps (one claim evaluated at every level of a factor) and the threshold curves
/// of a report, as text or Markdown.
void print_sweeps_and_curves(const ResultReader& f, std::ostream& out, bool md, const std::vector<std::string>& id,
                             const std::vector<std::string>& verdict, const std::vector<double>& est,
                             const std::vector<double>& lo, const std::vector<double>& hi,
                             const std::vector<double>& robustness_share) {
  if (f.exists("claims/sweep_of")) {
    const auto of = f.strings("claims/sweep_of"), level = f.strings("claims/sweep_level");
    std::vector<std::string> groups;
    for (const auto& g : of)
      if (!g.empty() && std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(g);
    if (!groups.empty())
      out << (md ? "\n### Sweeps: each claim at every level of a factor\n\n"
                 : "\nSweeps (each claim at every level of a factor):\n");
    for (const auto& g : groups) {
      std::string factor, first_supported, levels_row, verdict_row, estimate_row;
      std::size_t supported = 0, total = 0;
      for (std::size_t i = 0; i < id.size(); ++i) {
        if (of[i] != g) continue;
        if (factor.empty()) factor = id[i].substr(g.size() + 1, id[i].find('=', g.size()) - g.size() - 1);
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
          first_supported.empty() ? "holds at no level" : "smallest level at which it holds: " + factor + " = " + first_supported;
      if (md) {
        out << "**" << g << "** over `" << factor << "`: supported at " << supported << " of " << total << " levels; "
            << smallest << ".\n\n| " << factor << " |" << levels_row << "\n|---|";
        for (std::size_t k = 0; k < total; ++k) out << "---|";
        out << "\n| verdict |" << verdict_row << "\n| estimate |" << estimate_row << "\n\n";
      } else {
        out << "  " << g << " over " << factor << ": supported at " << supported << " of " << total << " levels; "
            << smallest << "\n";
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
      out << (md ? "\n### Threshold curves: where does a verdict change?\n\nEach threshold of the derived "
                   "classification over its whole range (the others at their configured values); claims on "
                   "columns that no threshold changes are left out.\n\n"
                 : "\nThreshold curves (each threshold over its whole range, the others as configured):\n");
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
        out << "- `" << id[i] << "`, `" << t << "`: " << (constant ? "never changes (" + runs + ")" : runs) << "\n";
      else
        out << "  " << id[i] << ", " << t << ": " << (constant ? "never changes (" + runs + ")" : runs) << "\n";
    }
  }
}

}  // namespace

void print_report(const ResultReader& f, std::ostream& out, ReportFormat format) {
  if (!f.exists("claims")) {
    out << "This result file has no claims (the experiment states none).\n";
    return;
  }
  const auto id = f.strings("claims/id");
  const auto statement = f.strings("claims/statement");
  const auto description = f.strings("claims/description");
  const auto method = f.strings("claims/method");
  const auto verdict = f.strings("claims/verdict");
  const auto est = f.column("claims/estimate"), lo = f.column("claims/ci_low"), hi = f.column("claims/ci_high");
  const auto pc = f.column("claims/p_claim_holm"), po = f.column("claims/p_opposite_holm");
  const auto rob = f.column("claims/robustness_share");
  const auto na = f.column("claims/n_a"), nb = f.column("claims/n_b");
  const auto thresholds = f.group_strings_attribute("claims/robustness", "thresholds");
  const std::string name = f.attribute("experiment_name");
  char conf[16];
  std::snprintf(conf, sizeof conf, "%g", 100 * f.column_attribute_double("claims", "confidence"));
  auto robustness = [&](std::size_t i) -> std::string {
    if (std::isnan(rob[i])) return "n/a (does not depend on thresholds)";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.0f%% of threshold settings", 100 * rob[i]);
    return buf;
  };
  if (format == ReportFormat::Markdown) {
    out << "## Claims of experiment `" << name << "`\n\n";
    out << "Engine " << f.attribute("engine_version") << " (" << f.attribute("git_sha1") << "), seed "
        << f.attribute_u64("seed") << ", " << f.attribute_u64("organizations") << " organizations. "
        << "Intervals are two-sided " << conf << "%; verdicts use Holm-adjusted one-sided p-values over all claims. "
        << "Robustness: share of threshold settings ("
        << (thresholds.empty() ? std::string("none used") : join(thresholds, ", ") + ", each shifted by the configured offsets")
        << ") under which the verdict is the same.\n\n";
    out << "| claim | statement | test | estimate [" << conf << "% CI] | p (claim, Holm) | p (opposite, Holm) | verdict | robustness |\n";
    out << "|---|---|---|---|---|---|---|---|\n";
    auto cell = [](std::string text) {  // a Markdown table cell: escape the column separator
      for (std::size_t p = 0; (p = text.find('|', p)) != std::string::npos; p += 2) text.replace(p, 1, "\\|");
      return text;
    };
    for (std::size_t i = 0; i < id.size(); ++i)
      out << "| " << id[i] << " | " << cell(statement[i]) << " | `" << cell(description[i]) << "` | "
          << interval_text(est[i], lo[i], hi[i]) << " | " << pvalue(pc[i]) << " | " << pvalue(po[i]) << " | **"
          << verdict[i] << "** | " << robustness(i) << " |\n";
    out << "\nMethods: ";
    for (std::size_t i = 0; i < id.size(); ++i) out << (i ? "; " : "") << id[i] << ": " << method[i];
    out << ".\n";
    print_sweeps_and_curves(f, out, true, id, verdict, est, lo, hi, rob);
    return;
  }
  out << "Claims of experiment " << name << " (" << f.attribute_u64("organizations") << " organizations, seed "
      << f.attribute_u64("seed") << ")\n";
  for (std::size_t i = 0; i < id.size(); ++i) {
    out << "\n" << id[i] << ": " << statement[i] << "\n"
        << "  test:       " << description[i] << "\n"
        << "  method:     " << method[i] << " (n = " << static_cast<std::uint64_t>(na[i])
        << (nb[i] > 0 ? ", " + std::to_string(static_cast<std::uint64_t>(nb[i])) : std::string()) << ")\n"
        << "  estimate:   " << interval_text(est[i], lo[i], hi[i]) << "  (" << conf << "% CI)\n"
        << "  p (Holm):   claim " << pvalue(pc[i]) << ", opposite " << pvalue(po[i]) << "\n"
        << "  verdict:    " << verdict[i] << "\n"
        << "  robustness: " << robustness(i) << "\n";
  }
  print_sweeps_and_curves(f, out, false, id, verdict, est, lo, hi, rob);
}

}  // namespace tribe::io

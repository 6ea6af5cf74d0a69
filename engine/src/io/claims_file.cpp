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
    description.push_back(
        describe(test.back(), c.column, binary, a.back(), b.back(), c.value, c.paired, fa.back(), fb.back()));
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
           {"verdict", &verdict}})
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
}

}  // namespace tribe::io

#include "tribe/report/format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>

#include "tribe/core/error.hpp"
#include "tribe/core/text.hpp"

namespace tribe::report {

using io::StoredClaims;
using io::StoredReport;

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

/// A stored verdict code: 0 supported, 1 not supported, 2 inconclusive.
std::string verdict_name(double code) {
  return std::string(claims::to_string(code == 0   ? claims::Verdict::Supported
                                       : code == 1 ? claims::Verdict::NotSupported
                                                   : claims::Verdict::Inconclusive));
}

/// Runs of equal verdicts along a threshold curve: "0-0.25 not supported; 0.3-1 supported".
std::string curve_runs(const std::vector<double>& values, const std::vector<double>& codes) {
  std::string s;
  for (std::size_t i = 0; i < values.size();) {
    std::size_t j = i;
    while (j + 1 < values.size() && codes[j + 1] == codes[i]) ++j;
    char buf[96];
    if (i == j)
      std::snprintf(buf, sizeof buf, "%g %s", values[i], verdict_name(codes[i]).c_str());
    else
      std::snprintf(buf, sizeof buf, "%g-%g %s", values[i], values[j],
                    verdict_name(codes[i]).c_str());
    s += (s.empty() ? "" : "; ") + std::string(buf);
    i = j + 1;
  }
  return s;
}

/// The sweeps (one claim evaluated at every level of a factor) and the threshold curves
/// of a report, as text or Markdown.
void print_sweeps_and_curves(const StoredClaims& c, const std::vector<io::StoredCurve>& curves,
                             std::ostream& out, bool md) {
  const auto &id = c.id, &verdict = c.verdict;
  const auto &est = c.est, &lo = c.lo, &hi = c.hi;
  if (!c.sweep_of.empty()) {
    const auto &of = c.sweep_of, &level = c.sweep_level;
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
        if (verdict[i] == claims::to_string(claims::Verdict::Supported)) {
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
  bool header = false;
  for (const auto& curve : curves) {
    const std::string& t = curve.threshold;
    const auto& values = curve.values;
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
      if (std::isnan(c.rob[i]) || i >= curve.verdicts.size() || !curve.verdicts[i]) continue;
      const auto& codes = *curve.verdicts[i];
      bool constant = true;
      for (double code : codes) constant = constant && code == codes.front();
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

void print_claims(const StoredClaims& c, std::ostream& out, Format format,
                  const std::string& family, const std::string& what = "Claims") {
  char conf[16];
  std::snprintf(conf, sizeof conf, "%g", 100 * c.confidence);
  auto robustness = [&](std::size_t i) -> std::string {
    if (std::isnan(c.rob[i])) return "n/a (does not depend on thresholds)";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.0f%% of threshold settings", 100 * c.rob[i]);
    return buf;
  };
  if (format == Format::Markdown) {
    out << "## " << what << " of experiment `" << c.experiment << "`\n\n";
    out << "Engine " << c.engine << " (" << c.git << "), seed " << c.seed << ", " << c.organizations
        << " organizations. "
        << "Intervals are two-sided " << conf
        << "%; verdicts use Holm-adjusted one-sided p-values (family: " << family
        << "). Robustness: share of threshold settings ("
        << (c.thresholds.empty()
                ? std::string("none used")
                : join(c.thresholds, ", ") + ", each shifted by the configured offsets")
        << ") under which the verdict is the same.\n\n";
    out << (what == "Claims" ? "| claim" : "| pattern") << " | statement | test | estimate ["
        << conf << "% CI] | p (claim, Holm) | p (opposite, Holm) | verdict | robustness |\n";
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
  out << what << " of experiment " << c.experiment << " (" << c.organizations
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

void print_sensitivity(const io::StoredSensitivity& s, std::ostream& out, Format format) {
  char conf[16];
  std::snprintf(conf, sizeof conf, "%g", 100 * s.confidence);
  const bool md = format == Format::Markdown;
  out << (md ? "## Global sensitivity (Sobol indices)\n\n" : "Global sensitivity (Sobol indices)\n")
      << (md ? "" : "  ") << "Sobol design, " << s.cells << " cells; first order (Saltelli 2010), "
      << "total order (Jansen 1999) of each column's cell means, " << conf
      << "% percentile bootstrap intervals over base points. The dummy changes nothing but the "
         "random numbers: "
         "an index not above the dummy's cannot be told from organization noise.\n";
  for (const auto& c : s.columns) {
    const auto& names = c.parameter;
    if (md) {
      out << "\n### `" << c.name << "`\n\n| parameter | first order [" << conf
          << "% CI] | total order [" << conf << "% CI] |\n|---|---|---|\n";
      for (std::size_t i = 0; i < names.size(); ++i)
        out << "| " << names[i] << " | " << interval_text(c.s1[i], c.s1_low[i], c.s1_high[i])
            << " | " << interval_text(c.st[i], c.st_low[i], c.st_high[i]) << " |\n";
    } else {
      out << "\n  " << c.name << "\n";
      char buf[160];
      for (std::size_t i = 0; i < names.size(); ++i) {
        std::snprintf(buf, sizeof buf, "    %-28s S1 %-28s ST %s\n", names[i].c_str(),
                      interval_text(c.s1[i], c.s1_low[i], c.s1_high[i]).c_str(),
                      interval_text(c.st[i], c.st_low[i], c.st_high[i]).c_str());
        out << buf;
      }
    }
  }
  out << "\n";
}

void print_scenarios(const std::vector<io::StoredScenario>& scenarios, std::ostream& out,
                     Format format) {
  const bool md = format == Format::Markdown;
  out << (md ? "\n## Where each claim holds (assumption space)\n\n"
             : "\nWhere each claim holds (assumption space)\n")
      << (md ? "" : "  ")
      << "Each claim evaluated at every sampled point on its own (no correction across points); "
      << "scenario: the PRIM box (Friedman & Fisher 1999) where it is supported.\n";
  if (md)
    out << "\n| claim | supported | not supported | inconclusive | scenario | coverage | density "
           "|\n|---|---|---|---|---|---|---|\n";
  for (const auto& s : scenarios) {
    char buf[256];
    if (md) {
      std::snprintf(buf, sizeof buf, "| %s | %.0f%% | %.0f%% | %.0f%% | %s | %.2f | %.2f |\n",
                    s.id.c_str(), 100 * s.share_supported, 100 * s.share_not_supported,
                    100 * s.share_inconclusive, s.scenario.c_str(), s.coverage, s.density);
      out << buf;
    } else {
      std::snprintf(buf, sizeof buf,
                    "\n  %s: supported at %.0f%% of the points, not supported at %.0f%%, "
                    "inconclusive at %.0f%%\n",
                    s.id.c_str(), 100 * s.share_supported, 100 * s.share_not_supported,
                    100 * s.share_inconclusive);
      out << buf;
      std::snprintf(buf, sizeof buf, " (coverage %.2f, density %.2f, mass %.2f)\n", s.coverage,
                    s.density, s.mass);
      out << "    holds where " << s.scenario << buf;
    }
  }
}

/// "0.31" or "-" for NaN, in a report of a calibration.
std::string number_text(double v, const char* fmt = "%.3g") {
  if (std::isnan(v)) return "-";
  char buf[48];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

void print_calibration(const io::StoredCalibration& c, const std::string& experiment,
                       std::ostream& out, Format format) {
  const bool md = format == Format::Markdown;
  const std::string credible = number_text(100 * c.credible, "%g") + "%";
  out << (md ? "\n## Calibration (rejection ABC) of experiment `" + experiment + "`\n\n"
             : "\nCalibration (rejection ABC) of experiment " + experiment + "\n  ")
      << c.points << " prior draws of " << c.parameter.size() << " calibrated assumption"
      << (c.parameter.size() == 1 ? "" : "s") << "; accepted: " << c.rule << ": " << c.accepted
      << " points"
      << (c.accepted ? " (tolerance reached " + number_text(c.tolerance_reached) +
                           " band widths on the worst pattern)"
                     : std::string(" (none: no point comes close enough to every band)"))
      << ".\n";
  if (md) {
    out << "\n| assumption | prior range | accepted median | " << credible
        << " credible interval |\n|---|---|---|---|\n";
    for (std::size_t i = 0; i < c.parameter.size(); ++i)
      out << "| " << c.parameter[i] << " | " << number_text(c.prior_low[i]) << " – "
          << number_text(c.prior_high[i]) << " | " << number_text(c.median[i]) << " | "
          << number_text(c.credible_low[i]) << " – " << number_text(c.credible_high[i]) << " |\n";
    out << "\n| pattern | used by the distance | inside its band: all points | accepted points "
           "|\n|---|---|---|---|\n";
    for (std::size_t j = 0; j < c.pattern.size(); ++j)
      out << "| " << c.pattern[j] << " | " << (c.uses[j] != 0 ? "yes" : "no") << " | "
          << number_text(100 * c.inside_prior[j], "%.0f%%") << " | "
          << number_text(100 * c.inside_accepted[j], "%.0f%%") << " |\n";
  } else {
    char buf[200];
    out << "\n  "
        << "assumption                 prior range        median   " << credible
        << " credible interval\n";
    for (std::size_t i = 0; i < c.parameter.size(); ++i) {
      std::snprintf(
          buf, sizeof buf, "  %-26s %-18s %-8s %s\n", c.parameter[i].c_str(),
          (number_text(c.prior_low[i]) + " - " + number_text(c.prior_high[i])).c_str(),
          number_text(c.median[i]).c_str(),
          (number_text(c.credible_low[i]) + " - " + number_text(c.credible_high[i])).c_str());
      out << buf;
    }
    out << "\n  pattern inside its band at: all points / accepted points\n";
    for (std::size_t j = 0; j < c.pattern.size(); ++j) {
      std::snprintf(buf, sizeof buf, "  %-40s %6s / %-6s%s\n", c.pattern[j].c_str(),
                    number_text(100 * c.inside_prior[j], "%.0f%%").c_str(),
                    number_text(100 * c.inside_accepted[j], "%.0f%%").c_str(),
                    c.uses[j] != 0 ? "" : "  (not used by the distance)");
      out << buf;
    }
  }
  if (c.has_accepted_region) {
    out << "\n";
    const auto& a = c.accepted_region;
    print_claims(a, out, format,
                 "the " + std::to_string(a.id.size()) + " patterns over the organizations of the " +
                     std::to_string(c.accepted) +
                     " accepted points pooled; supported = reproduced (inside the band)",
                 "Patterns in the accepted region");
  }
}

}  // namespace

void print_report(const StoredReport& r, std::ostream& out, Format format) {
  if (r.has_sensitivity) print_sensitivity(r.sensitivity, out, format);
  if (!r.has_claims && !r.has_patterns) {
    out << "This result file has no claims (the experiment states none).\n";
    return;
  }
  if (r.has_claims) {
    const auto& c = r.claims;
    print_claims(c, out, format,
                 "the " + std::to_string(c.id.size()) + " claims of experiment " + c.experiment +
                     ", two one-sided tests each");
    print_sweeps_and_curves(c, r.curves, out, format == Format::Markdown);
    if (r.has_assumption_space) print_scenarios(r.scenarios, out, format);
  }
  // Patterns: empirical regularities the model should reproduce; "supported" means the
  // statistic lies inside the pattern's band.
  if (r.has_patterns) {
    const auto& p = r.patterns;
    if (r.has_claims) out << "\n";
    print_claims(p, out, format,
                 "the " + std::to_string(p.id.size()) + " patterns of experiment " + p.experiment +
                     ", apart from its claims; supported = reproduced (inside the band)",
                 "Patterns");
  }
  if (r.has_calibration) print_calibration(r.calibration, r.claims.experiment, out, format);
}

void print_study(const Study& study, std::ostream& out, Format format) {
  const std::size_t files = study.reports.size();
  const std::string family = "study of " + std::to_string(files) + " files, " +
                             std::to_string(study.claims) + " claims: " + study.names;
  if (format == Format::Markdown)
    out << "# Study: " << files << " result files, " << study.claims << " claims\n\n"
        << "Verdicts are decided together: Holm over the two one-sided tests of every claim of "
           "every file "
           "(one family: "
        << family << "). A verdict may therefore differ from the file's own report.\n\n";
  else
    out << "Study: " << files << " result files, " << study.claims
        << " claims, one family for multiple "
        << "comparisons (Holm over the two one-sided tests of every claim of every file): "
        << study.names << "\n\n";
  for (const auto& report : study.reports) {
    const auto& c = report.claims;
    if (c.id.empty()) {
      out << (format == Format::Markdown ? "## " : "") << c.file << ": no claims\n\n";
      continue;
    }
    print_claims(c, out, format, family);
    // Sweeps with the study's verdicts; threshold curves as stored (the file's own family).
    print_sweeps_and_curves(c, report.curves, out, format == Format::Markdown);
    out << "\n";
  }
}

}  // namespace tribe::report

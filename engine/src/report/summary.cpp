#include "tribe/report/summary.hpp"

#include <cmath>
#include <cstdio>

#include "tribe/core/error.hpp"
#include "tribe/core/text.hpp"

namespace tribe::report {
namespace {

std::string num(double v) {
  if (std::isnan(v)) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

}  // namespace

void check_result(const std::string& file, bool allow_incomplete) {
  const io::ResultReader reader(file, allow_incomplete);
}

void print_summary(const std::string& file, std::ostream& out, const SummaryOptions& options) {
  print_summary(io::ResultReader(file, options.allow_incomplete), out, options);
}

void print_summary(const io::ResultReader& f, std::ostream& out, const SummaryOptions& options) {
  const auto version = f.format_version();
  out << "tribe result file (format " << version.at(0) << "." << version.at(1) << ")"
      << (f.complete() ? "" : "  ** INCOMPLETE: the run did not finish **") << "\n";
  for (const char* a :
       {"experiment_name", "experiment_path", "model", "model_version", "engine_version",
        "git_sha1", "created", "hostname", "rng_scheme", "backend", "command_line"}) {
    if (f.has_attribute(a)) out << "  " << a << ": " << f.attribute(a) << "\n";
  }
  for (const char* a : {"seed", "organizations_per_cell", "cells", "organizations", "threads"}) {
    if (f.has_attribute(a)) out << "  " << a << ": " << f.attribute_u64(a) << "\n";
  }
  if (options.show_experiment)
    out << "\n--- experiment file ---\n" << f.attribute("experiment") << "\n---\n";
  if (!f.exists("cells")) {
    out << "\n(no cell table: the run did not finish)\n";
    return;
  }

  const auto labels = f.strings("cells/label");
  const auto orgs = f.column("cells/organizations");
  const auto factors = f.group_strings_attribute("cells", "factors");
  out << "\ndesign: " << labels.size() << " cells";
  if (!factors.empty()) {
    out << " over";
    for (const auto& x : factors) out << " " << x;
  }
  out << "\n";

  std::vector<std::string> columns = options.columns;
  std::vector<std::string> all = f.list("cells/stats");
  if (columns.empty()) {
    for (const auto& c : all) columns.push_back(c);
  } else {
    for (const auto& c : columns) {
      bool found = false;
      for (const auto& a : all) found = found || a == c;
      if (!found)
        throw InputError("--columns: no column named " + c + " (columns: " + join(all, ", ") + ")");
    }
  }

  struct Stat {
    std::string name;
    bool binary;
    std::vector<double> est, lo, hi;
  };
  std::vector<Stat> stats;
  for (const auto& c : columns) {
    const std::string g = "cells/stats/" + c + "/";
    const bool binary = f.exists(g + "rate");
    const std::string est = g + (binary ? "rate" : "mean"),
                      lo = g + (binary ? "rate_low" : "ci_low"),
                      hi = g + (binary ? "rate_high" : "ci_high");
    if (f.rank(est) != 2) {
      stats.push_back({c, binary, f.column(est), f.column(lo), f.column(hi)});
      continue;
    }
    // A series (format 2.x): cells x time; one line per time point, named c[t=T].
    std::size_t times = 0;
    const auto e = f.matrix(est, times), l = f.matrix(lo, times), h = f.matrix(hi, times);
    const auto t = f.column("time/" + c);
    for (std::size_t j = 0; j < times; ++j) {
      Stat s{model::series_point_name(c, j < t.size() ? static_cast<std::uint32_t>(t[j])
                                                      : static_cast<std::uint32_t>(j)),
             binary,
             {},
             {},
             {}};
      for (std::size_t cell = 0; cell < labels.size(); ++cell) {
        s.est.push_back(e[cell * times + j]);
        s.lo.push_back(l[cell * times + j]);
        s.hi.push_back(h[cell * times + j]);
      }
      stats.push_back(std::move(s));
    }
  }
  for (std::size_t cell = 0; cell < labels.size(); ++cell) {
    out << "\ncell " << cell << ": " << labels[cell] << "  ("
        << static_cast<std::uint64_t>(orgs[cell]) << " organizations)\n";
    for (const auto& s : stats) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "  %-28s %-5s %-9s [%s, %s]\n", s.name.c_str(),
                    s.binary ? "rate" : "mean", num(s.est[cell]).c_str(), num(s.lo[cell]).c_str(),
                    num(s.hi[cell]).c_str());
      out << buf;
    }
  }
}

}  // namespace tribe::report

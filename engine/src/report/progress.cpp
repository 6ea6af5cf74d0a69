#include "tribe/report/progress.hpp"

#include <unistd.h>

#include <cmath>

namespace tribe::report {
namespace {

std::string with_commas(std::uint64_t v) {
  std::string s = std::to_string(v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3)
    s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

std::string duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto s = static_cast<long long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
  return buf;
}

std::string rate(double r) {
  char buf[32];
  if (r >= 1e6)
    std::snprintf(buf, sizeof buf, "%.2fM", r / 1e6);
  else if (r >= 1e3)
    std::snprintf(buf, sizeof buf, "%.1fk", r / 1e3);
  else
    std::snprintf(buf, sizeof buf, "%.0f", r);
  return buf;
}

}  // namespace

ProgressReporter::Mode ProgressReporter::detect(bool quiet, std::FILE* out) {
  if (quiet) return Mode::Quiet;
  return isatty(fileno(out)) ? Mode::Live : Mode::Log;
}

ProgressReporter::ProgressReporter(Mode mode, std::FILE* out, double log_interval_seconds)
    : mode_(mode), out_(out), log_interval_(log_interval_seconds) {}

std::string ProgressReporter::format(const Progress& p) {
  const double pct =
      p.total ? 100.0 * static_cast<double>(p.done) / static_cast<double>(p.total) : 100.0;
  const double r = p.elapsed_seconds > 0 ? static_cast<double>(p.done) / p.elapsed_seconds : 0.0;
  const double eta = r > 0 ? static_cast<double>(p.total - p.done) / r : NAN;
  char buf[64];
  std::snprintf(buf, sizeof buf, " (%.1f%%)", pct);
  return with_commas(p.done) + " / " + with_commas(p.total) + " orgs" + buf + "  " + rate(r) +
         " orgs/s  elapsed " + duration(p.elapsed_seconds) + "  ETA " + duration(eta);
}

void ProgressReporter::update(const Progress& p) {
  switch (mode_) {
    case Mode::Quiet:
      return;
    case Mode::Live:
      if (p.elapsed_seconds - last_ < 0.2 && p.done < p.total) return;
      last_ = p.elapsed_seconds;
      std::fprintf(out_, "\r\033[K[tribe] %s", format(p).c_str());
      std::fflush(out_);
      return;
    case Mode::Log:
      if (last_ >= 0 && p.elapsed_seconds - last_ < log_interval_) return;
      last_ = p.elapsed_seconds;
      std::fprintf(out_, "[tribe] progress: %s\n", format(p).c_str());
      std::fflush(out_);
      return;
  }
}

void ProgressReporter::finish(const Progress& p) {
  switch (mode_) {
    case Mode::Quiet:
      return;
    case Mode::Live:
      std::fprintf(out_, "\r\033[K[tribe] %s\n", format(p).c_str());
      break;
    case Mode::Log:
      std::fprintf(out_, "[tribe] done: %s\n", format(p).c_str());
      break;
  }
  std::fflush(out_);
}

}  // namespace tribe::report

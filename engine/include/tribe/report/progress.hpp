#pragma once
// Progress of a long run on stderr: a live line on a terminal, a plain periodic
// log line otherwise (batch jobs, CI logs), nothing when quiet. It is called once
// per window of blocks, so it costs nothing measurable.
#include <cstdio>
#include <string>

#include "tribe/exec/runner.hpp"

namespace tribe::report {
using exec::Progress;

class ProgressReporter {
 public:
  enum class Mode { Quiet, Live, Log };

  /// Live on a terminal, Log otherwise, Quiet when `quiet`.
  static Mode detect(bool quiet, std::FILE* out = stderr);

  ProgressReporter(Mode mode, std::FILE* out = stderr, double log_interval_seconds = 10.0);

  void update(const Progress& p);
  /// Ends the live line (prints the final state).
  void finish(const Progress& p);

  /// "12,345 / 1,000,000 orgs (1.2%)  45.6k orgs/s  elapsed 0:03  ETA 1:02"
  static std::string format(const Progress& p);

 private:
  Mode mode_;
  std::FILE* out_;
  double log_interval_;
  double last_ = -1.0;
};

}  // namespace tribe::report

#pragma once
// A requested stop (SIGINT, SIGTERM, a notebook's interrupt), seen everywhere a run spends
// time: between organizations (exec/runner), inside one long organization (the models'
// time loops), and in every phase after the computing -- assembly, claims, robustness,
// sensitivity, PRIM, calibration, merge (issue 27, item 6).
//
// A front end owns the flag (an atomic its signal handler sets) and hands it to the job
// (exec::RunOptions::stop); the job makes it the process's for the run's duration with a
// StopScope, so that code deep in a phase needs no parameter to see it. Where a phase can
// keep nothing of its work (assembly writes a temporary file, then renames it), a stop
// point throws Stopped: the temporary file is removed as on any error, the parts stay,
// and the same command resumes.
#include <atomic>
#include <stdexcept>
#include <string>

namespace tribe {

/// Thrown at a stop point once a stop was requested. Not an error of the input or of the
/// environment: front ends report it as an interruption (exit 130, tribe.Interrupted).
class Stopped : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// True once the flag of the innermost StopScope is set (false outside any scope).
bool stop_requested() noexcept;

/// Throws Stopped("interrupted while <phase>") if a stop was requested.
void stop_point(const char* phase);

/// Makes `flag` the process's stop flag while it lives (nullptr: none); restores the
/// previous one when it ends. One run at a time per process (the job layer's rule).
class StopScope {
 public:
  explicit StopScope(const std::atomic<bool>* flag) noexcept;
  ~StopScope();
  StopScope(const StopScope&) = delete;
  StopScope& operator=(const StopScope&) = delete;

 private:
  const std::atomic<bool>* previous_;
};

}  // namespace tribe

// Runs an experiment with the engine's job layer (what `tribe run` does, without the
// command line) and reads the result back: a program of one's own on the installed API.
#include <cstdio>
#include <exception>

#include "tribe/core/error.hpp"
#include "tribe/design/experiment.hpp"
#include "tribe/io/result_file.hpp"
#include "tribe/job/job.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: run_and_read EXPERIMENT.toml OUT.h5\n");
    return 2;
  }
  try {
    const tribe::design::Experiment experiment = tribe::design::load_experiment(argv[1]);
    tribe::job::JobOptions options;
    options.output = argv[2];
    options.overwrite = true;
    options.command_line = "run_and_read";
    const tribe::job::JobResult run = tribe::job::run_job(experiment, options);
    if (!run.complete) return 130;
    const tribe::io::ResultReader result(argv[2]);
    std::printf("%s: %llu organizations in %llu cells, model %s\n", argv[2],
                static_cast<unsigned long long>(result.attribute_u64("organizations")),
                static_cast<unsigned long long>(result.attribute_u64("cells")),
                result.attribute("model").c_str());
    return 0;
  } catch (...) {
    return tribe::report_exception("run_and_read");  // 2 bad input, 3 environment, 1 else
  }
}

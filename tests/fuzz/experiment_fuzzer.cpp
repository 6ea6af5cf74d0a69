// libFuzzer target: the experiment-file parser and validator (its claims too). Any input must
// either parse into a valid experiment or be rejected with tribe::InputError; a crash, a sanitizer
// report, a hang or any other exception is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tribe/claims/parse.hpp"
#include "tribe/core/error.hpp"
#include "tribe/design/experiment.hpp"
#include "tribe/design/plan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto x = tribe::design::parse_experiment(text, "fuzz.toml");
    (void)tribe::claims::parse_claims(x);
    // Bind every cell too (cross-parameter validation), when the design is small
    // enough to do it quickly.
    if (x.cell_count() <= 256) {
      const tribe::design::RunPlan plan(x, 1);
      (void)plan;
    }
  } catch (const tribe::InputError&) {
  }
  return 0;
}

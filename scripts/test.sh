#!/usr/bin/env bash
# Sets up everything (Debian packages, release build with tests and benchmarks) and
# runs the whole test suite through ctest; then the checks CI adds:
#   - the suite's fast subset under AddressSanitizer + UndefinedBehaviorSanitizer,
#   - the parallel runners and jobs under ThreadSanitizer,
#   - the experiment-file fuzzer (libFuzzer, clang) for a short while.
# TRIBE_TEST_STAGES selects stages (default "release asan tsan fuzz").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
stages=${TRIBE_TEST_STAGES:-release asan tsan fuzz}
jobs=$(nproc)
bash scripts/setup.sh --deps

for stage in $stages; do
  echo "=== stage: $stage" >&2
  case $stage in
    release)
      cmake --preset release >&2
      cmake --build --preset release -j "$jobs" >&2
      ctest --preset release -j "$jobs"
      ;;
    asan)
      cmake --preset asan >&2
      cmake --build --preset asan -j "$jobs" --target tribe tribe_tests >&2
      # The style checks (include graph, clang-format) read sources, not the build: they
      # run in the release stage. So do the packaging tests (cpp_consumer and model_plugin link code
      # of its own, unsanitized, against the installed library; r_package reads files):
      # they test how the project installs, not its memory.
      ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        ctest --preset asan -j "$jobs" -E 'python_|bench_smoke|JobMpi|fault_injection|cpp_consumer|model_plugin|r_package' \
        -LE style
      ;;
    tsan)
      cmake --preset tsan >&2
      cmake --build --preset tsan -j "$jobs" --target tribe tribe_tests >&2
      # The parallel runner, the job layer and the I/O under the thread sanitizer. Five
      # job tests that check file validation, part repairs and the output lock (merge
      # refusals, foreign parts, the shard writer's memory bound, resume repairs, a second
      # run on one output) run the same threaded code as the others, and cost ~80 s
      # here: they run in the release and ASan stages. The fault-injection suite (label
      # `faults`) runs in the release stage only.
      TSAN_OPTIONS="halt_on_error=1 suppressions=$PWD/tests/sanitizers/tsan.supp" \
        ctest --preset tsan -j "$jobs" -R 'Exec|Job\.|JobTest|Cli\.Backends|Io' \
          -E 'JobTest\.(MergeRefuses|PartsOfAnotherRun|ShardFilesAreWritten|ResumeRepairs|ASecondRun)'
      ;;
    fuzz)
      cmake --preset fuzz >&2
      cmake --build --preset fuzz -j "$jobs" >&2
      corpus=$(mktemp -d)
      cp tests/fuzz/corpus/* "$corpus"/
      build/fuzz/bin/fuzz_experiment -max_total_time="${TRIBE_FUZZ_SECONDS:-30}" -timeout=10 \
        -rss_limit_mb=2048 "$corpus" 2>&1 | tail -n 3
      rm -rf "$corpus"
      ;;
    *) echo "unknown stage $stage" >&2; exit 2 ;;
  esac
done
echo "all test stages passed: $stages" >&2

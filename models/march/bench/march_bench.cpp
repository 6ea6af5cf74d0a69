// Runs per second of the March (1991) model through the Model interface (one run = one
// organization simulated to equilibrium, as in experiments/march_fig1.toml), for a slow
// and a fast socialization rate, and for the Figure 3 mix. Run:
//   build/release/bin/tribe_bench --benchmark_filter=March
#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "tribe/catalog/registry.hpp"
#include "tribe/rng/stream.hpp"

namespace {

using namespace tribe;

struct BoundMarch {
  const model::Model& m = catalog::find_model("march");
  std::unique_ptr<const model::CellModel> cell;
  std::unique_ptr<model::Workspace> ws = m.make_workspace();
  std::vector<double> row = std::vector<double>(m.columns().size());
  std::size_t periods_col = model::find_column(m.columns(), "periods");

  BoundMarch(double p1, double p2, double fast_share = 0.0) {
    auto v = model::defaults(m.parameters());
    v[model::find_parameter(m.parameters(), "p1")] = p1;
    v[model::find_parameter(m.parameters(), "p2")] = p2;
    v[model::find_parameter(m.parameters(), "fast_share")] = fast_share;
    m.validate(v);
    cell = m.bind(v);
  }
  double simulate(std::uint64_t k) {
    cell->simulate({1, k, 0}, *ws, row);
    return row[periods_col];
  }
};

/// Arguments: p1 x 10, p2 x 10 (m = 30, n = 50, to equilibrium).
void BM_MarchRun(benchmark::State& state) {
  BoundMarch b(static_cast<double>(state.range(0)) / 10.0,
               static_cast<double>(state.range(1)) / 10.0);
  std::uint64_t k = 0;
  double periods = 0;
  const std::uint64_t calls_before = rng::tls_philox_calls;
  for (auto _ : state) periods += b.simulate(k++);
  state.counters["runs/s"] =
      benchmark::Counter(static_cast<double>(k), benchmark::Counter::kIsRate);
  state.counters["periods_per_run"] = periods / static_cast<double>(k);
  state.counters["philox_calls_per_run"] =
      static_cast<double>(rng::tls_philox_calls - calls_before) / static_cast<double>(k);
}
BENCHMARK(BM_MarchRun)
    ->ArgNames({"p1x10", "p2x10"})
    ->Args({1, 1})
    ->Args({1, 5})
    ->Args({5, 5})
    ->Args({9, 9});

/// Figure 3 cells: p1 = 0.1, p1_fast = 0.9, p2 = 0.5, fast share (x 10).
void BM_MarchMixedRun(benchmark::State& state) {
  BoundMarch b(0.1, 0.5, static_cast<double>(state.range(0)) / 10.0);
  std::uint64_t k = 0;
  for (auto _ : state) b.simulate(k++);
  state.counters["runs/s"] =
      benchmark::Counter(static_cast<double>(k), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_MarchMixedRun)->ArgName("fastx10")->Arg(0)->Arg(5)->Arg(10);

}  // namespace

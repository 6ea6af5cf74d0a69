// Micro-benchmarks of the Lazer & Friedman (2007) model: the exhaustive global-maximum
// search of one NK landscape (Gray-code incremental, and the naive reference), landscape
// generation, and whole organizations (runs per second) on the linear and totally
// connected networks. Run: build/release/bin/tribe_bench --benchmark_filter=Nk
#include <benchmark/benchmark.h>

#include <vector>

#include "tribe/catalog/registry.hpp"
#include "tribe/models/lazer_friedman/landscape.hpp"

namespace {

using namespace tribe;

models::lazer_friedman::Landscape bench_landscape(int n, int k) {
  models::lazer_friedman::Landscape land;
  std::vector<std::int32_t> scratch;
  rng::Stream s(1, 101, 0);
  models::lazer_friedman::generate(land, n, k, s, scratch);
  return land;
}

// One exhaustive search of 2^N solutions; items = solutions evaluated.
void BM_NkGlobalMaxGray(benchmark::State& state) {
  const auto land =
      bench_landscape(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  models::lazer_friedman::SearchScratch scratch;
  for (auto _ : state) benchmark::DoNotOptimize(models::lazer_friedman::global_max(land, scratch));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(land.solutions()));
}
BENCHMARK(BM_NkGlobalMaxGray)
    ->Args({20, 5})
    ->Args({20, 0})
    ->Args({20, 10})
    ->Args({16, 5})
    ->Unit(benchmark::kMillisecond);

void BM_NkGlobalMaxNaive(benchmark::State& state) {
  const auto land =
      bench_landscape(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  for (auto _ : state) benchmark::DoNotOptimize(models::lazer_friedman::global_max_naive(land));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(land.solutions()));
}
BENCHMARK(BM_NkGlobalMaxNaive)->Args({20, 5})->Unit(benchmark::kMillisecond);

void BM_NkGenerate(benchmark::State& state) {
  models::lazer_friedman::Landscape land;
  std::vector<std::int32_t> scratch;
  std::uint64_t org = 0;
  for (auto _ : state) {
    rng::Stream s(1, 101, org++);
    models::lazer_friedman::generate(land, 20, 5, s, scratch);
    benchmark::DoNotOptimize(land.table.data());
  }
}
BENCHMARK(BM_NkGenerate)->Unit(benchmark::kMicrosecond);

// Whole organizations of the lazer_friedman model (defaults N = 20, K = 5, 100 agents,
// 100 rounds): items per second = runs (landscapes) per second on one thread.
void BM_NkOrganization(benchmark::State& state) {
  const auto& m = catalog::find_model("lazer_friedman");
  auto v = model::defaults(m.parameters());
  v[model::find_parameter(m.parameters(), "network")] = static_cast<double>(state.range(0));
  if (state.range(0) == 2) v[model::find_parameter(m.parameters(), "density")] = 0.1;
  const auto cell = m.bind(v);
  auto ws = m.make_workspace();
  std::vector<double> row(m.columns().size());
  std::uint64_t org = 0;
  for (auto _ : state) {
    cell->simulate({1, org++, 0}, *ws, row);
    benchmark::DoNotOptimize(row.data());
  }
  state.SetItemsProcessed(state.iterations());
}
// 0 = linear, 1 = full, 2 = random (density 0.1), 3 = small world
BENCHMARK(BM_NkOrganization)->Arg(0)->Arg(1)->Arg(2)->Arg(3)->Unit(benchmark::kMillisecond);

}  // namespace

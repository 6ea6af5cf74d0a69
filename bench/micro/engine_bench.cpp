// Micro-benchmarks of the engine: random numbers, structure generation, the RNG-bound floor of one
// organization, one organization by N and by T, the per-cell reduction, and HDF5
// writing throughput. Run: build/release/bin/tribe_bench (see docs/performance.md).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "tribe/catalog/registry.hpp"
#include "tribe/design/experiment.hpp"
#include "tribe/design/plan.hpp"
#include "tribe/exec/runner.hpp"
#include "tribe/io/result_file.hpp"
#include "tribe/models/leadership/structure.hpp"
#include "tribe/rng/beta_table.hpp"
#include "tribe/rng/samplers.hpp"
#include "tribe/stats/accumulator.hpp"

namespace {

using namespace tribe;

// ---- random numbers -------------------------------------------------------------------------

/// One sampler's draw per iteration, from one stream (a Philox call serves 4 words).
template <class Draw>
void draw_each_iteration(benchmark::State& state, Draw draw) {
  rng::Stream s(1, 1, 0);
  for (auto _ : state) benchmark::DoNotOptimize(draw(s));
  state.SetItemsProcessed(state.iterations());
}

void BM_RngRawU64(benchmark::State& state) {
  draw_each_iteration(state, [](rng::Stream& s) { return s.next_u64(); });
}
BENCHMARK(BM_RngRawU64);

void BM_RngUniform(benchmark::State& state) {
  draw_each_iteration(state, [](rng::Stream& s) { return rng::uniform(s); });
}
BENCHMARK(BM_RngUniform);

void BM_RngBernoulli(benchmark::State& state) {
  draw_each_iteration(state, [](rng::Stream& s) { return rng::bernoulli(s, 0.3); });
}
BENCHMARK(BM_RngBernoulli);

void BM_RngUniformIndex(benchmark::State& state) {
  draw_each_iteration(state, [](rng::Stream& s) { return rng::uniform_index(s, 99); });
}
BENCHMARK(BM_RngUniformIndex);

void BM_RngExponential(benchmark::State& state) {
  draw_each_iteration(state, [](rng::Stream& s) { return rng::exponential(s); });
}
BENCHMARK(BM_RngExponential);

void BM_RngGeometric(benchmark::State& state) {
  draw_each_iteration(state, [](rng::Stream& s) { return rng::geometric(s, 0.1); });
}
BENCHMARK(BM_RngGeometric);

void BM_RngNormal(benchmark::State& state) {
  draw_each_iteration(state, [](rng::Stream& s) { return rng::normal(s); });
}
BENCHMARK(BM_RngNormal);

void BM_RngBeta(benchmark::State& state) {
  draw_each_iteration(state,
                      [](rng::Stream& s) { return rng::beta_mean_concentration(s, 0.6, 10.0); });
}
BENCHMARK(BM_RngBeta);

// The tabulated Beta the leadership model draws its qualities and difficulties from
// (same distribution as BM_RngBeta: mean 0.6, concentration 10, i.e. Beta(6, 4)).
void BM_RngBetaTable(benchmark::State& state) {
  rng::Stream s(1, 1, 0);
  const auto table = rng::BetaTable::make(6.0, 4.0);
  for (auto _ : state) benchmark::DoNotOptimize((*table)(s));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RngBetaTable);

// Building that table (once per cell and thread: `CachedBetaMean`).
void BM_RngBetaTableSetup(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(rng::BetaTable::make(6.0, 4.0));
}
BENCHMARK(BM_RngBetaTableSetup);

void BM_RngStreamSetup(benchmark::State& state) {
  std::uint64_t k = 0;
  for (auto _ : state) {
    rng::Stream s(1, 2, k++);
    benchmark::DoNotOptimize(s.next_u64());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RngStreamSetup);

// ---- structure generation -------------------------------------------------------------------

/// Reporting tree (parents, then children/depth/leaves) and lateral ties of one organization
/// of N agents, with the model's defaults (span 5, tie_within 0.3, tie_across 0.01). Kinds:
/// 0 flat, 1 hierarchy, 2 random_hierarchy, 3 random_tree, 4 preferential.
void BM_StructureByAgents(benchmark::State& state) {
  using namespace tribe::models::leadership;
  const auto kind = static_cast<StructureKind>(state.range(0));
  const auto n = static_cast<std::int32_t>(state.range(1));
  Tree tree;
  Ties ties;
  std::vector<std::int32_t> scratch;
  std::uint64_t k = 0;
  for (auto _ : state) {
    rng::Stream s(1, 4, k++);
    generate_parents(kind, n, 5, 0.5, s, tree.parent, scratch);
    finish_tree(tree, scratch);
    generate_ties(tree, 0.3, 0.01, s, ties);
    benchmark::DoNotOptimize(ties.count());
  }
  state.SetItemsProcessed(state.iterations() * n);  // agents
  state.SetComplexityN(n);
}
BENCHMARK(BM_StructureByAgents)
    ->ArgNames({"kind", "N"})
    ->ArgsProduct({{static_cast<int>(tribe::models::leadership::StructureKind::hierarchy)},
                   {25, 100, 400, 1600}})
    ->Complexity(benchmark::oAuto);  // O(N + ties); ties across grow as N^2 * tie_across
BENCHMARK(BM_StructureByAgents)
    ->ArgNames({"kind", "N"})
    ->ArgsProduct({{static_cast<int>(tribe::models::leadership::StructureKind::flat),
                    static_cast<int>(tribe::models::leadership::StructureKind::random_hierarchy),
                    static_cast<int>(tribe::models::leadership::StructureKind::random_tree),
                    static_cast<int>(tribe::models::leadership::StructureKind::preferential)},
                   {100}});

// ---- one organization -----------------------------------------------------------------------

/// The leadership model bound to its defaults with `agents` and `steps` overridden.
struct BoundModel {
  const model::Model& m = catalog::find_model("leadership");
  std::unique_ptr<const model::CellModel> cell;
  std::unique_ptr<model::Workspace> ws = m.make_workspace();
  std::vector<double> row = std::vector<double>(m.columns().size());

  explicit BoundModel(double agents = 100, double steps = 200, bool hero = false,
                      int structure = -1) {
    auto v = model::defaults(m.parameters());
    v[model::find_parameter(m.parameters(), "agents")] = agents;
    v[model::find_parameter(m.parameters(), "steps")] = steps;
    v[model::find_parameter(m.parameters(), "hero")] = hero ? 1.0 : 0.0;
    if (structure >= 0) v[model::find_parameter(m.parameters(), "structure")] = structure;
    m.validate(v);
    cell = m.bind(v);
  }
  void simulate(std::uint64_t k) { cell->simulate({1, k, 0}, *ws, row); }
};

void BM_OrganizationDefault(benchmark::State& state) {
  BoundModel b(100, 200, state.range(0) != 0);
  std::uint64_t k = 0;
  const std::uint64_t calls_before = rng::tls_philox_calls;
  for (auto _ : state) b.simulate(k++);
  state.counters["philox_calls_per_org"] =
      static_cast<double>(rng::tls_philox_calls - calls_before) / static_cast<double>(k);
  state.counters["orgs/s"] =
      benchmark::Counter(static_cast<double>(k), benchmark::Counter::kIsRate);
  state.counters["agent_steps/s"] =
      benchmark::Counter(static_cast<double>(k) * 100 * 200, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_OrganizationDefault)->ArgName("hero")->Arg(0)->Arg(1);

/// The RNG-bound floor: exactly as many Philox calls (and 53-bit conversions) as one
/// default organization consumes, spread over as many streams, with no model logic.
void BM_OrganizationRngFloor(benchmark::State& state) {
  BoundModel b;
  const std::uint64_t before = rng::tls_philox_calls;
  const int sample = 2000;
  for (int k = 0; k < sample; ++k) b.simulate(static_cast<std::uint64_t>(k));
  const auto calls = static_cast<std::uint64_t>(
      static_cast<double>(rng::tls_philox_calls - before) / sample + 0.5);
  std::uint64_t k = 0;
  for (auto _ : state) {
    double acc = 0;
    rng::Stream s(1, 3, k++);
    for (std::uint64_t i = 0; i < 4 * calls; ++i) acc += rng::uniform(s);
    benchmark::DoNotOptimize(acc);
  }
  state.counters["philox_calls_per_org"] = static_cast<double>(calls);
  state.counters["orgs/s"] =
      benchmark::Counter(static_cast<double>(k), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_OrganizationRngFloor);

/// A default organization (N = 100, T = 200) of each structure: 0 flat, 1 hierarchy,
/// 2 random_hierarchy, 3 random_tree, 4 preferential.
void BM_OrganizationByStructure(benchmark::State& state) {
  BoundModel b(100, 200, false, static_cast<int>(state.range(0)));
  std::uint64_t k = 0;
  for (auto _ : state) b.simulate(k++);
  state.counters["orgs/s"] =
      benchmark::Counter(static_cast<double>(k), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_OrganizationByStructure)->ArgName("kind")->DenseRange(0, 4);

void BM_OrganizationByAgents(benchmark::State& state) {
  BoundModel b(static_cast<double>(state.range(0)), 200);
  std::uint64_t k = 0;
  for (auto _ : state) b.simulate(k++);
  state.SetComplexityN(state.range(0) * 200);  // N * T
}
BENCHMARK(BM_OrganizationByAgents)->RangeMultiplier(2)->Range(25, 1600)->Complexity(benchmark::oN);

void BM_OrganizationBySteps(benchmark::State& state) {
  BoundModel b(100, static_cast<double>(state.range(0)));
  std::uint64_t k = 0;
  for (auto _ : state) b.simulate(k++);
  state.SetComplexityN(100 * state.range(0));  // N * T
}
BENCHMARK(BM_OrganizationBySteps)->RangeMultiplier(2)->Range(25, 1600)->Complexity(benchmark::oN);

// ---- reduction and output -------------------------------------------------------------------

void BM_CellReduction(benchmark::State& state) {
  // One block of 256 organizations x 30 columns accumulated, then merged into a cell.
  std::vector<double> rows(256 * 30);
  rng::Stream s(1, 1, 0);
  for (auto& v : rows) v = rng::uniform(s);
  stats::Accumulator cell[30];
  for (auto _ : state) {
    stats::Accumulator block[30];
    for (std::size_t i = 0; i < 256; ++i)
      for (std::size_t c = 0; c < 30; ++c) block[c].add(rows[i * 30 + c]);
    for (std::size_t c = 0; c < 30; ++c) cell[c].merge(block[c]);
    benchmark::DoNotOptimize(cell);
  }
  state.SetItemsProcessed(state.iterations() * 256);  // organizations
}
BENCHMARK(BM_CellReduction);

/// Streams precomputed organizations into a result file (compression included).
void BM_Hdf5Write(benchmark::State& state) {
  const std::string text =
      "[experiment]\nname=\"bench\"\nmodel=\"leadership\"\nseed=1\norganizations_per_cell=65536\n"
      "[factors]\nstructure=[\"flat\"]\n";  // one cell, written like any real result file
  const auto x = design::parse_experiment(text, "bench.toml");
  const design::RunPlan plan(x, x.organizations_per_cell);
  const std::size_t cols = x.model->columns().size();
  // Realistic rows: real organizations (reused for every block).
  BoundModel b;
  std::vector<double> rows(plan.block_size() * cols);
  for (std::uint64_t i = 0; i < plan.block_size(); ++i) {
    b.simulate(i);
    std::copy(b.row.begin(), b.row.end(), rows.begin() + static_cast<std::ptrdiff_t>(i * cols));
  }
  const auto path = std::filesystem::temp_directory_path() /
                    ("tribe-bench-" + std::to_string(::getpid()) + ".h5");
  std::uint64_t orgs = 0, bytes = 0;
  for (auto _ : state) {
    io::ResultWriter w(path, plan, true);
    for (std::uint64_t blk = 0; blk < plan.block_count(); ++blk) {
      const auto block = plan.block(blk);
      w.consume({block, cols, std::span<const double>(rows.data(), block.count * cols)});
    }
    exec::RunResult r;
    r.cells.resize(1);
    r.cells[0].columns.resize(cols);
    w.finish(r, io::RunInfo{});
    orgs += plan.total_organizations();
    bytes += plan.total_organizations() * (cols * 8 + 12);
  }
  std::filesystem::remove(path);
  state.counters["orgs/s"] =
      benchmark::Counter(static_cast<double>(orgs), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));  // uncompressed row bytes
}
// Wall-clock time: writing includes the file system, which CPU time does not see.
BENCHMARK(BM_Hdf5Write)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();

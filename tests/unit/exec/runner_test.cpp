// The runners: every backend and thread count gives bit-identical rows and cell
// statistics, blocks reach the sink in order, and a stop request ends a run early.
#include "tribe/exec/runner.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cstring>
#include <tuple>

#include "../support/test_functions.hpp"
#include "../support/test_support.hpp"
#include "tribe/core/error.hpp"
#include "tribe/design/experiment.hpp"
#include "tribe/design/plan.hpp"
#include "tribe/stats/intervals.hpp"

namespace {

using namespace tribe;

class CollectingSink : public exec::BlockSink {
 public:
  void consume(const exec::BlockRows& rows) override {
    // Rows of a plan come in order; a new plan (a precision round) starts again at row 0.
    if (rows.block.global != 0) EXPECT_EQ(rows.block.global, next_global) << "blocks out of order";
    next_global = rows.block.global + rows.block.count;
    values.insert(values.end(), rows.values.begin(), rows.values.end());
  }
  std::uint64_t next_global = 0;
  std::vector<double> values;
};

struct Outcome {
  std::vector<double> rows;
  std::vector<double> stats;  // every accumulator field of every cell and column, flattened
};

Outcome run_with(const design::RunPlan& plan, exec::Backend backend, unsigned threads,
                 std::uint64_t window_blocks = 0) {
  CollectingSink sink;
  exec::RunOptions opts;
  opts.backend = backend;
  opts.threads = threads;
  opts.window_blocks = window_blocks;
  const auto result = exec::run(plan, opts, sink);
  EXPECT_EQ(result.organizations, plan.total_organizations());
  Outcome o{std::move(sink.values), {}};
  for (const auto& cell : result.cells)
    for (const auto& a : cell.columns)
      for (double v : {static_cast<double>(a.n), static_cast<double>(a.missing), a.mean, a.m2,
                       a.sum, a.min, a.max})
        o.stats.push_back(v);
  return o;
}

bool bitwise_equal(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

TEST(ExecRunner, BitIdenticalAcrossBackendsAndThreadCounts) {
  const auto x = design::parse_experiment(test::small_experiment("", 300), "small.toml");
  const design::RunPlan plan(x, x.organizations_per_cell, 32);
  const Outcome reference = run_with(plan, exec::Backend::Serial, 1);
  ASSERT_EQ(reference.rows.size(), plan.total_organizations() * x.model->columns().size());
  for (auto backend : {exec::Backend::Serial, exec::Backend::OpenMP, exec::Backend::TBB}) {
    for (unsigned threads : {1u, 2u, 8u}) {
      for (std::uint64_t window : {0ull, 3ull}) {
        SCOPED_TRACE(std::string(exec::to_string(backend)) + " x " + std::to_string(threads) +
                     " window " + std::to_string(window));
        const Outcome o = run_with(plan, backend, threads, window);
        EXPECT_TRUE(bitwise_equal(o.rows, reference.rows));
        EXPECT_TRUE(bitwise_equal(o.stats, reference.stats));
      }
    }
  }
}

TEST(ExecRunner, BlockRangeRunsExactlyThoseOrganizations) {
  const auto x = design::parse_experiment(test::small_experiment("", 100), "small.toml");
  const design::RunPlan plan(x, x.organizations_per_cell, 32);
  const Outcome all = run_with(plan, exec::Backend::Serial, 1);
  CollectingSink sink;
  sink.next_global = plan.block(5).global;
  exec::RunOptions opts;
  opts.backend = exec::Backend::TBB;
  opts.threads = 2;
  opts.first_block = 5;
  opts.end_block = 9;
  const auto result = exec::run(plan, opts, sink);
  std::uint64_t expected = 0;
  for (std::uint64_t b = 5; b < 9; ++b) expected += plan.block(b).count;
  EXPECT_EQ(result.organizations, expected);
  const std::size_t cols = x.model->columns().size();
  const std::vector<double> slice(all.rows.begin() + plan.block(5).global * cols,
                                  all.rows.begin() + (plan.block(5).global + expected) * cols);
  EXPECT_TRUE(bitwise_equal(sink.values, slice));
}

TEST(ExecRunner, CellStatisticsAndSegmentsOfTheExactModelAreExact) {
  // Organization k of a cell: k, value = level + k, odd = k mod 2 (test_exact).
  const std::uint64_t n = 101;
  const auto x = design::parse_experiment(test::exact_experiment(n), "exact.toml");
  const design::RunPlan plan(x, n, 16);
  for (auto backend : {exec::Backend::Serial, exec::Backend::OpenMP, exec::Backend::TBB}) {
    SCOPED_TRACE(exec::to_string(backend));
    CollectingSink sink;
    exec::RunOptions opts;
    opts.backend = backend;
    opts.threads = 2;
    const auto result = exec::run(plan, opts, sink);
    ASSERT_EQ(result.cells.size(), 2u);
    for (std::size_t c = 0; c < 2; ++c) {
      const double level = c == 0 ? 0.0 : 10.0;
      const auto& k = result.cells[c].columns[0];
      const auto& value = result.cells[c].columns[1];
      const auto& odd = result.cells[c].columns[2];
      EXPECT_EQ(k.n, n);
      EXPECT_EQ(k.sum, n * (n - 1) / 2.0);
      EXPECT_EQ(value.mean, level + (n - 1) / 2.0);
      EXPECT_EQ(value.min, level);
      EXPECT_EQ(value.max, level + static_cast<double>(n - 1));
      EXPECT_EQ(odd.sum, static_cast<double>(n / 2));
    }
    // One segment per cell: every organization of it, in order.
    ASSERT_EQ(result.segments.size(), 2u);
    for (std::uint64_t c = 0; c < 2; ++c) {
      EXPECT_EQ(result.segments[c].cell, c);
      EXPECT_EQ(result.segments[c].first, 0u);
      EXPECT_EQ(result.segments[c].count, n);
    }
  }
}

TEST(ExecRunner, SegmentsFollowTheBlocksOfARange) {
  const auto x = design::parse_experiment(test::exact_experiment(100), "exact.toml");
  const design::RunPlan plan(x, x.organizations_per_cell, 32);  // blocks of 32, 32, 32, 4 per cell
  CollectingSink sink;
  sink.next_global = plan.block(2).global;
  exec::RunOptions opts;
  opts.first_block = 2;
  opts.end_block = 6;  // the last two blocks of cell 0, the first two of cell 1
  const auto result = exec::run(plan, opts, sink);
  ASSERT_EQ(result.segments.size(), 2u);
  EXPECT_EQ(result.segments[0].cell, 0u);
  EXPECT_EQ(result.segments[0].first, 64u);
  EXPECT_EQ(result.segments[0].count, 36u);
  EXPECT_EQ(result.segments[1].cell, 1u);
  EXPECT_EQ(result.segments[1].first, 0u);
  EXPECT_EQ(result.segments[1].count, 64u);
  // Rows: k of each organization run, in row order.
  const std::size_t cols = x.model->columns().size();
  ASSERT_EQ(sink.values.size(), 100u * cols);
  for (std::size_t r = 0; r < 100; ++r)
    EXPECT_EQ(sink.values[r * cols], r < 36 ? 64.0 + r : r - 36.0);
}

TEST(ExecRunner, StopFlagEndsTheRunEarly) {
  const auto x = design::parse_experiment(test::exact_experiment(1000), "exact.toml");
  const design::RunPlan plan(x, x.organizations_per_cell, 16);
  std::atomic<bool> stop{true};
  CollectingSink sink;
  exec::RunOptions opts;
  opts.stop = &stop;
  const auto result = exec::run(plan, opts, sink);
  EXPECT_TRUE(result.stopped);
  EXPECT_LT(result.organizations, plan.total_organizations());
}

TEST(ExecRunner, ParsesBackendNames) {
  EXPECT_EQ(exec::parse_backend("tbb"), exec::Backend::TBB);
  EXPECT_EQ(exec::parse_backend("openmp"), exec::Backend::OpenMP);
  EXPECT_EQ(exec::parse_backend("serial"), exec::Backend::Serial);
  EXPECT_THROW(exec::parse_backend("cuda"), InputError);
}

}  // namespace

namespace {

TEST(ExecPrecision, AddsOrganizationsUntilEveryRateIsPreciseOrCapped) {
  const auto x = design::parse_experiment(test::small_experiment("", 50), "small.toml");
  const design::RunPlan plan(x, x.organizations_per_cell, 16);
  const exec::PrecisionTarget target{0.02, 800, 0.95};
  const auto columns = x.model->columns();
  auto run_once = [&](exec::Backend backend, unsigned threads) {
    CollectingSink sink;
    exec::RunOptions opts;
    opts.backend = backend;
    opts.threads = threads;
    auto r = exec::run_to_precision(plan, opts, sink, target);
    return std::make_pair(r, sink.values);
  };
  const auto [result, rows] = run_once(exec::Backend::Serial, 1);
  const auto n = exec::organizations_per_cell(result);
  bool grew = false;
  for (std::size_t c = 0; c < n.size(); ++c) {
    EXPECT_GE(n[c], 50u);
    EXPECT_LE(n[c], 800u);
    grew = grew || n[c] > 50;
    for (std::size_t k = 0; k < columns.size(); ++k) {
      if (columns[k].kind != model::ColumnKind::Binary ||
          columns[k].role != model::ColumnRole::Outcome)
        continue;
      const auto& a = result.cells[c].columns[k];
      const auto w = stats::wilson(static_cast<std::uint64_t>(a.sum), a.n, 0.95);
      EXPECT_TRUE((w.high - w.low) / 2 <= 0.02 || n[c] == 800) << "cell " << c;
    }
  }
  EXPECT_TRUE(grew) << "the target should need more than the first round here";
  std::uint64_t in_segments = 0;
  for (const auto& s : result.segments) in_segments += s.count;
  EXPECT_EQ(in_segments, result.organizations);
  // Reproducible: the same cells grow by the same amounts on any backend and thread count.
  const auto [again, rows2] = run_once(exec::Backend::TBB, 3);
  EXPECT_EQ(exec::organizations_per_cell(again), n);
  EXPECT_TRUE(bitwise_equal(rows, rows2));
}

TEST(ExecPrecision, MeansOfRealColumnsReachTheirTargetToo) {
  // March's model, small enough to be quick under the sanitizers; the equilibrium
  // knowledge of the code is a real outcome.
  const auto x = design::parse_experiment(test::small_march_experiment(5), "march.toml");
  const design::RunPlan plan(x, x.organizations_per_cell, 16);
  const auto columns = x.model->columns();
  const auto k = model::find_column(columns, "knowledge_code_equilibrium");
  ASSERT_NE(k, model::npos);
  const exec::PrecisionTarget target{0.02, 5000, 0.95, {k}};
  CollectingSink sink;
  exec::RunOptions opts;
  // The job layer passes the first plan's block range; later rounds have more blocks
  // than that plan (a regression: they used to be cut to its range).
  opts.end_block = plan.block_count();
  const auto result = exec::run_to_precision(plan, opts, sink, target);
  const auto n = exec::organizations_per_cell(result);
  EXPECT_EQ(sink.values.size() / columns.size(), n[0] + n[1])
      << "every organization reached the sink";
  for (std::size_t c = 0; c < n.size(); ++c) {
    const auto& a = result.cells[c].columns[k];
    const double hw = exec::precision_half_width(columns[k], a, 0.95);
    const auto t = stats::mean_interval(a.mean, a.sd(), a.n, 0.95);
    EXPECT_DOUBLE_EQ(hw, (t.high - t.low) / 2);
    EXPECT_LE(hw, 0.02) << "cell " << c;
    EXPECT_GT(n[c], 20u) << "20 organizations cannot give +-0.02 with sd >= 0.1";
    EXPECT_LT(n[c], 5000u);
    // Doubling rounds: every cell ends at the first round's size times a power of two.
    EXPECT_EQ(n[c] % 20, 0u);
    EXPECT_TRUE(std::has_single_bit(n[c] / 20)) << n[c];
  }
}

}  // namespace

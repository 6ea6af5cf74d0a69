// A whole job in process, on the test model whose outcomes are known exactly
// (tests/unit/support/test_functions.hpp): the assembled file holds the exact cell
// statistics, the claims the job layer evaluated on the rows read back, and shards
// merged in any order give the datasets of a single run.
#include <gtest/gtest.h>

#include "../support/test_functions.hpp"
#include "../support/test_support.hpp"
#include "tribe/core/error.hpp"
#include "tribe/design/experiment.hpp"
#include "tribe/design/plan.hpp"
#include "tribe/io/result_file.hpp"
#include "tribe/job/job.hpp"

namespace {

using namespace tribe;

// Two claims with exact estimates: the odd share of level = 10 (n even: exactly 1/2),
// and the difference of the value means of level 10 and level 0 (exactly 10).
const std::string kClaims =
    "[[claims]]\nid = \"half-odd\"\nstatement = \"half the organizations are odd\"\ntest = "
    "\"above\"\n"
    "column = \"odd\"\na = { level = 10 }\nvalue = 0.25\n"
    "[[claims]]\nid = \"ten-apart\"\nstatement = \"level 10 is not 5 below level 0\"\ntest = "
    "\"difference_above\"\n"
    "column = \"value\"\na = { level = 10 }\nb = { level = 0 }\nvalue = -5\n";

job::JobOptions options(const std::filesystem::path& output, std::uint64_t rows_per_part = 50) {
  job::JobOptions o;
  o.output = output;
  o.run.backend = exec::Backend::Serial;
  o.run.threads = 1;
  o.rows_per_part = rows_per_part;  // several parts, merged in block order
  return o;
}

TEST(JobExact, AssembledFileHoldsExactStatisticsAndClaims) {
  test::TempDir dir;
  const std::uint64_t n = 200;
  const auto x = design::parse_experiment(test::exact_experiment(n, kClaims), "exact.toml");
  const auto r = job::run_job(x, options(dir / "out.h5"));
  ASSERT_TRUE(r.complete);
  EXPECT_EQ(r.computed, 2 * n);

  const io::ResultReader f(dir / "out.h5");
  EXPECT_EQ(f.attribute_u64("organizations"), 2 * n);
  const auto k = f.column("organizations/k");
  ASSERT_EQ(k.size(), 2 * n);
  for (std::uint64_t i = 0; i < 2 * n; ++i)
    EXPECT_EQ(k[i], static_cast<double>(i % n));  // cell-major rows
  const auto mean = f.column("cells/stats/value/mean");
  const auto min = f.column("cells/stats/value/min"), max = f.column("cells/stats/value/max");
  const auto successes = f.column("cells/stats/odd/successes");
  ASSERT_EQ(mean.size(), 2u);
  for (std::size_t c = 0; c < 2; ++c) {
    const double level = c == 0 ? 0.0 : 10.0;
    EXPECT_EQ(mean[c], level + (n - 1) / 2.0);
    EXPECT_EQ(min[c], level);
    EXPECT_EQ(max[c], level + static_cast<double>(n - 1));
    EXPECT_EQ(successes[c], static_cast<double>(n / 2));
  }
  EXPECT_EQ(f.strings("claims/id"), (std::vector<std::string>{"half-odd", "ten-apart"}));
  const auto estimate = f.column("claims/estimate");
  EXPECT_EQ(estimate[0], 0.5);
  EXPECT_NEAR(estimate[1], 10.0, 1e-12);
  EXPECT_EQ(f.strings("claims/verdict"), (std::vector<std::string>{"supported", "supported"}));
}

TEST(JobExact, ShardsMergedInAnyOrderGiveTheDatasetsOfOneRun) {
  test::TempDir dir;
  const auto x = design::parse_experiment(test::exact_experiment(3000, kClaims), "exact.toml");
  ASSERT_TRUE(job::run_job(x, options(dir / "single.h5", 1000)).complete);
  std::vector<std::filesystem::path> shards;
  for (std::uint64_t i = 0; i < 3; ++i) {
    auto o = options(dir / ("shard" + std::to_string(i) + ".h5"), 1000);
    o.shard = job::Shard{i, 3};
    ASSERT_TRUE(job::run_job(x, o).complete);
    shards.push_back(o.output);
  }
  job::merge_shards({shards[2], shards[0], shards[1]}, dir / "merged.h5", false, "test");
  EXPECT_EQ(test::all_datasets(dir / "merged.h5"), test::all_datasets(dir / "single.h5"));
}

// Issue 27, item 10: more shards than blocks wrote empty shards (exit 0) that merge then
// called damaged, and --shard 0/18446744073709551615 was taken; both are refused now,
// before any work, naming the largest n.
TEST(JobExact, MoreShardsThanBlocksAreRefusedBeforeAnyWork) {
  test::TempDir dir;
  const auto x = design::parse_experiment(test::exact_experiment(3000, kClaims), "exact.toml");
  const design::RunPlan plan(x, x.organizations_per_cell);
  for (const std::uint64_t n : {plan.block_count() + 1, std::uint64_t{18446744073709551615ULL}}) {
    auto o = options(dir / "shard.h5", 1000);
    o.shard = job::Shard{0, n};
    try {
      job::run_job(x, o);
      ADD_FAILURE() << "accepted " << n << " shards of " << plan.block_count() << " blocks";
    } catch (const InputError& e) {
      EXPECT_NE(
          std::string(e.what()).find("at most " + std::to_string(plan.block_count()) + " shards"),
          std::string::npos)
          << e.what();
    }
    EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
  }
  // n = blocks is fine: every shard has one block.
  auto o = options(dir / "last.h5", 1000);
  o.shard = job::Shard{plan.block_count() - 1, plan.block_count()};
  EXPECT_TRUE(job::run_job(x, o).complete);
}

TEST(JobExact, AWrongClaimIsRefusedBeforeAnyWork) {
  test::TempDir dir;
  const auto x = design::parse_experiment(
      test::exact_experiment(
          10,
          "[[claims]]\nid = \"c\"\nstatement = \"s\"\ntest = \"above\"\ncolumn = \"nope\"\n"
          "value = 0\n"),
      "exact.toml");
  try {
    job::run_job(x, options(dir / "out.h5"));
    ADD_FAILURE() << "accepted a claim on a column the model does not have";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("exact.toml: claims.c.column"), std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

}  // namespace

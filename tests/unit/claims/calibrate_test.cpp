// Calibration by rejection ABC ([calibration]): parsing with one clear error per mistake,
// the plan (every cell at every calibration point, the calibrated values constant within a
// point), and a run on the leadership model whose answer is known: challenges arise at
// arrival_rate per agent and step, so a band on the mean number of challenges observed at
// one rate must be matched near that rate, and only there.
#include "tribe/claims/calibrate.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "../support/claims_support.hpp"
#include "../support/test_support.hpp"
#include "claim_builders.hpp"
#include "tribe/claims/parse.hpp"
#include "tribe/core/error.hpp"
#include "tribe/design/experiment.hpp"
#include "tribe/design/plan.hpp"
#include "tribe/io/result_file.hpp"

namespace {

using namespace tribe;

const std::string kPattern = test::pattern("load", "about 10 challenges arise per organization",
                                           "within", "challenges", {"band = [9.5, 10.5]"});

std::string experiment(const std::string& calibration, const std::string& extra = kPattern) {
  return "[experiment]\nname = \"cal\"\nmodel = \"leadership\"\nseed = 11\n"
         "organizations_per_cell = 50\ncommon_random_numbers = false\n[parameters]\nagents = "
         "10\nsteps = 50\nspan = 3\n"
         "[factors]\nstructure = [\"flat\", \"hierarchy\"]\n" +
         extra + calibration;
}

std::string parse_error(const std::string& text) {
  try {
    const auto x = design::parse_experiment(text, "e.toml");
    std::vector<claims::ClaimSpec> patterns;
    for (auto& p : claims::parse_claims_and_patterns(x))
      if (p.pattern) patterns.push_back(p);
    claims::check_calibration(x, patterns);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

const std::string kRanges = "[calibration.ranges]\narrival_rate = [0.005, 0.03]\n";

TEST(Calibration, ParseRefusesEachMistakeWithOneLine) {
  const auto has = [](const std::string& msg, const std::string& part) {
    return msg.find(part) != std::string::npos;
  };
  EXPECT_EQ(parse_error(experiment("[calibration]\npoints = 8\ntolerance = 0\n" + kRanges)), "");
  EXPECT_TRUE(has(parse_error(experiment("[calibration]\npoints = 8\n" + kRanges)),
                  "missing key calibration.quantile or calibration.tolerance"));
  EXPECT_TRUE(has(parse_error(experiment(
                      "[calibration]\npoints = 8\nquantile = 0.1\ntolerance = 0\n" + kRanges)),
                  "are both given"));
  EXPECT_TRUE(has(parse_error(experiment("[calibration]\npoints = 8\nquantile = 0\n" + kRanges)),
                  "calibration.quantile = 0"));
  EXPECT_TRUE(has(parse_error(experiment("[calibration]\npoints = 1\ntolerance = 0\n" + kRanges)),
                  "calibration.points = 1"));
  EXPECT_TRUE(has(parse_error(experiment("[calibration]\npoints = 8\ntolerance = -1\n" + kRanges)),
                  "calibration.tolerance = -1"));
  EXPECT_TRUE(has(parse_error(experiment("[calibration]\npoints = 8\ntolerance = 0\n")),
                  "calibration.ranges: expected a non-empty table"));
  EXPECT_TRUE(has(parse_error(experiment("[calibration]\npoints = 8\ntolerance = 0\n"
                                         "[calibration.ranges]\nagents = [10, 20]\n")),
                  "calibration.ranges.agents contradicts parameters.agents"));
  EXPECT_TRUE(has(parse_error(experiment("[calibration]\npoints = 8\ntolerance = 0\n"
                                         "[calibration.ranges]\nstructure = [0, 1]\n")),
                  "contradicts factors.structure"));
  EXPECT_TRUE(has(parse_error(experiment("[calibration]\npoints = 8\ntolerance = 0\n"
                                         "method = \"smc\"\n" +
                                         kRanges)),
                  "expected \"rejection\""));
  EXPECT_TRUE(has(parse_error(experiment("[calibration]\npoints = 8\ntolerance = 0\n"
                                         "patterns = [\"nope\"]\n" +
                                         kRanges)),
                  "\"nope\" is not a pattern of this experiment (expected one of: load)"));
  EXPECT_TRUE(
      has(parse_error(experiment("[calibration]\npoints = 8\ntolerance = 0\n" + kRanges, "")),
          "needs at least one [[patterns]] table"));
}

TEST(Calibration, PlanRunsEveryCellAtEveryCalibrationPoint) {
  const auto x = design::parse_experiment(
      experiment("[calibration]\npoints = 8\ntolerance = 0\n" + kRanges), "e.toml");
  EXPECT_EQ(x.cells_per_calibration_point(), 2u);
  EXPECT_EQ(x.cell_count(), 16u);
  const design::RunPlan plan(x, 1);
  const auto specs = x.model->parameters();
  const std::size_t rate = model::find_parameter(specs, "arrival_rate");
  std::vector<double> rates;
  for (const auto& cell : plan.cells()) {
    EXPECT_EQ(cell.calibration, cell.index / 2);
    if (cell.index % 2 == 1) {  // the same calibrated value at both cells of a point
      EXPECT_EQ(cell.values[rate], plan.cells()[cell.index - 1].values[rate]);
    } else {
      rates.push_back(cell.values[rate]);
    }
    EXPECT_NE(cell.label(x).find("arrival_rate="), std::string::npos);
  }
  // A Latin hypercube: one prior draw in each eighth of the range.
  std::sort(rates.begin(), rates.end());
  for (std::size_t k = 0; k < rates.size(); ++k) {
    EXPECT_GE(rates[k], 0.005 + 0.025 * static_cast<double>(k) / 8);
    EXPECT_LT(rates[k], 0.005 + 0.025 * static_cast<double>(k + 1) / 8);
  }
}

TEST(Calibration, AcceptsTheKnownRateAndWritesTheAcceptedRegion) {
  // 10 agents x 50 steps: the mean number of challenges is 500 x arrival_rate, so the
  // band [9.5, 10.5] is the rate 0.019 - 0.021 (a point's mean of 100 organizations has
  // sd ~0.3 around it; independent random numbers at every point, as rejection ABC draws
  // an independent simulation per prior draw).
  test::TempDir dir;
  test::write_file(
      dir / "e.toml",
      experiment("[calibration]\npoints = 48\ntolerance = 0\ncredible = 0.9\n" + kRanges));
  const auto run = test::run_tribe("run " + (dir / "e.toml").string() + " -o " +
                                   (dir / "e.h5").string() + " --quiet");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  io::ResultReader r(dir / "e.h5");
  const auto rate = r.column("calibration/value_arrival_rate");
  const auto accepted = r.column("calibration/accepted");
  const auto estimate = r.column("calibration/at_point/load/estimate");
  ASSERT_EQ(rate.size(), 48u);
  int n = 0;
  for (std::size_t k = 0; k < rate.size(); ++k) {
    // The point's statistic follows its rate: ~500 x rate challenges.
    EXPECT_NEAR(estimate[k], 500 * rate[k], 1.5) << "point " << k;
    if (accepted[k] == 0) continue;
    ++n;
    EXPECT_GE(estimate[k], 9.5);
    EXPECT_LE(estimate[k], 10.5);
    EXPECT_NEAR(rate[k], 0.02, 0.003) << "an accepted point far from the true rate";
  }
  EXPECT_GE(n, 2);
  const auto median = r.column("calibration/median");
  const auto low = r.column("calibration/credible_low");
  const auto high = r.column("calibration/credible_high");
  EXPECT_NEAR(median[0], 0.02, 0.002);
  EXPECT_LE(low[0], 0.0205);
  EXPECT_GE(high[0], 0.0195);
  EXPECT_LT(high[0] - low[0], 0.006);  // the prior's width is 0.025
  // The pattern over the accepted points pooled is reproduced.
  EXPECT_EQ(r.strings("calibration/accepted_region/verdict").at(0), "supported");
  const auto report = test::run_tribe("report " + (dir / "e.h5").string());
  ASSERT_EQ(report.exit_code, 0) << report.output;
  EXPECT_NE(report.output.find("Calibration (rejection ABC) of experiment cal"), std::string::npos)
      << report.output;
  EXPECT_NE(report.output.find("Patterns in the accepted region"), std::string::npos);
}

// The calibration is part of the result: the same with 1 or 2 threads, and from shards
// merged as from one run (each point's patterns depend on that point's organizations only).
TEST(Calibration, IsTheSameWithAnyThreadsAndFromMergedShards) {
  test::TempDir dir;
  test::write_file(dir / "e.toml",
                   experiment("[calibration]\npoints = 12\nquantile = 0.25\n" + kRanges));
  const std::string e = (dir / "e.toml").string();
  const auto at = [&](const std::string& name) { return (dir / name).string(); };
  ASSERT_EQ(test::run_tribe("run " + e + " -o " + at("t1.h5") + " --threads 1 --quiet").exit_code,
            0);
  ASSERT_EQ(test::run_tribe("run " + e + " -o " + at("t2.h5") + " --threads 2 --quiet").exit_code,
            0);
  for (int k = 0; k < 3; ++k)
    ASSERT_EQ(test::run_tribe("run " + e + " --shard " + std::to_string(k) + "/3 -o " +
                              at("s" + std::to_string(k) + ".h5") + " --quiet")
                  .exit_code,
              0);
  const auto merge = test::run_tribe("merge " + at("s0.h5") + " " + at("s1.h5") + " " +
                                     at("s2.h5") + " -o " + at("m.h5"));
  ASSERT_EQ(merge.exit_code, 0) << merge.output;
  const auto one = test::all_datasets(dir / "t1.h5");
  ASSERT_TRUE(one.count("calibration/distance"));
  EXPECT_TRUE(one == test::all_datasets(dir / "t2.h5"));
  EXPECT_TRUE(one == test::all_datasets(dir / "m.h5"));
}

}  // namespace

// No verdict without data; variance shares that leave inert parameters unsupported; claims
// over an assumption space (share of the points and PRIM scenario); a study of several
// result files under one Holm family.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

#include "../support/claims_support.hpp"
#include "../support/test_support.hpp"
#include "claim_builders.hpp"
#include "tribe/claims/evaluate.hpp"
#include "tribe/claims/parse.hpp"
#include "tribe/core/error.hpp"
#include "tribe/design/experiment.hpp"
#include "tribe/design/plan.hpp"

namespace {

using namespace tribe;
using claims::Verdict;

using test::claim;
using test::claim_x;
using test::noise;
using test::SyntheticData;

std::string factorial(const std::string& claims, std::uint64_t per_cell) {
  return test::leadership_factorial("e", claims, per_cell);
}

// Cell selectors: all flat or hierarchical organizations, and both at low control.
const std::string kFlat = R"(a = { structure = "flat" })",
                  kHierarchy = R"(b = { structure = "hierarchy" })",
                  kFlatLow = R"(a = { structure = "flat", control = 0.1 })",
                  kHierarchyLow = R"(b = { structure = "hierarchy", control = 0.1 })";

TEST(ClaimsEvidence, NoVerdictWithoutData) {
  const test::PlannedExperiment e(
      factorial(
          claim("all-nan", "a column that is NaN everywhere", "above", "solve_rate",
                {kFlat, "value = 0.5"}) +
              claim("nan-difference", "a difference on a NaN column", "difference_above",
                    "solve_rate", {kFlat, kHierarchy, "value = 0.0"}) +
              claim("constant-equivalent", "two constant columns 0.02 apart are within 0.05",
                    "equivalent", "mean_time_to_solve", {kFlatLow, kHierarchyLow, "value = 0.05"}) +
              claim("constant-equivalent-unpaired-independent", "the same, by a Welch interval",
                    "difference_below", "mean_time_to_solve",
                    {kFlatLow, kHierarchyLow, "value = 0.05"}),
          50),
      "e.toml");
  const SyntheticData data(50, [](const std::string& column, std::uint64_t cell, std::uint64_t) {
    if (column == "solve_rate") return std::numeric_limits<double>::quiet_NaN();
    return cell % 2 == 0 ? 3.02 : 3.0;  // mean_time_to_solve: flat 3.02, hierarchy 3.0
  });
  const auto r = e.evaluate(data);
  EXPECT_EQ(r[0].verdict, Verdict::Inconclusive);
  EXPECT_NE(r[0].reason.find("no data"), std::string::npos) << r[0].reason;
  EXPECT_EQ(r[0].n_a, 0u);
  EXPECT_EQ(r[1].verdict, Verdict::Inconclusive);
  EXPECT_NE(r[1].reason.find("no data"), std::string::npos) << r[1].reason;
  // Two constant columns: the difference is exact, and so is the verdict.
  EXPECT_TRUE(r[2].reason.empty()) << r[2].reason;
  EXPECT_NEAR(r[2].estimate, 0.02, 1e-12);
  EXPECT_DOUBLE_EQ(r[2].low, r[2].estimate);
  EXPECT_DOUBLE_EQ(r[2].high, r[2].estimate);
  EXPECT_EQ(r[2].verdict, Verdict::Supported);
  EXPECT_EQ(r[3].verdict, Verdict::Supported);
  EXPECT_DOUBLE_EQ(r[3].low, r[3].high);
}

TEST(ClaimsEvidence, WelchIntervalOfTwoConstantSamplesIsExact) {
  // Without common random numbers the unpaired interval is Welch's: exact for constants.
  auto text = factorial(claim("c", "constant columns", "difference_above", "mean_time_to_solve",
                              {kFlatLow, kHierarchyLow, "value = 0.0"}),
                        20);
  text.insert(text.find("[parameters]"), "common_random_numbers = false\n");
  const test::PlannedExperiment e(text, "e.toml");
  const auto r =
      e.evaluate(SyntheticData(20, [](const std::string&, std::uint64_t cell, std::uint64_t) {
        return cell % 2 == 0 ? 2.0 : 1.0;
      }));
  EXPECT_NE(r[0].method.find("Welch"), std::string::npos);
  EXPECT_EQ(r[0].low, 1.0);
  EXPECT_EQ(r[0].high, 1.0);
  EXPECT_EQ(r[0].verdict, Verdict::Supported);
}

TEST(ClaimsEvidence, VarianceShareWithoutReplicationIsInconclusive) {
  // One organization per cell of a 2 x 2 factorial: nothing to estimate uncertainty from.
  const test::PlannedExperiment e(
      factorial(claim("share", "structure explains variance", "variance_share_above", "solve_rate",
                      {R"(factors_a = ["structure"])", "value = 0.0"}),
                1),
      "e.toml");
  const auto r = e.evaluate(SyntheticData(
      1, [](const std::string&, std::uint64_t cell, std::uint64_t) { return 0.1 * cell; }));
  EXPECT_EQ(r[0].verdict, Verdict::Inconclusive);
  EXPECT_FALSE(r[0].reason.empty());
}

std::string lhs(const std::string& claims, std::uint64_t points, std::uint64_t per_cell) {
  return "[experiment]\nname = \"l\"\nmodel = \"leadership\"\nseed = 9\norganizations_per_cell = " +
         std::to_string(per_cell) +
         "\n[parameters]\nagents = 10\nspan = 3\n[factors]\nstructure = [\"flat\", \"hierarchy\"]\n"
         "[design]\nsampling = \"lhs\"\npoints = " +
         std::to_string(points) +
         "\n[design.ranges]\ncontrol = [0.0, 1.0]\naligned = [0.2, 0.9]\nhero_boost = [0.0, "
         "1.0]\n" +
         claims;
}

TEST(ClaimsEvidence, AnInertParameterDoesNotComeOutSupported) {
  // solve_rate depends on control (strongly) and structure (a little), not on hero_boost
  // or aligned; organization noise shared across cells (common random numbers).
  const test::PlannedExperiment e(
      lhs(claim("hero-boost-matters", "hero_boost explains some variance (it is inert here)",
                "variance_share_above", "solve_rate",
                {R"(factors_a = ["hero_boost"])", "value = 0.0"}) +
              claim("control-matters", "control explains more than 30% of the variance",
                    "variance_share_above", "solve_rate",
                    {R"(factors_a = ["control"])", "value = 0.3"}),
          200, 20),
      "l.toml");
  const auto& [x, plan] = e;
  const auto specs = x.model->parameters();
  const auto control = model::find_parameter(specs, "control");
  const auto structure = model::find_parameter(specs, "structure");
  const SyntheticData data(20, [&](const std::string&, std::uint64_t cell, std::uint64_t j) {
    const auto& v = plan.cells()[cell].values;
    return v[control] + 0.1 * v[structure] + 0.5 * noise(j, 1) + 0.3 * noise(cell, j);
  });
  const auto r = e.evaluate(data);
  EXPECT_NE(r[0].verdict, Verdict::Supported)
      << r[0].estimate << " [" << r[0].low << ", " << r[0].high << "]";
  EXPECT_LT(std::abs(r[0].estimate), 0.01);
  EXPECT_EQ(r[1].verdict, Verdict::Supported);
  EXPECT_NE(r[0].method.find("design points"), std::string::npos) << r[0].method;
}

TEST(ClaimsEvidence, VarianceShareIntervalsHoldTheDesignUncertainty) {
  // The same model on designs of three seeds: the intervals of the share of control
  // overlap (a design-point bootstrap), unlike intervals from organizations alone.
  std::vector<claims::ClaimResult> results;
  for (int seed : {3003, 3004, 3005}) {
    auto text = lhs(claim("control", "control's share", "variance_share_above", "solve_rate",
                          {R"(factors_a = ["control"])", "value = 0.0"}),
                    40, 20);
    text.replace(text.find("seed = 9"), 8, "seed = " + std::to_string(seed));
    const test::PlannedExperiment e(text, "l.toml");
    const auto& [x, plan] = e;
    const auto specs = x.model->parameters();
    const auto control = model::find_parameter(specs, "control"),
               aligned = model::find_parameter(specs, "aligned");
    const SyntheticData data(20, [&](const std::string&, std::uint64_t cell, std::uint64_t j) {
      const auto& v = plan.cells()[cell].values;
      return v[control] * v[aligned] * 2 + 0.3 * noise(j, 1) + 0.3 * noise(cell, j);
    });
    results.push_back(e.evaluate(data)[0]);
  }
  double max_low = -1, min_high = 2;
  for (const auto& r : results) {
    max_low = std::max(max_low, r.low);
    min_high = std::min(min_high, r.high);
  }
  EXPECT_LT(max_low, min_high) << "intervals of the three seeds do not overlap";
}

TEST(ClaimsAssumptionSpace, ShareOfPointsAndScenario) {
  // At each point, flat organizations' solve rate is control + noise: the claim "above
  // 0.5" holds where control is well above 0.5, fails well below, and the others (aligned,
  // hero_boost) do not matter.
  const test::PlannedExperiment e(
      lhs(claim("high", "flat organizations solve more than half", "above", "solve_rate",
                {kFlat, "value = 0.5", "assumption_space = true"}),
          300, 100),
      "l.toml");
  const auto& [x, plan] = e;
  const auto control = model::find_parameter(x.model->parameters(), "control");
  const SyntheticData data(100, [&](const std::string&, std::uint64_t cell, std::uint64_t j) {
    return plan.cells()[cell].values[control] + 0.2 * (noise(j, 7) - 0.5) +
           0.1 * (noise(cell, j) - 0.5);
  });
  const auto report = claims::build_report(plan, claims::parse_claims(x), data);
  ASSERT_EQ(report.spaces.size(), 1u);
  const auto& s = report.spaces[0];
  ASSERT_EQ(s.parameters,
            (std::vector<std::string>{"aligned", "control", "hero_boost"}));  // ranges by name
  ASSERT_EQ(s.verdicts.size(), 300u);
  EXPECT_NEAR(s.share_supported, 0.45, 0.06);
  EXPECT_NEAR(s.share_not_supported, 0.45, 0.06);
  EXPECT_NEAR(s.share_supported + s.share_not_supported + s.share_inconclusive, 1.0, 1e-12);
  EXPECT_FALSE(s.scenario.restricted[0]);
  EXPECT_TRUE(s.scenario.restricted[1]);
  EXPECT_FALSE(s.scenario.restricted[2]);
  EXPECT_NEAR(s.scenario.low[1], 0.53, 0.05);
  EXPECT_GT(s.scenario.density, 0.95);
  EXPECT_GT(s.scenario.coverage, 0.9);
}

TEST(ClaimsAssumptionSpace, NeedsASampledDesignAndASampleClaim) {
  EXPECT_THROW(
      claims::parse_claims(design::parse_experiment(
          factorial(claim_x("above", "solve_rate", {"value=0.5", "assumption_space=true"}), 10),
          "e.toml")),
      InputError);
  EXPECT_THROW(claims::parse_claims(design::parse_experiment(
                   lhs(claim_x("variance_share_above", "solve_rate",
                               {"value=0", R"(factors_a=["control"])", "assumption_space=true"}),
                       10, 10),
                   "l.toml")),
               InputError);
}

TEST(ClaimsStudy, SeveralFilesFormOneHolmFamily) {
  test::TempDir dir;
  const std::string claims =
      claim("solves", "organizations solve something", "above", "solve_rate", {"value = 0.0"}) +
      claim("close", "solve rate of flat and hierarchy within 0.5", "equivalent", "solve_rate",
            {kFlat, kHierarchy, "value = 0.5", "paired = true"});
  for (const char* name : {"a", "b"}) {
    test::write_file(dir / (std::string(name) + ".toml"), test::small_experiment("", 30) + claims);
    const auto r = test::run_tribe("run " + (dir / (std::string(name) + ".toml")).string() +
                                   " -o " + (dir / (std::string(name) + ".h5")).string() +
                                   " --quiet" + (name[0] == 'b' ? " --seed 8" : ""));
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  const auto one = test::run_tribe("report " + (dir / "a.h5").string());
  ASSERT_EQ(one.exit_code, 0) << one.output;
  EXPECT_NE(one.output.find("family: the 2 claims of experiment small"), std::string::npos)
      << one.output;
  const auto study =
      test::run_tribe("report " + (dir / "a.h5").string() + " " + (dir / "b.h5").string());
  ASSERT_EQ(study.exit_code, 0) << study.output;
  EXPECT_NE(study.output.find("Study: 2 result files, 4 claims"), std::string::npos)
      << study.output;
  EXPECT_NE(study.output.find("family: study of 2 files, 4 claims"), std::string::npos)
      << study.output;
  const auto md = test::run_tribe("report --format markdown " + (dir / "a.h5").string() + " " +
                                  (dir / "b.h5").string());
  ASSERT_EQ(md.exit_code, 0) << md.output;
  EXPECT_NE(md.output.find("# Study"), std::string::npos);
  const auto missing =
      test::run_tribe("report " + (dir / "a.h5").string() + " " + (dir / "nope.h5").string());
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.output.find("tribe: error:"), std::string::npos);
}

}  // namespace

namespace {

TEST(ClaimsEvidence, TheReportSaysWhyAClaimIsInconclusive) {
  // No challenges arrive: solve_rate is NaN in every organization.
  tribe::test::TempDir dir;
  tribe::test::write_file(dir / "e.toml",
                          tribe::test::small_experiment("arrival_rate = 0.0\n", 10) +
                              claim("solves", "organizations solve most challenges", "above",
                                    "solve_rate", {"value = 0.5"}));
  const auto run = tribe::test::run_tribe("run " + (dir / "e.toml").string() + " -o " +
                                          (dir / "e.h5").string() + " --quiet");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto report = tribe::test::run_tribe("report " + (dir / "e.h5").string());
  ASSERT_EQ(report.exit_code, 0) << report.output;
  EXPECT_NE(report.output.find("verdict:    inconclusive: no data: n = 0"), std::string::npos)
      << report.output;
  const auto md = tribe::test::run_tribe("report --format markdown " + (dir / "e.h5").string());
  EXPECT_NE(md.output.find("**inconclusive** (no data"), std::string::npos) << md.output;
}

}  // namespace

namespace {

// Breadth and centralization uniform on [0, 1) and independent, so that
// "distributed_network" (breadth >= dl_breadth and centralization <= dl_centralization,
// the leadership model's two-threshold classification of models 2-4) has probability
// (1 - dl_breadth) dl_centralization: 0.25 at the defaults (0.5, 0.5).
SyntheticData uniform_leadership() {
  return SyntheticData(2000, [](const std::string& column, std::uint64_t cell, std::uint64_t j) {
    const double breadth = noise(cell * 7 + 1, j), centralization = noise(cell * 7 + 2, j);
    if (column == "leadership_breadth") return breadth;
    if (column == "leadership_centralization") return centralization;
    if (column == "distributed_network") return breadth >= 0.5 && centralization <= 0.5 ? 1.0 : 0.0;
    return noise(cell * 7 + 3, j);
  });
}

}  // namespace

TEST(ClaimsRobustness, CurvesFollowTheThresholdsAndDoNotDependOnTheCacheBudget) {
  const test::PlannedExperiment e(
      factorial(
          "[report]\nrobustness_offsets = [-0.1, 0.0, 0.1]\nthreshold_points = 11\n" +
              claim("some-distributed", "more than a fifth of flat organizations are distributed",
                    "above", "distributed_network", {kFlat, "value = 0.2"}) +
              claim("not-threshold-dependent", "solve rate above 0.4", "above", "solve_rate",
                    {kFlat, "value = 0.4"}),
          2000),
      "e.toml");
  const auto& [x, plan] = e;
  const auto specs = claims::parse_claims(x);
  const auto data = uniform_leadership();
  // The default budget keeps everything; a budget of 0 keeps nothing and reads (and
  // derives) again at each use: the same report either way.
  const auto kept = claims::build_report(plan, specs, data);
  const auto reread = claims::build_report(plan, specs, data, 0);
  ASSERT_EQ(kept.curves.size(), 2u);  // dl_breadth, dl_centralization
  ASSERT_EQ(reread.curves.size(), kept.curves.size());
  for (std::size_t t = 0; t < kept.curves.size(); ++t) {
    EXPECT_EQ(kept.curves[t].values, reread.curves[t].values);
    EXPECT_EQ(kept.curves[t].verdicts, reread.curves[t].verdicts);
    EXPECT_EQ(kept.curves[t].estimates, reread.curves[t].estimates);
  }
  EXPECT_EQ(kept.robustness.verdicts, reread.robustness.verdicts);
  EXPECT_EQ(kept.robustness.share[0], reread.robustness.share[0]);
  // The curves follow the thresholds: P(distributed) = (1 - b) c.
  const auto& breadth = kept.curves[0].threshold == "dl_breadth" ? kept.curves[0] : kept.curves[1];
  ASSERT_EQ(breadth.values.size(), 11u);
  EXPECT_EQ(breadth.verdicts.front()[0], Verdict::Supported);    // b = 0: 0.5 > 0.2
  EXPECT_EQ(breadth.verdicts.back()[0], Verdict::NotSupported);  // b = 1: 0 < 0.2
  EXPECT_NEAR(breadth.estimates.front()[0], 0.5, 0.03);
  EXPECT_NEAR(breadth.estimates[2][0], 0.4, 0.03);  // b = 0.2
  // The claim on another column has one verdict at every threshold setting.
  for (const auto& v : breadth.verdicts) EXPECT_EQ(v[1], kept.results[1].verdict);
  EXPECT_TRUE(std::isnan(kept.robustness.share[1]));  // threshold-independent
  EXPECT_TRUE(std::isnan(reread.robustness.share[1]));
}

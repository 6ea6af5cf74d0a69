// Claims as data: parsing, evaluation and verdicts on synthetic per-organization data,
// including claims that must come out "not supported" and "inconclusive".
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "../support/claims_support.hpp"
#include "claim_builders.hpp"
#include "tribe/claims/evaluate.hpp"
#include "tribe/claims/parse.hpp"
#include "tribe/core/error.hpp"
#include "tribe/design/experiment.hpp"
#include "tribe/design/plan.hpp"
#include "tribe/stats/intervals.hpp"

namespace {

using namespace tribe;
using claims::Verdict;

using test::claim;
using test::claim_x;
using test::SyntheticData;

std::string experiment(const std::string& claims, std::uint64_t per_cell = 1000) {
  return test::leadership_factorial("c", claims, per_cell);
}

// Cells (control, structure): 0 = (0.1, flat), 1 = (0.1, hierarchy), 2 = (0.9, flat), 3 = (0.9,
// hierarchy). "distributed" holds with rates 0.60, 0.58, 0.10, 0.30: a deterministic pattern with
// exactly that share of ones in every cell.
double rate_of(std::uint64_t cell) {
  return std::array<double, 4>{0.60, 0.58, 0.10, 0.30}[cell];
}
double pattern(const std::string& column, std::uint64_t cell, std::uint64_t j) {
  if (column == "distributed")
    return (j % 100) < static_cast<std::uint64_t>(std::llround(rate_of(cell) * 100)) ? 1.0 : 0.0;
  if (column == "solve_rate")
    return 0.5 + 0.1 * static_cast<double>(cell) + 0.01 * static_cast<double>(j % 7);
  return 0.0;
}

TEST(ClaimsEvaluate, VerdictsSupportedNotSupportedAndInconclusive) {
  const std::string flat_low = R"(a = { structure = "flat", control = 0.1 })";
  const test::PlannedExperiment e(
      experiment(
          claim("flat-controlled-low", "flat with high control rarely distributes", "below",
                "distributed", {R"(a = { structure = "flat", control = 0.9 })", "value = 0.5"}) +
          claim("fails", "flat with low control rarely distributes (false in this data)", "below",
                "distributed", {flat_low, "value = 0.5"}) +
          claim("close-call",
                "hierarchy with low control distributes more than 58% of the time (exactly 58%: "
                "undecidable)",
                "above", "distributed",
                {R"(a = { structure = "hierarchy", control = 0.1 })", "value = 0.58"}) +
          claim("control-lowers", "control lowers the rate in flat organizations",
                "difference_above", "distributed",
                {flat_low, R"(b = { structure = "flat", control = 0.9 })", "value = 0.2"}) +
          claim("near", "hierarchy is near flat at low control", "equivalent", "distributed",
                {R"(a = { structure = "hierarchy", control = 0.1 })",
                 R"(b = { structure = "flat", control = 0.1 })", "value = 0.1", "paired = true"}) +
          claim("means", "solve rate higher in hierarchies (all cells pooled)", "difference_above",
                "solve_rate",
                {R"(a = { structure = "hierarchy" })", R"(b = { structure = "flat" })",
                 "value = 0.0"})),
      "c.toml");
  const auto r = e.evaluate(SyntheticData(1000, pattern));
  ASSERT_EQ(r.size(), 6u);
  EXPECT_EQ(r[0].verdict, Verdict::Supported);
  EXPECT_DOUBLE_EQ(r[0].estimate, 0.10);
  const auto w = stats::wilson(100, 1000, 0.95);
  EXPECT_DOUBLE_EQ(r[0].low, w.low);
  EXPECT_DOUBLE_EQ(r[0].high, w.high);
  EXPECT_EQ(r[1].verdict, Verdict::NotSupported);
  EXPECT_EQ(r[2].verdict, Verdict::Inconclusive);
  EXPECT_NEAR(r[2].p_claim, 0.5, 1e-6);
  EXPECT_EQ(r[3].verdict, Verdict::Supported);
  EXPECT_DOUBLE_EQ(r[3].estimate, 0.5);
  // Unpaired cells that share organizations (common random numbers): the interval allows
  // for their correlation, here positive (organization k has the same pattern in every
  // cell), so it is narrower than Newcombe's interval for independent samples.
  const auto nd = stats::newcombe_difference(600, 1000, 100, 1000, 0.95);
  EXPECT_NE(r[3].method.find("cluster-robust"), std::string::npos) << r[3].method;
  EXPECT_GT(r[3].low, nd.low);
  EXPECT_LT(r[3].low, r[3].estimate);
  EXPECT_EQ(r[4].verdict, Verdict::Supported);
  EXPECT_NEAR(r[4].estimate, -0.02, 1e-12);
  EXPECT_EQ(r[4].n_a, 1000u);
  EXPECT_EQ(r[5].verdict, Verdict::Supported);
  EXPECT_NEAR(r[5].estimate, 0.1, 1e-9);
  // Holm: adjusted p-values are never below the raw ones.
  for (const auto& c : r) {
    EXPECT_GE(c.p_claim_holm, c.p_claim);
    EXPECT_GE(c.p_opposite_holm, c.p_opposite);
  }
}

TEST(ClaimsEvaluate, VarianceShareSeparatesFactorsFromNoise) {
  // solve_rate depends strongly on control and weakly on structure.
  const std::initializer_list<std::string> structure_vs_control = {
      R"(factors_a = ["structure"])", R"(factors_b = ["control"])", "value = 0.0"};
  const test::PlannedExperiment e(
      experiment(claim("structure-smaller", "structure explains less variance than control",
                       "variance_share_below", "solve_rate", structure_vs_control) +
                     claim("structure-dominates",
                           "structure explains more variance than control (false here)",
                           "variance_share_above", "solve_rate", structure_vs_control),
                 200),
      "c.toml");
  const auto& plan = e.plan;
  const SyntheticData data(200, [](const std::string&, std::uint64_t cell, std::uint64_t j) {
    const double control = cell >= 2 ? 1.0 : 0.0, hierarchy = cell % 2;
    return 0.5 * control + 0.05 * hierarchy + 0.1 * std::sin(static_cast<double>(j) * 12.9898);
  });
  const auto r = e.evaluate(data);
  EXPECT_EQ(r[0].verdict, Verdict::Supported);
  EXPECT_EQ(r[1].verdict, Verdict::NotSupported);
  EXPECT_LT(r[0].estimate, -0.5);
  const auto shares = claims::variance_shares(plan, data, "solve_rate");
  ASSERT_EQ(shares.names, (std::vector<std::string>{"control", "structure"}));
  EXPECT_GT(shares.eta_squared[0], 0.8);
  EXPECT_LT(shares.eta_squared[1], 0.05);
}

TEST(ClaimsParse, RejectsBadClaims) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {claim_x("bigger", "distributed", {"value=0.5"}), "claims.x.test"},
      {claim_x("above", "nope", {"value=0.5"}), "claims.x.column"},
      {claim_x("above", "distributed", {}), "claims.x.value"},
      {claim_x("above", "distributed", {"value=0.5", R"(a={ structure="matrix" })"}),
       "claims.x.a.structure"},
      {claim_x("above", "distributed", {"value=0.5", "a={ colour=1 }"}), "claims.x.a.colour"},
      {claim_x("difference_above", "distributed", {"value=0.5"}), "claims.x.b"},
      {claim_x("equivalent", "distributed", {"value=0", "b={}"}), "margin"},
      {claim_x("above", "distributed", {"value=0.5", "size=3"}), "unknown key claims[0].size"},
      {claim_x("above", "distributed", {"value=0.5"}) +
           claim_x("above", "distributed", {"value=0.5"}),
       "used twice"},
      {claim_x("variance_share_above", "distributed", {"value=0", R"(factors_a=["span"])"}),
       "claims.x.factors_a"},
  };
  for (const auto& [text, expect] : cases) {
    SCOPED_TRACE(text);
    try {
      claims::parse_claims(design::parse_experiment(experiment(text), "c.toml"));
      ADD_FAILURE() << "accepted";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(expect), std::string::npos) << e.what();
    }
  }
}

}  // namespace

namespace {

std::string crn_experiment(const std::string& claims, std::uint64_t per_cell = 1000) {
  auto text = experiment(claims, per_cell);
  text.replace(text.find("seed = 3\n"), 9, "seed = 3\ncommon_random_numbers = true\n");
  return text;
}

double noise(std::uint64_t cell, std::uint64_t j) {
  return 0.05 * std::sin(static_cast<double>(j * 4 + cell) * 12.9898);
}

// Cells (control, structure): 0 = (0.1, flat), 1 = (0.1, hierarchy), 2 = (0.9, flat),
// 3 = (0.9, hierarchy). Signs of the control x structure contrast: + - - +.
TEST(ClaimsInteraction, TwoWayContrastEstimatesTheInteraction) {
  const std::string both = R"(interaction = ["control", "structure"])";
  const test::PlannedExperiment e(
      crn_experiment(claim("synergy", "control and structure interact", "interaction_above",
                           "solve_rate", {both, "value = 0.1"}) +
                     claim("no-synergy", "additive effects have no interaction",
                           "interaction_above", "queue_mean", {both, "value = 0.05"})),
      "c.toml");
  const std::array<double, 4> interacting{0.2, 0.3, 0.4, 0.9}, additive{0.2, 0.3, 0.4, 0.5};
  const SyntheticData data(
      1000, [&](const std::string& column, std::uint64_t cell, std::uint64_t j) {
        return (column == "solve_rate" ? interacting : additive)[cell] + noise(cell, j);
      });
  const auto r = e.evaluate(data);
  ASSERT_EQ(r.size(), 2u);
  // (0.2 - 0.3 - 0.4 + 0.9) / 2 = 0.2, plus the mean of the organizations' noise contrasts.
  double expected = 0;
  for (std::uint64_t j = 0; j < 1000; ++j)
    expected += 0.2 + (noise(0, j) - noise(1, j) - noise(2, j) + noise(3, j)) / 2;
  EXPECT_NEAR(r[0].estimate, expected / 1000, 1e-12);
  EXPECT_EQ(r[0].n_a, 1000u);
  EXPECT_EQ(r[0].verdict, Verdict::Supported);
  EXPECT_NEAR(r[1].estimate, 0.0, 0.01);
  EXPECT_EQ(r[1].verdict, Verdict::NotSupported);
}

TEST(ClaimsCorrelation, WithinCellRankCorrelation) {
  const test::PlannedExperiment e(
      crn_experiment(claim("together", "queues go with solving", "correlation_above", "solve_rate",
                           {R"(with = "queue_mean")", "value = 0.5"}) +
                     claim("unrelated", "blame goes with solving (it does not here)",
                           "correlation_above", "solve_rate",
                           {R"(with = "blame_per_challenge")", "value = 0.1"})),
      "c.toml");
  const SyntheticData data(1000, [](const std::string& column, std::uint64_t cell,
                                    std::uint64_t j) {
    const double base = std::sin(static_cast<double>(j) * 7.31);  // the organization's own level
    if (column == "solve_rate") return base + static_cast<double>(cell);
    if (column == "queue_mean")
      return base + 0.01 * std::sin(static_cast<double>(j) * 3.7) - static_cast<double>(cell);
    return std::sin(static_cast<double>(j) * 1.618 * 1.618 + 0.5);
  });
  const auto r = e.evaluate(data);
  EXPECT_GT(r[0].estimate, 0.95);  // monotone within every cell, whatever the cells' levels
  EXPECT_EQ(r[0].verdict, Verdict::Supported);
  EXPECT_EQ(r[0].n_b, 4u);
  EXPECT_LT(std::abs(r[1].estimate), 0.1);
  EXPECT_NE(r[1].verdict, Verdict::Supported);
}

TEST(ClaimsSweep, ASweptClaimIsOneClaimPerLevel) {
  const test::PlannedExperiment e(
      crn_experiment(claim("flat-lower", "flat lower", "difference_below", "solve_rate",
                           {R"(a = { structure = "flat" })", R"(b = { structure = "hierarchy" })",
                            "value = -0.05", "paired = true", R"(sweep = "control")"})),
      "c.toml");
  const auto specs = claims::parse_claims(e.x);
  ASSERT_EQ(specs.size(), 2u);
  EXPECT_EQ(specs[0].id, "flat-lower@control=0.1");
  EXPECT_EQ(specs[1].id, "flat-lower@control=0.9");
  EXPECT_EQ(specs[1].sweep_of, "flat-lower");
  EXPECT_EQ(specs[1].sweep_level, "0.9");
  EXPECT_EQ(specs[1].a.text, "structure=flat control=0.9");
  const auto r = e.evaluate(SyntheticData(1000, pattern));
  // solve_rate = 0.5 + 0.1 cell + ...: flat - hierarchy = -0.1 at both control levels.
  EXPECT_NEAR(r[0].estimate, -0.1, 1e-12);
  EXPECT_NEAR(r[1].estimate, -0.1, 1e-12);
  EXPECT_EQ(r[0].verdict, Verdict::Supported);
}

TEST(ClaimsParse, NewTestKindsRefuseWhatTheyCannotUse) {
  const std::string interaction = "interaction_above";
  const std::pair<std::string, std::string> cases[] = {
      {claim_x(interaction, "solve_rate", {"value=0.1"}), "claims.x.interaction"},
      {claim_x(interaction, "solve_rate", {"value=0.1", R"(interaction=["control"])"}), "2 or 3"},
      {claim_x(interaction, "solve_rate",
               {"value=0.1", R"(interaction=["control","structure"])", "a={control=0.1}"}),
       "must not restrict"},
      {claim_x("correlation_above", "solve_rate", {"value=0.1"}), "claims[0].with"},
      {claim_x("above", "solve_rate", {"value=0.1", R"(with="queue_mean")"}),
       "only used by correlation"},
      {claim_x("above", "solve_rate", {"value=0.1", R"(sweep="colour")"}), "claims.x.sweep"},
      {claim_x("above", "solve_rate", {"value=0.1", R"(sweep="control")", "a={control=0.1}"}),
       "must not restrict the swept factor"},
  };
  for (const auto& [claims_text, expected] : cases) {
    try {
      claims::parse_claims(design::parse_experiment(crn_experiment(claims_text), "c.toml"));
      ADD_FAILURE() << "accepted: " << claims_text;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
    }
  }
}

}  // namespace

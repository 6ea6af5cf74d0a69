// Claims as data: parsing, evaluation and verdicts on synthetic per-organization data,
// including claims that must come out "not supported" and "inconclusive".
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "../support/claims_support.hpp"
#include "tribe/claims/evaluate.hpp"
#include "tribe/claims/parse.hpp"
#include "tribe/core/error.hpp"
#include "tribe/design/experiment.hpp"
#include "tribe/design/plan.hpp"
#include "tribe/stats/intervals.hpp"

namespace {

using namespace tribe;
using claims::Verdict;

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
  const auto x = design::parse_experiment(experiment(R"T(
[[claims]]
id = "flat-controlled-low"
statement = "flat with high control rarely distributes"
test = "below"
column = "distributed"
a = { structure = "flat", control = 0.9 }
value = 0.5

[[claims]]
id = "fails"
statement = "flat with low control rarely distributes (false in this data)"
test = "below"
column = "distributed"
a = { structure = "flat", control = 0.1 }
value = 0.5

[[claims]]
id = "close-call"
statement = "hierarchy with low control distributes more than 58% of the time (exactly 58%: undecidable)"
test = "above"
column = "distributed"
a = { structure = "hierarchy", control = 0.1 }
value = 0.58

[[claims]]
id = "control-lowers"
statement = "control lowers the rate in flat organizations"
test = "difference_above"
column = "distributed"
a = { structure = "flat", control = 0.1 }
b = { structure = "flat", control = 0.9 }
value = 0.2

[[claims]]
id = "near"
statement = "hierarchy is near flat at low control"
test = "equivalent"
column = "distributed"
a = { structure = "hierarchy", control = 0.1 }
b = { structure = "flat", control = 0.1 }
value = 0.1
paired = true

[[claims]]
id = "means"
statement = "solve rate higher in hierarchies (all cells pooled)"
test = "difference_above"
column = "solve_rate"
a = { structure = "hierarchy" }
b = { structure = "flat" }
value = 0.0
)T"),
                                          "c.toml");
  const design::RunPlan plan(x, x.organizations_per_cell);
  const SyntheticData data(1000, pattern);
  const auto r = claims::evaluate(plan, claims::parse_claims(x), data);
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
  const auto x = design::parse_experiment(experiment(R"T(
[[claims]]
id = "structure-smaller"
statement = "structure explains less variance than control"
test = "variance_share_below"
column = "solve_rate"
factors_a = ["structure"]
factors_b = ["control"]
value = 0.0

[[claims]]
id = "structure-dominates"
statement = "structure explains more variance than control (false here)"
test = "variance_share_above"
column = "solve_rate"
factors_a = ["structure"]
factors_b = ["control"]
value = 0.0
)T",
                                                     200),
                                          "c.toml");
  const design::RunPlan plan(x, x.organizations_per_cell);
  const SyntheticData data(200, [](const std::string&, std::uint64_t cell, std::uint64_t j) {
    const double control = cell >= 2 ? 1.0 : 0.0, hierarchy = cell % 2;
    return 0.5 * control + 0.05 * hierarchy + 0.1 * std::sin(static_cast<double>(j) * 12.9898);
  });
  const auto r = claims::evaluate(plan, claims::parse_claims(x), data);
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
      {"[[claims]]\nid=\"x\"\nstatement=\"s\"\ntest=\"bigger\"\ncolumn=\"distributed\"\nvalue=0."
       "5\n",
       "claims.x.test"},
      {"[[claims]]\nid=\"x\"\nstatement=\"s\"\ntest=\"above\"\ncolumn=\"nope\"\nvalue=0.5\n",
       "claims.x.column"},
      {"[[claims]]\nid=\"x\"\nstatement=\"s\"\ntest=\"above\"\ncolumn=\"distributed\"\n",
       "claims.x.value"},
      {"[[claims]]\nid=\"x\"\nstatement=\"s\"\ntest=\"above\"\ncolumn=\"distributed\"\nvalue=0."
       "5\na={ structure=\"matrix\" }\n",
       "claims.x.a.structure"},
      {"[[claims]]\nid=\"x\"\nstatement=\"s\"\ntest=\"above\"\ncolumn=\"distributed\"\nvalue=0."
       "5\na={ colour=1 }\n",
       "claims.x.a.colour"},
      {"[[claims]]\nid=\"x\"\nstatement=\"s\"\ntest=\"difference_above\"\ncolumn="
       "\"distributed\"\nvalue=0.5\n",
       "claims.x.b"},
      {"[[claims]]\nid=\"x\"\nstatement=\"s\"\ntest=\"equivalent\"\ncolumn=\"distributed\"\nvalue="
       "0\nb={}\n",
       "margin"},
      {"[[claims]]\nid=\"x\"\nstatement=\"s\"\ntest=\"above\"\ncolumn=\"distributed\"\nvalue=0."
       "5\nsize=3\n",
       "unknown key claims[0].size"},
      {"[[claims]]\nid=\"x\"\nstatement=\"s\"\ntest=\"above\"\ncolumn=\"distributed\"\nvalue=0.5\n"
       "[[claims]]\nid=\"x\"\nstatement=\"s\"\ntest=\"above\"\ncolumn=\"distributed\"\nvalue=0.5\n",
       "used twice"},
      {"[[claims]]\nid=\"x\"\nstatement=\"s\"\ntest=\"variance_share_above\"\ncolumn="
       "\"distributed\"\nvalue=0\nfactors_a=[\"span\"]\n",
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
  const auto x = design::parse_experiment(crn_experiment(R"T(
[[claims]]
id = "synergy"
statement = "control and structure interact"
test = "interaction_above"
interaction = ["control", "structure"]
column = "solve_rate"
value = 0.1

[[claims]]
id = "no-synergy"
statement = "additive effects have no interaction"
test = "interaction_above"
interaction = ["control", "structure"]
column = "queue_mean"
value = 0.05
)T"),
                                          "c.toml");
  const design::RunPlan plan(x, x.organizations_per_cell);
  const std::array<double, 4> interacting{0.2, 0.3, 0.4, 0.9}, additive{0.2, 0.3, 0.4, 0.5};
  const SyntheticData data(
      1000, [&](const std::string& column, std::uint64_t cell, std::uint64_t j) {
        return (column == "solve_rate" ? interacting : additive)[cell] + noise(cell, j);
      });
  const auto r = claims::evaluate(plan, claims::parse_claims(x), data);
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
  const auto x = design::parse_experiment(crn_experiment(R"T(
[[claims]]
id = "together"
statement = "queues go with solving"
test = "correlation_above"
column = "solve_rate"
with = "queue_mean"
value = 0.5

[[claims]]
id = "unrelated"
statement = "blame goes with solving (it does not here)"
test = "correlation_above"
column = "solve_rate"
with = "blame_per_challenge"
value = 0.1
)T"),
                                          "c.toml");
  const design::RunPlan plan(x, x.organizations_per_cell);
  const SyntheticData data(1000, [](const std::string& column, std::uint64_t cell,
                                    std::uint64_t j) {
    const double base = std::sin(static_cast<double>(j) * 7.31);  // the organization's own level
    if (column == "solve_rate") return base + static_cast<double>(cell);
    if (column == "queue_mean")
      return base + 0.01 * std::sin(static_cast<double>(j) * 3.7) - static_cast<double>(cell);
    return std::sin(static_cast<double>(j) * 1.618 * 1.618 + 0.5);
  });
  const auto r = claims::evaluate(plan, claims::parse_claims(x), data);
  EXPECT_GT(r[0].estimate, 0.95);  // monotone within every cell, whatever the cells' levels
  EXPECT_EQ(r[0].verdict, Verdict::Supported);
  EXPECT_EQ(r[0].n_b, 4u);
  EXPECT_LT(std::abs(r[1].estimate), 0.1);
  EXPECT_NE(r[1].verdict, Verdict::Supported);
}

TEST(ClaimsSweep, ASweptClaimIsOneClaimPerLevel) {
  const auto x = design::parse_experiment(crn_experiment(R"T(
[[claims]]
id = "flat-lower"
statement = "flat lower"
test = "difference_below"
column = "solve_rate"
a = { structure = "flat" }
b = { structure = "hierarchy" }
value = -0.05
paired = true
sweep = "control"
)T"),
                                          "c.toml");
  const auto specs = claims::parse_claims(x);
  ASSERT_EQ(specs.size(), 2u);
  EXPECT_EQ(specs[0].id, "flat-lower@control=0.1");
  EXPECT_EQ(specs[1].id, "flat-lower@control=0.9");
  EXPECT_EQ(specs[1].sweep_of, "flat-lower");
  EXPECT_EQ(specs[1].sweep_level, "0.9");
  EXPECT_EQ(specs[1].a.text, "structure=flat control=0.9");
  const design::RunPlan plan(x, x.organizations_per_cell);
  const SyntheticData data(1000, pattern);
  const auto r = claims::evaluate(plan, claims::parse_claims(x), data);
  // solve_rate = 0.5 + 0.1 cell + ...: flat - hierarchy = -0.1 at both control levels.
  EXPECT_NEAR(r[0].estimate, -0.1, 1e-12);
  EXPECT_NEAR(r[1].estimate, -0.1, 1e-12);
  EXPECT_EQ(r[0].verdict, Verdict::Supported);
}

TEST(ClaimsParse, NewTestKindsRefuseWhatTheyCannotUse) {
  const std::pair<std::string, std::string> cases[] = {
      {"[[claims]]\nid=\"x\"\nstatement=\"s\"\ntest=\"interaction_above\"\ncolumn=\"solve_"
       "rate\"\nvalue=0.1\n",
       "claims.x.interaction"},
      {"[[claims]]\nid=\"x\"\nstatement=\"s\"\ntest=\"interaction_above\"\ncolumn=\"solve_"
       "rate\"\nvalue=0.1\n"
       "interaction=[\"control\"]\n",
       "2 or 3"},
      {"[[claims]]\nid=\"x\"\nstatement=\"s\"\ntest=\"interaction_above\"\ncolumn=\"solve_"
       "rate\"\nvalue=0.1\n"
       "interaction=[\"control\",\"structure\"]\na={control=0.1}\n",
       "must not restrict"},
      {"[[claims]]\nid=\"x\"\nstatement=\"s\"\ntest=\"correlation_above\"\ncolumn=\"solve_"
       "rate\"\nvalue=0.1\n",
       "claims[0].with"},
      {"[[claims]]\nid=\"x\"\nstatement=\"s\"\ntest=\"above\"\ncolumn=\"solve_rate\"\nvalue=0."
       "1\nwith=\"queue_mean\"\n",
       "only used by correlation"},
      {"[[claims]]\nid=\"x\"\nstatement=\"s\"\ntest=\"above\"\ncolumn=\"solve_rate\"\nvalue=0."
       "1\nsweep=\"colour\"\n",
       "claims.x.sweep"},
      {"[[claims]]\nid=\"x\"\nstatement=\"s\"\ntest=\"above\"\ncolumn=\"solve_rate\"\nvalue=0."
       "1\nsweep=\"control\"\n"
       "a={control=0.1}\n",
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

// Tests of the March (1991) mutual-learning model: each rule on small hand-built
// states (acting, socialization, the superior group, code learning and its adoption
// probability 1 - (1 - p2)^k, equilibrium), then the plug-in (determinism, validation).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "../../../tests/unit/support/model_probe.hpp"
#include "tribe/catalog/registry.hpp"
#include "tribe/core/error.hpp"
#include "tribe/models/march/march_model.hpp"
#include "tribe/rng/stream.hpp"

namespace mm = tribe::models::march;
using tribe::model::OrgContext;

namespace {

/// A state with the given reality, code and beliefs (n rows of m), rates p1 and p2.
mm::State make_state(const std::vector<int>& reality, const std::vector<int>& code,
                     const std::vector<std::vector<int>>& beliefs, double p1 = 1.0,
                     double p2 = 0.5) {
  mm::State s;
  const auto m = static_cast<std::int32_t>(reality.size());
  const auto n = static_cast<std::int32_t>(beliefs.size());
  s.resize(m, n);
  for (std::int32_t j = 0; j < m; ++j) {
    s.reality[j] = static_cast<std::int8_t>(reality[j]);
    s.code[j] = static_cast<std::int8_t>(code[j]);
  }
  for (std::int32_t i = 0; i < n; ++i) {
    s.p1[i] = p1;
    for (std::int32_t j = 0; j < m; ++j) s.belief(i, j) = static_cast<std::int8_t>(beliefs[i][j]);
  }
  mm::fill_adoption_table(p2, n, s.adopt);
  return s;
}

std::vector<int> row_of(const mm::State& s, int i) {
  std::vector<int> r;
  for (int j = 0; j < s.m; ++j) r.push_back(s.belief(i, j));
  return r;
}

/// Sets the actions (and their scores) of every individual directly.
void set_actions(mm::State& s, const std::vector<std::vector<int>>& actions) {
  for (int i = 0; i < s.n; ++i) {
    int score = 0;
    for (int j = 0; j < s.m; ++j) {
      s.actions[static_cast<std::size_t>(i) * s.m + j] = static_cast<std::int8_t>(actions[i][j]);
      score += actions[i][j] * s.reality[j];
    }
    s.scores[i] = score;
  }
}

std::size_t column(std::string_view name) {
  return tribe::test::column_index(mm::model(), name);
}

std::size_t parameter(std::string_view name) {
  return tribe::test::parameter_index(mm::model(), name);
}

std::vector<double> run_one(const tribe::model::ParameterValues& v, OrgContext ctx) {
  return tribe::test::run_row(mm::model(), v, ctx);
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

}  // namespace

// ---- acting ------------------------------------------------------------------------------------

TEST(MarchAct, ActionIsBeliefOrFairCoin) {
  const int m = 4000;
  std::vector<int> reality(m, 1), code(m, 0);
  std::vector<std::vector<int>> beliefs(2, std::vector<int>(m, 0));
  for (int j = 0; j < m; ++j) beliefs[1][j] = (j % 2 == 0) ? 1 : -1;
  auto s = make_state(reality, code, beliefs);
  tribe::rng::Stream coins(3, 99, 0);
  mm::act(s, coins);
  int plus = 0;
  for (int j = 0; j < m; ++j) {
    const int a0 = s.actions[j];
    ASSERT_TRUE(a0 == 1 || a0 == -1);
    plus += a0 == 1;
    EXPECT_EQ(s.actions[m + j], beliefs[1][j]);  // a non-zero belief is the action
  }
  EXPECT_NEAR(plus, m / 2, 4 * std::sqrt(m * 0.25));  // coins are fair
  EXPECT_EQ(s.scores[0], 2 * plus - m);
  EXPECT_EQ(s.scores[1], 0);
}

// ---- socialization -----------------------------------------------------------------------------

TEST(MarchSocialization, OneStepTowardNonZeroCodeOnly) {
  // code: +1, -1, 0. With p1 = 1 every eligible belief moves exactly one step.
  auto s = make_state({1, 1, 1}, {1, -1, 0}, {{-1, 1, 1}, {0, 0, -1}, {1, -1, 0}});
  tribe::rng::Stream draws(1, 2, 3);
  EXPECT_EQ(mm::socialize(s, draws), 4);
  EXPECT_EQ(row_of(s, 0), (std::vector<int>{0, 0, 1}));    // -1 -> 0, +1 -> 0, code 0: kept
  EXPECT_EQ(row_of(s, 1), (std::vector<int>{1, -1, -1}));  // 0 -> code
  EXPECT_EQ(row_of(s, 2), (std::vector<int>{1, -1, 0}));   // equal to the code: kept
  EXPECT_EQ(mm::socialize(s, draws), 2);
  EXPECT_EQ(row_of(s, 0), (std::vector<int>{1, -1, 1}));
  EXPECT_EQ(mm::socialize(s, draws), 0);                    // nothing left to learn
  EXPECT_EQ(s.code, (std::vector<std::int8_t>{1, -1, 0}));  // socialization never moves the code
}

TEST(MarchSocialization, ZeroRateChangesNothing) {
  auto s = make_state({1, -1}, {1, -1}, {{-1, 1}, {0, 0}}, /*p1=*/0.0);
  tribe::rng::Stream draws(1, 2, 3);
  EXPECT_EQ(mm::socialize(s, draws), 0);
  EXPECT_EQ(row_of(s, 0), (std::vector<int>{-1, 1}));
}

TEST(MarchSocialization, RateIsP1PerEligibleBelief) {
  const int n = 20000;
  const double p1 = 0.3;
  auto s = make_state({1}, {1}, std::vector<std::vector<int>>(n, {0}), p1);
  tribe::rng::Stream draws(5, 6, 7);
  const int changed = mm::socialize(s, draws);
  EXPECT_NEAR(changed, n * p1, 4 * std::sqrt(n * p1 * (1 - p1)));
}

TEST(MarchSocialization, FastLearnersAreRoundedShare) {
  mm::Config c;
  c.individuals = 50;
  c.fast_share = 0.3;
  EXPECT_EQ(c.fast_count(), 15);
  c.p1 = 0.1;
  c.p1_fast = 0.9;
  EXPECT_EQ(c.p1_of(14), 0.9);
  EXPECT_EQ(c.p1_of(15), 0.1);
  c.fast_share = 1.0;
  EXPECT_EQ(c.fast_count(), 50);
}

// ---- the superior group ------------------------------------------------------------------------

TEST(MarchSuperiorGroup, HandBuilt) {
  // reality (+1,-1,+1,+1), code (+1,0,0,0): code score 1. No 0 beliefs, so actions = beliefs.
  auto s = make_state({1, -1, 1, 1}, {1, 0, 0, 0},
                      {{1, -1, 1, 1},    // score 4: superior
                       {1, 1, -1, 1},    // 0
                       {1, -1, -1, -1},  // 0
                       {-1, -1, 1, 1},   // 2: superior
                       {1, 1, 1, -1}});  // 0... (1 - 1 + 1 - 1)
  tribe::rng::Stream coins(1, 1, 1);
  mm::act(s, coins);
  EXPECT_EQ(mm::code_score(s), 1);
  EXPECT_EQ(s.scores, (std::vector<std::int32_t>{4, 0, 0, 2, 0}));
  EXPECT_EQ(mm::superior_count(s), 2);
  // An individual equal to the code is not superior (its score is not above the code's).
  s.code = {1, -1, 1, 1};
  EXPECT_EQ(mm::superior_count(s), 0);
}

TEST(MarchCodeLearning, OnlySuperiorActionsCount) {
  // reality all +1; code (-1,1,1,1,0,0): score 2. Superior (score > 2): four with +1 and one
  // with -1 on dimension 0 (k = 3). Ten inferior individuals with -1 on dimension 0 would
  // turn the majority if they were counted. p2 = 1: adoption certain for k >= 1.
  std::vector<std::vector<int>> actions;
  for (int i = 0; i < 4; ++i) actions.push_back({1, 1, 1, 1, 1, 1});
  actions.push_back({-1, 1, 1, 1, 1, 1});
  for (int i = 0; i < 10; ++i) actions.push_back({-1, -1, -1, -1, 1, 1});
  auto s = make_state(std::vector<int>(6, 1), {-1, 1, 1, 1, 0, 0},
                      std::vector<std::vector<int>>(actions.size(), std::vector<int>(6, 0)), 1.0,
                      /*p2=*/1.0);
  set_actions(s, actions);
  EXPECT_EQ(mm::superior_count(s), 5);
  tribe::rng::Stream draws(1, 1, 1);
  EXPECT_EQ(mm::learn_code(s, draws), 3);
  EXPECT_EQ(s.code, (std::vector<std::int8_t>{1, 1, 1, 1, 1, 1}));
}

TEST(MarchCodeLearning, AdoptionProbabilityIsOneMinusOneMinusP2PowK) {
  // Same state as above with p2 = 0.3: dimension 0 has k = 4 - 1 = 3 (adopt 1 - 0.7^3),
  // dimensions 4 and 5 (code 0) k = 5 (adopt 1 - 0.7^5); dimensions 1-3 agree with the code.
  const double p2 = 0.3;
  std::vector<std::vector<int>> actions;
  for (int i = 0; i < 4; ++i) actions.push_back({1, 1, 1, 1, 1, 1});
  actions.push_back({-1, 1, 1, 1, 1, 1});
  for (int i = 0; i < 10; ++i) actions.push_back({-1, -1, -1, -1, 1, 1});
  const std::vector<int> code0 = {-1, 1, 1, 1, 0, 0};
  auto s =
      make_state(std::vector<int>(6, 1), code0,
                 std::vector<std::vector<int>>(actions.size(), std::vector<int>(6, 0)), 1.0, p2);
  set_actions(s, actions);
  const int trials = 40000;
  int changed0 = 0, changed4 = 0, changed_other = 0;
  for (int t = 0; t < trials; ++t) {
    for (int j = 0; j < 6; ++j) s.code[j] = static_cast<std::int8_t>(code0[j]);
    tribe::rng::Stream draws(11, 12, static_cast<std::uint64_t>(t));
    mm::learn_code(s, draws);
    changed0 += s.code[0] == 1;
    changed4 += s.code[4] == 1;
    changed_other += (s.code[1] != 1) + (s.code[2] != 1) + (s.code[3] != 1) + (s.code[5] == -1);
  }
  const double q3 = 1 - std::pow(1 - p2, 3), q5 = 1 - std::pow(1 - p2, 5);
  EXPECT_NEAR(static_cast<double>(changed0) / trials, q3, 4 * std::sqrt(q3 * (1 - q3) / trials));
  EXPECT_NEAR(static_cast<double>(changed4) / trials, q5, 4 * std::sqrt(q5 * (1 - q5) / trials));
  EXPECT_EQ(changed_other, 0);
  // The table itself.
  std::vector<double> adopt;
  mm::fill_adoption_table(0.5, 4, adopt);
  EXPECT_EQ(adopt, (std::vector<double>{0.0, 0.5, 0.75, 0.875, 0.9375}));
}

TEST(MarchCodeLearning, TieAndEmptyGroupChangeNothing) {
  // Two superior individuals disagree on dimension 0: a tie, even with p2 = 1.
  auto s = make_state({1, 1, 1, 1}, {0, 0, 0, 0},
                      std::vector<std::vector<int>>(3, std::vector<int>(4, 0)), 1.0, 1.0);
  set_actions(s, {{1, 1, 1, 1}, {-1, 1, 1, 1}, {-1, -1, -1, -1}});
  tribe::rng::Stream draws(1, 1, 1);
  EXPECT_EQ(mm::learn_code(s, draws), 3);
  EXPECT_EQ(s.code, (std::vector<std::int8_t>{0, 1, 1, 1}));
  // Nobody above the code (score 3): nothing changes.
  set_actions(s, {{-1, 1, 1, 1}, {1, -1, 1, 1}, {-1, -1, -1, -1}});
  EXPECT_EQ(mm::superior_count(s), 0);
  EXPECT_EQ(mm::learn_code(s, draws), 0);
  EXPECT_EQ(s.code, (std::vector<std::int8_t>{0, 1, 1, 1}));
}

TEST(MarchKnowledge, ScoreAndShareCorrectOnAHandBuiltCode) {
  // reality (+1,-1,+1,+1), code (+1,+1,0,+1): score 1 - 1 + 0 + 1 = 1 -> 1/4; two of
  // four dimensions right (a 0 is never right) -> 0.5.
  const auto s = make_state({1, -1, 1, 1}, {1, 1, 0, 1}, {{0, 0, 0, 0}});
  EXPECT_DOUBLE_EQ(mm::code_knowledge(s), 0.25);
  EXPECT_DOUBLE_EQ(mm::code_share_correct(s), 0.5);
}

// ---- the BASIC program's rules (superior_by = beliefs, code_update = step) ---------------------

TEST(MarchBasicRules, BeliefScoresNoCoinsAndZeroBeliefsDoNotVote) {
  // reality all +1, code (1, 0, 0): code score 1. Belief scores: 2, 1, 0 -- only the first
  // is superior. With actions its 0 beliefs would flip coins and could score up to 3.
  auto s = make_state({1, 1, 1}, {1, 0, 0}, {{1, 1, 0}, {1, 0, 0}, {0, 0, 0}}, 1.0, 1.0);
  tribe::rng::Stream coins(5, 5, 5);
  mm::act(s, coins, mm::SuperiorBy::beliefs);
  EXPECT_EQ(coins.draws(), 0u) << "no coin is flipped";
  EXPECT_EQ(s.scores, (std::vector<std::int32_t>{2, 1, 0}));
  EXPECT_EQ(mm::superior_count(s), 1);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      EXPECT_EQ(s.actions[static_cast<std::size_t>(i) * 3 + j], s.belief(i, j));
  // The superior individual's 0 belief on dimension 2 is no vote: a tie, nothing changes;
  // its +1 on dimension 1 moves the code (p2 = 1).
  tribe::rng::Stream draws(1, 1, 1);
  EXPECT_EQ(mm::learn_code(s, draws, mm::CodeUpdate::step), 1);
  EXPECT_EQ(s.code, (std::vector<std::int8_t>{1, 1, 0}));
}

TEST(MarchBasicRules, CodeStepsThroughZero) {
  // reality all +1; code (-1, -1, 0): score -2; two superior individuals all +1 (k = 2).
  auto s = make_state({1, 1, 1}, {-1, -1, 0}, {{0, 0, 0}, {0, 0, 0}}, 1.0, 1.0);
  set_actions(s, {{1, 1, 1}, {1, 1, 1}});
  tribe::rng::Stream d1(1, 1, 1);
  EXPECT_EQ(mm::learn_code(s, d1, mm::CodeUpdate::step), 3);
  EXPECT_EQ(s.code, (std::vector<std::int8_t>{0, 0, 1})) << "-1 steps to 0, 0 steps to +1";
  tribe::rng::Stream d2(1, 1, 2);
  EXPECT_EQ(mm::learn_code(s, d2, mm::CodeUpdate::step), 2);
  EXPECT_EQ(s.code, (std::vector<std::int8_t>{1, 1, 1}));
  // The same start with adopt jumps straight to the majority.
  s.code = {-1, -1, 0};
  tribe::rng::Stream d3(1, 1, 3);
  mm::learn_code(s, d3, mm::CodeUpdate::adopt);
  EXPECT_EQ(s.code, (std::vector<std::int8_t>{1, 1, 1}));
  // The probability of a step is still 1 - (1 - p2)^k: k = 2, p2 = 0.4 -> 0.64.
  mm::fill_adoption_table(0.4, 2, s.adopt);
  const int trials = 40000;
  int stepped = 0;
  for (int t = 0; t < trials; ++t) {
    s.code = {-1, 1, 1};
    tribe::rng::Stream d(21, 22, static_cast<std::uint64_t>(t));
    mm::learn_code(s, d, mm::CodeUpdate::step);
    ASSERT_TRUE(s.code[0] == -1 || s.code[0] == 0);
    stepped += s.code[0] == 0;
  }
  EXPECT_NEAR(static_cast<double>(stepped) / trials, 0.64, 4 * std::sqrt(0.64 * 0.36 / trials));
}

TEST(MarchBasicRules, EquilibriumMayKeepZerosInTheCodeAndIsAbsorbing) {
  // Everyone equals a code with a 0: with belief scores nobody can beat it.
  auto s = make_state({1, -1}, {1, 0}, {{1, 0}, {1, 0}});
  EXPECT_TRUE(mm::at_equilibrium(s, mm::SuperiorBy::beliefs));
  EXPECT_FALSE(mm::at_equilibrium(s, mm::SuperiorBy::actions));
  // Frozen: beliefs differ where the code is 0, but only by being wrong (score 0 < 1).
  EXPECT_TRUE(
      mm::at_equilibrium(make_state({1, -1}, {1, 0}, {{1, 1}, {1, 0}}), mm::SuperiorBy::beliefs));
  // Not frozen: a belief right where the code is 0 beats the code (score 2 > 1).
  EXPECT_FALSE(
      mm::at_equilibrium(make_state({1, -1}, {1, 0}, {{1, -1}, {1, 0}}), mm::SuperiorBy::beliefs));
  // Not frozen: a belief differs from a non-zero code (socialization still acts).
  EXPECT_FALSE(
      mm::at_equilibrium(make_state({1, -1}, {1, 0}, {{0, 0}, {1, 0}}), mm::SuperiorBy::beliefs));
  const mm::Config c{.p1 = 0.5,
                     .p2 = 0.5,
                     .superior_by = mm::SuperiorBy::beliefs,
                     .code_update = mm::CodeUpdate::step};
  mm::Result r;
  for (std::uint64_t k = 0; k < 20; ++k) {
    mm::simulate_organization(c, {7, k, 0}, s, r);
    ASSERT_TRUE(r.reached_equilibrium);
    EXPECT_TRUE(mm::at_equilibrium(s, mm::SuperiorBy::beliefs));
    tribe::rng::Stream a(1, 1, 1), b(1, 2, 1), d(1, 3, 1);
    const auto code = s.code;
    const auto beliefs = s.beliefs;
    mm::act(s, a, mm::SuperiorBy::beliefs);
    EXPECT_EQ(mm::superior_count(s), 0);
    EXPECT_EQ(mm::socialize(s, b), 0);
    EXPECT_EQ(mm::learn_code(s, d, mm::CodeUpdate::step), 0);
    EXPECT_EQ(s.code, code);
    EXPECT_EQ(s.beliefs, beliefs);
  }
}

// ---- equilibrium -------------------------------------------------------------------------------

TEST(MarchEquilibrium, Detection) {
  EXPECT_TRUE(mm::at_equilibrium(make_state({1, -1}, {1, 1}, {{1, 1}, {1, 1}})));
  // A belief differs from the code.
  EXPECT_FALSE(mm::at_equilibrium(make_state({1, -1}, {1, 1}, {{1, 1}, {1, 0}})));
  // Everyone equals the code, but the code has a 0: coin flips there can still beat it.
  EXPECT_FALSE(mm::at_equilibrium(make_state({1, -1}, {1, 0}, {{1, 0}, {1, 0}})));
}

TEST(MarchEquilibrium, RunStopsAtEquilibrium) {
  const mm::Config c{.p1 = 0.5, .p2 = 0.5};
  mm::State s;
  mm::Result r;
  for (std::uint64_t k = 0; k < 20; ++k) {
    mm::simulate_organization(c, {7, k, 0}, s, r);
    ASSERT_TRUE(r.reached_equilibrium);
    EXPECT_TRUE(mm::at_equilibrium(s));
    EXPECT_LT(r.periods, c.max_periods);
    EXPECT_EQ(r.knowledge_code_final, r.knowledge_individuals_final);  // everyone = code
    EXPECT_EQ(r.knowledge_code_final, mm::code_knowledge(s));
    // No 0 left in the code: share correct = (1 + knowledge) / 2, exactly.
    EXPECT_DOUBLE_EQ(r.code_share_correct_final, (1.0 + r.knowledge_code_final) / 2.0);
    EXPECT_GE(r.knowledge_code_final, -1.0);
    EXPECT_LE(r.knowledge_code_final, 1.0);
    // The state is absorbing: one more period changes nothing.
    tribe::rng::Stream a(1, 1, 1), b(1, 2, 1), d(1, 3, 1);
    const auto code = s.code;
    mm::act(s, a);
    EXPECT_EQ(mm::superior_count(s), 0);
    EXPECT_EQ(mm::socialize(s, b), 0);
    EXPECT_EQ(mm::learn_code(s, d), 0);
    EXPECT_EQ(s.code, code);
  }
}

TEST(MarchEquilibrium, TurbulenceRunsToMaxPeriods) {
  const mm::Config c{.p4 = 0.02, .max_periods = 60};
  mm::State s;
  mm::Result r;
  mm::simulate_organization(c, {7, 1, 0}, s, r);
  EXPECT_FALSE(r.reached_equilibrium);
  EXPECT_EQ(r.periods, 60);
}

// ---- the plug-in -------------------------------------------------------------------------------

TEST(MarchModel, RegisteredWithColumns) {
  const auto& m = tribe::catalog::find_model("march");
  EXPECT_EQ(m.name(), "march");
  EXPECT_EQ(m.columns().size(), 9u);
  (void)column("knowledge_code_equilibrium");
  (void)column("knowledge_individuals_at_period");
}

TEST(MarchModel, DeterministicAndSeedSensitive) {
  const auto& model = mm::model();
  auto v = tribe::model::defaults(model.parameters());
  const auto a = run_one(v, {42, 3, 0});
  const auto b = run_one(v, {42, 3, 0});
  EXPECT_TRUE(same_bits(a, b));
  EXPECT_FALSE(same_bits(a, run_one(v, {43, 3, 0})));
  EXPECT_FALSE(same_bits(a, run_one(v, {42, 4, 0})));
  // A workspace reused after a larger organization gives the same row.
  auto cell = model.bind(v);
  auto big = v;
  big[parameter("individuals")] = 200;
  big[parameter("dimensions")] = 60;
  auto big_cell = model.bind(big);
  auto ws = model.make_workspace();
  std::vector<double> row(model.columns().size());
  big_cell->simulate({42, 3, 0}, *ws, row);
  cell->simulate({42, 3, 0}, *ws, row);
  EXPECT_TRUE(same_bits(a, row));
  // Equilibrium reached: the period is recorded; the at-period knowledge lies in [-1, 1].
  EXPECT_EQ(a[column("reached_equilibrium")], 1.0);
  EXPECT_EQ(a[column("equilibrium_period")], a[column("periods")]);
  EXPECT_LE(std::abs(a[column("knowledge_code_at_period")]), 1.0);
}

TEST(MarchModel, NaNPeriodWithoutEquilibrium) {
  const auto a = run_one(
      tribe::test::parameters_with(mm::model(), {{"p3", 0.1}, {"max_periods", 30}}), {1, 0, 0});
  EXPECT_EQ(a[column("reached_equilibrium")], 0.0);
  EXPECT_TRUE(std::isnan(a[column("equilibrium_period")]));
  EXPECT_EQ(a[column("periods")], 30.0);
}

TEST(MarchModel, RejectsObservationAfterHorizon) {
  EXPECT_THROW(mm::model().validate(tribe::test::parameters_with(
                   mm::model(), {{"max_periods", 10}, {"observe_period", 20}})),
               tribe::InputError);
}

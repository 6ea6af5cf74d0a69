// The derived column of the leadership model: re-deriving "distributed" from the stored
// outcomes with the cell's own thresholds gives back exactly the simulated value, so the
// robustness check re-evaluates claims on the same definition.
#include <gtest/gtest.h>

#include "tribe/model/registry.hpp"

namespace {

using namespace tribe;

TEST(LeadershipDerived, RederivingDistributedReproducesTheSimulatedColumn) {
  const auto& m = model::find_model("leadership");
  const auto derived = m.derived_columns();
  ASSERT_EQ(derived.size(), 1u);
  EXPECT_EQ(derived[0].column, "distributed");
  const auto cols = m.columns();
  std::vector<std::size_t> inputs;
  for (const auto& in : derived[0].inputs) {
    inputs.push_back(model::find_column(cols, in));
    ASSERT_NE(inputs.back(), model::npos) << in;
  }
  const auto out = model::find_column(cols, "distributed");
  auto ws = m.make_workspace();
  std::vector<double> row(cols.size());
  int ones = 0;
  for (double aligned : {0.3, 0.8}) {
    for (double control : {0.1, 0.8}) {
      auto v = model::defaults(m.parameters());
      v[model::find_parameter(m.parameters(), "aligned")] = aligned;
      v[model::find_parameter(m.parameters(), "proactive")] = 0.8;
      v[model::find_parameter(m.parameters(), "collaborative")] = 0.8;
      v[model::find_parameter(m.parameters(), "control")] = control;
      v[model::find_parameter(m.parameters(), "agents")] = 40;
      const auto cell = m.bind(v);
      for (std::uint64_t k = 0; k < 50; ++k) {
        cell->simulate({9, k, 0}, *ws, row);
        std::vector<double> in;
        for (auto i : inputs) in.push_back(row[i]);
        EXPECT_EQ(m.derive(0, in, v), row[out]);
        ones += row[out] == 1.0;
        // Stricter thresholds can only turn a distributed organization into a non-distributed one.
        auto strict = v;
        strict[model::find_parameter(m.parameters(), "dl_breadth")] = 1.0;
        if (row[out] == 0.0) EXPECT_EQ(m.derive(0, in, strict), 0.0);
      }
    }
  }
  EXPECT_GT(ones, 0);
}

}  // namespace

#include "tribe/models/leadership/simulation.hpp"

namespace {

// "Hero absent" means the hero is not involved, not that the organization never had
// one: the heroic mindset (deference) stays in the counterfactual run.
TEST(LeadershipHero, TheMindsetStaysWhenTheHeroIsAbsent) {
  namespace lm = tribe::models::leadership;
  lm::Config c;
  c.hero = true;
  c.hero_deference = 1.0;  // nobody below a hero takes initiative
  lm::Scratch ws;
  lm::OrgResult r;
  for (std::uint64_t o = 0; o < 5; ++o) {
    lm::simulate_organization(c, tribe::model::OrgContext{6, o, 0}, ws, r);
    ASSERT_TRUE(r.hero_present);
    EXPECT_GT(r.counterfactual.decisions, 0u);
    EXPECT_EQ(r.counterfactual.escalations, r.counterfactual.decisions);
  }
}

}  // namespace

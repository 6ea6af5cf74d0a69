// The derived columns of the leadership model: re-deriving "distributed" (on the reliance
// network) and "distributed_network" (the classification of models 2-4) from the stored
// outcomes with the cell's own thresholds gives back exactly the simulated values, so the
// robustness check re-evaluates claims on the same definitions.
#include <gtest/gtest.h>

#include "tribe/catalog/registry.hpp"

namespace {

using namespace tribe;

TEST(LeadershipDerived, RederivingTheClassificationsReproducesTheSimulatedColumns) {
  const auto& m = catalog::find_model("leadership");
  const auto derived = m.derived_columns();
  ASSERT_EQ(derived.size(), 2u);
  EXPECT_EQ(derived[0].column, "distributed");
  EXPECT_EQ(derived[1].column, "distributed_network");
  // A stricter threshold of each classification.
  const char* stricter[2] = {"dl_top_share", "dl_breadth"};
  const double strict_value[2] = {0.0, 1.0};
  const auto cols = m.columns();
  for (std::size_t d = 0; d < derived.size(); ++d) {
    std::vector<std::size_t> inputs;
    for (const auto& in : derived[d].inputs) {
      inputs.push_back(model::find_column(cols, in));
      ASSERT_NE(inputs.back(), model::npos) << in;
    }
    const auto out = model::find_column(cols, derived[d].column);
    auto ws = m.make_workspace();
    std::vector<double> row(cols.size());
    int ones = 0, zeros = 0;
    for (double structure : {0.0, 1.0}) {  // flat, hierarchy
      for (double control : {0.1, 0.8}) {
        auto v = model::defaults(m.parameters());
        v[model::find_parameter(m.parameters(), "structure")] = structure;
        v[model::find_parameter(m.parameters(), "proactive")] = 0.8;
        v[model::find_parameter(m.parameters(), "collaborative")] = 0.8;
        v[model::find_parameter(m.parameters(), "control")] = control;
        v[model::find_parameter(m.parameters(), "agents")] = 40;
        const auto cell = m.bind(v);
        for (std::uint64_t k = 0; k < 50; ++k) {
          cell->simulate({9, k, 0}, *ws, row);
          std::vector<double> in;
          for (auto i : inputs) in.push_back(row[i]);
          EXPECT_EQ(m.derive(d, in, v), row[out]) << derived[d].column;
          ones += row[out] == 1.0;
          zeros += row[out] == 0.0;
          // A stricter threshold can only turn a distributed organization into a
          // non-distributed one.
          auto strict = v;
          strict[model::find_parameter(m.parameters(), stricter[d])] = strict_value[d];
          if (row[out] == 0.0) EXPECT_EQ(m.derive(d, in, strict), 0.0) << derived[d].column;
        }
      }
    }
    // The default thresholds separate these organizations (both classes occur).
    EXPECT_GT(ones, 0) << derived[d].column;
    EXPECT_GT(zeros, 0) << derived[d].column;
  }
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

// Tests of the Lazer & Friedman (2007) model: the NK landscape (hand-computed fitness,
// the Gray-code exhaustive search against the naive one, local-optima counts, the
// analytic K = 0 and K = N - 1 values), the networks, the copy/explore rule on a tiny
// network, and the model interface (determinism, common random numbers, validation).
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "../../../tests/unit/support/model_probe.hpp"
#include "tribe/catalog/registry.hpp"
#include "tribe/core/error.hpp"
#include "tribe/models/lazer_friedman/landscape.hpp"
#include "tribe/models/lazer_friedman/lazer_friedman_model.hpp"
#include "tribe/models/lazer_friedman/simulation.hpp"

namespace nk = tribe::models::lazer_friedman;
using tribe::model::OrgContext;

namespace {

nk::Landscape random_landscape(int n, int k, std::uint64_t org, std::uint64_t seed = 11) {
  nk::Landscape land;
  std::vector<std::int32_t> scratch;
  tribe::rng::Stream s(seed, 101, org);
  nk::generate(land, n, k, s, scratch);
  return land;
}

/// N = 3, K = 1: bit 0 depends on bit 1, bit 1 on bit 2, bit 2 on bit 0.
nk::Landscape tiny_landscape() {
  nk::Landscape land;
  land.n = 3;
  land.k = 1;
  land.partners = {1, 2, 0};
  land.table = {0.10, 0.20, 0.30, 0.40,   // bit 0: index = x0 | x1 << 1
                0.50, 0.60, 0.70, 0.80,   // bit 1: index = x1 | x2 << 1
                0.05, 0.15, 0.25, 0.35};  // bit 2: index = x2 | x0 << 1
  return land;
}

/// K = 0, every bit contributes 0 when clear and 1 when set: fitness = popcount / N.
nk::Landscape counting_landscape(int n) {
  nk::Landscape land;
  land.n = n;
  land.k = 0;
  land.table.assign(static_cast<std::size_t>(2 * n), 0.0);
  for (int i = 0; i < n; ++i) land.table[2 * i + 1] = 1.0;
  return land;
}

/// A line of n agents, 0 - 1 - ... - n-1 (a linear network draws no random number).
nk::Network line_of(int n) {
  nk::Network net;
  nk::NetworkScratch w;
  tribe::rng::Stream unused(1, 1, 0);
  nk::make_network(nk::NetworkKind::linear, n, 0, 0, unused, net, w);
  return net;
}

}  // namespace

TEST(NkLandscape, FitnessOfAHandComputedTinyLandscape) {
  const auto land = tiny_landscape();
  // x = 0b101: bit0 = 1, bit1 = 0, bit2 = 1.
  //   bit 0: x0 | x1 << 1 = 1 -> 0.20;  bit 1: x1 | x2 << 1 = 2 -> 0.70;  bit 2: x2 | x0 << 1 = 3
  //   -> 0.35
  EXPECT_DOUBLE_EQ(land.fitness(0b101), (0.20 + 0.70 + 0.35) / 3);
  EXPECT_DOUBLE_EQ(land.fitness(0b000), (0.10 + 0.50 + 0.05) / 3);
  // x = 0b110: bit 0: 0 | 1 << 1 = 2 -> 0.30; bit 1: 1 | 1 << 1 = 3 -> 0.80; bit 2: 1 | 0 = 1 ->
  // 0.15
  EXPECT_DOUBLE_EQ(land.fitness(0b110), (0.30 + 0.80 + 0.15) / 3);
  // x = 0b111: 0.40 + 0.80 + 0.35 is the best of all eight.
  nk::SearchScratch scratch;
  const auto g = nk::global_max(land, scratch);
  EXPECT_EQ(g.argmax, 0b111u);
  EXPECT_DOUBLE_EQ(g.fitness, (0.40 + 0.80 + 0.35) / 3);
  EXPECT_TRUE(nk::is_local_optimum(land, 0b111));
  EXPECT_FALSE(nk::is_local_optimum(land, 0b000));
}

TEST(NkLandscape, GeneratorDrawsDistinctPartnersAndUnitTables) {
  const auto land = random_landscape(20, 5, 3);
  ASSERT_EQ(land.partners.size(), 100u);
  ASSERT_EQ(land.table.size(), 20u * 64u);
  for (int i = 0; i < 20; ++i) {
    std::set<int> p;
    for (int j = 0; j < 5; ++j) {
      const int b = land.partners[i * 5 + j];
      EXPECT_NE(b, i);
      EXPECT_GE(b, 0);
      EXPECT_LT(b, 20);
      p.insert(b);
    }
    EXPECT_EQ(p.size(), 5u) << "bit " << i;
  }
  for (double v : land.table) {
    EXPECT_GE(v, 0.0);
    EXPECT_LT(v, 1.0);
  }
  // Same stream, same landscape.
  const auto again = random_landscape(20, 5, 3);
  EXPECT_EQ(again.partners, land.partners);
  EXPECT_EQ(again.table, land.table);
}

TEST(NkLandscape, GrayCodeSearchFindsTheSameMaximumAsNaiveSearch) {
  nk::SearchScratch scratch;
  for (int k : {0, 2, 5, 11}) {
    for (std::uint64_t org = 0; org < 5; ++org) {
      const auto land = random_landscape(12, k, org);
      const auto fast = nk::global_max(land, scratch);
      const auto slow = nk::global_max_naive(land);
      EXPECT_EQ(fast.argmax, slow.argmax) << "k " << k << " org " << org;
      EXPECT_EQ(fast.fitness, slow.fitness);
      EXPECT_TRUE(nk::is_local_optimum(land, fast.argmax));
    }
  }
}

TEST(NkLandscape, LocalOptimaCountMatchesEnumeration) {
  for (int k : {0, 1, 3, 7}) {
    const auto land = random_landscape(8, k, 21);
    std::uint64_t brute = 0;
    for (std::uint32_t x = 0; x < land.solutions(); ++x) {
      bool opt = true;
      for (int b = 0; b < 8; ++b)
        if (land.fitness(x ^ (1u << b)) > land.fitness(x)) opt = false;
      brute += opt ? 1 : 0;
    }
    EXPECT_EQ(nk::count_local_optima(land), brute) << "k " << k;
    EXPECT_GE(brute, 1u);
  }
}

TEST(NkLandscape, KZeroHasOneOptimumOfExpectedFitnessTwoThirds) {
  // K = 0: each bit independently picks the larger of its two uniforms, so the landscape
  // has a single optimum and E[max fitness] = E[max(U1, U2)] = 2/3 for every N
  // (sd of one landscape: sqrt(1/18 / N)).
  constexpr int kLandscapes = 400;
  double sum = 0.0;
  nk::SearchScratch scratch;
  for (std::uint64_t org = 0; org < kLandscapes; ++org) {
    const auto land = random_landscape(10, 0, org, 77);
    ASSERT_EQ(nk::count_local_optima(land), 1u) << "org " << org;
    const auto g = nk::global_max(land, scratch);
    std::uint32_t best = 0;  // bit by bit
    for (int i = 0; i < 10; ++i)
      if (land.table[2 * i + 1] > land.table[2 * i]) best |= 1u << i;
    EXPECT_EQ(g.argmax, best);
    sum += g.fitness;
  }
  const double mean = sum / kLandscapes;
  const double se = std::sqrt(1.0 / 18.0 / 10.0 / kLandscapes);  // ~0.0037
  RecordProperty("mean_max_fitness", std::to_string(mean));
  EXPECT_NEAR(mean, 2.0 / 3.0, 4 * se);
}

TEST(NkLandscape, KMaximalHasTwoToTheNOverNPlusOneLocalOptima) {
  // K = N - 1: every solution's fitness is an independent draw (a fully random landscape),
  // so each solution is a local optimum with probability 1 / (N + 1): E = 2^N / (N + 1).
  constexpr int kN = 10;
  constexpr int kLandscapes = 200;
  double sum = 0.0, sum2 = 0.0;
  for (std::uint64_t org = 0; org < kLandscapes; ++org) {
    const auto c =
        static_cast<double>(nk::count_local_optima(random_landscape(kN, kN - 1, org, 5)));
    sum += c;
    sum2 += c * c;
  }
  const double mean = sum / kLandscapes;
  const double sd = std::sqrt((sum2 - sum * sum / kLandscapes) / (kLandscapes - 1));
  const double expected = 1024.0 / 11.0;  // 93.09
  RecordProperty("mean_local_optima", std::to_string(mean));
  EXPECT_NEAR(mean, expected, 4 * sd / std::sqrt(kLandscapes) + 0.5) << "sd " << sd;
  EXPECT_NEAR(mean, expected, 0.04 * expected);
}

TEST(NkNetwork, ShapesOfTheFourNetworks) {
  nk::Network net;
  nk::NetworkScratch w;
  tribe::rng::Stream s(1, 103, 0);
  nk::make_network(nk::NetworkKind::linear, 100, 0, 0, s, net, w);
  EXPECT_EQ(net.edges(), 99);
  EXPECT_TRUE(nk::is_connected(net, w));
  EXPECT_EQ(net.offset[1] - net.offset[0], 1);
  EXPECT_EQ(net.offset[51] - net.offset[50], 2);
  nk::make_network(nk::NetworkKind::full, 100, 0, 0, s, net, w);
  EXPECT_EQ(net.edges(), 4950);
  double edges = 0;
  for (std::uint64_t org = 0; org < 50; ++org) {
    tribe::rng::Stream r(1, 103, org);
    nk::make_network(nk::NetworkKind::random, 100, 0.2, 0, r, net, w);
    EXPECT_TRUE(nk::is_connected(net, w));
    edges += static_cast<double>(net.edges());
  }
  EXPECT_NEAR(edges / 50 / 4950, 0.2, 0.01);
  // Very sparse: components are joined, the network stays connected.
  tribe::rng::Stream r(1, 103, 9);
  const int joined = nk::make_network(nk::NetworkKind::random, 100, 0.005, 0, r, net, w);
  EXPECT_GT(joined, 0);
  EXPECT_TRUE(nk::is_connected(net, w));
  // The same draw left as drawn: the very same links, without the joining ones, in
  // several components.
  tribe::rng::Stream r2(1, 103, 9);
  nk::Network as_drawn;
  EXPECT_EQ(nk::make_network(nk::NetworkKind::random, 100, 0.005, 0, r2, as_drawn, w, false), 0);
  EXPECT_EQ(as_drawn.edges() + joined, net.edges());
  EXPECT_EQ(nk::count_components(as_drawn, w), joined + 1);
  EXPECT_FALSE(nk::is_connected(as_drawn, w));
  for (int a = 0; a < 100; ++a)  // every drawn link is kept
    for (int c = as_drawn.offset[a]; c < as_drawn.offset[a + 1]; ++c) {
      const int b = as_drawn.adj[c];
      EXPECT_TRUE(std::binary_search(net.adj.begin() + net.offset[a],
                                     net.adj.begin() + net.offset[a + 1], b));
    }
  // Density 0 left as drawn: 100 isolated agents.
  tribe::rng::Stream r3(1, 103, 10);
  nk::make_network(nk::NetworkKind::random, 100, 0.0, 0, r3, as_drawn, w, false);
  EXPECT_EQ(as_drawn.edges(), 0);
  EXPECT_EQ(nk::count_components(as_drawn, w), 100);
  for (int rewired : {0, 5, 50, 200}) {
    tribe::rng::Stream q(1, 103, 4);
    const int undone = nk::make_network(nk::NetworkKind::small_world, 100, 0, rewired, q, net, w);
    EXPECT_EQ(net.edges(), 200);
    EXPECT_TRUE(nk::is_connected(net, w));
    if (rewired == 0) {
      for (int a = 0; a < 100; ++a) EXPECT_EQ(net.offset[a + 1] - net.offset[a], 4);
    }
    if (rewired <= 50) EXPECT_EQ(undone, 0) << rewired;
    for (int a = 0; a < 100; ++a)  // simple graph: no self-links, no duplicates
      for (int c = net.offset[a]; c < net.offset[a + 1]; ++c) {
        EXPECT_NE(net.adj[c], a);
        if (c > net.offset[a]) EXPECT_LT(net.adj[c - 1], net.adj[c]);
      }
  }
}

TEST(NkSearch, AgentsCopyTheBestBetterNeighbourElseExplore) {
  const auto land = counting_landscape(3);  // fitness = popcount / 3
  const auto net = line_of(3);              // 0 - 1 - 2
  nk::Agents ag;
  ag.solution = {0b000, 0b011, 0b111};
  ag.next.resize(3);
  ag.next_fitness.resize(3);
  for (auto x : ag.solution) ag.fitness.push_back(land.fitness(x));
  tribe::rng::Stream s(1, 104, 0, 1);
  const int changed = nk::search_round(land, net, ag, s);
  // Synchronous: agent 0 copies agent 1's old solution, agent 1 copies agent 2's;
  // agent 2 has no better neighbour, explores, and every flip is worse: it stays.
  EXPECT_EQ(ag.solution, (std::vector<std::uint32_t>{0b011, 0b111, 0b111}));
  EXPECT_EQ(changed, 2);
  EXPECT_EQ(s.draws(), 1u);  // only agent 2 explored
  EXPECT_DOUBLE_EQ(ag.fitness[0], 2.0 / 3.0);

  // Ties between better neighbours: the lowest index is copied.
  ag.solution = {0b011, 0b000, 0b110};
  for (int a = 0; a < 3; ++a) ag.fitness[a] = land.fitness(ag.solution[a]);
  tribe::rng::Stream s2(1, 104, 0, 2);
  nk::search_round(land, net, ag, s2);
  EXPECT_EQ(ag.solution[1], 0b011u);
  EXPECT_EQ(s2.draws(), 2u);  // agents 0 and 2 explored
  // Each explored one bit and kept it only if it improved: popcount 2 -> 2 or 3.
  for (int a : {0, 2}) {
    const int pc = std::popcount(ag.solution[a]);
    EXPECT_TRUE(pc == 2 || pc == 3);
  }

  // Exploring from the worst solution always improves by exactly one bit.
  ag.solution = {0b000, 0b000, 0b000};
  for (int a = 0; a < 3; ++a) ag.fitness[a] = 0.0;
  tribe::rng::Stream s3(1, 104, 0, 3);
  EXPECT_EQ(nk::search_round(land, net, ag, s3), 3);
  for (auto x : ag.solution) EXPECT_EQ(std::popcount(x), 1);
}

TEST(NkSearch, VelocityAndCopyErrorVariants) {
  const auto land = counting_landscape(3);  // fitness = popcount / 3
  const auto net = line_of(3);              // 0 - 1 - 2
  const auto reset = [&](nk::Agents& ag) {
    ag.solution = {0b000, 0b011, 0b111};
    ag.fitness.clear();
    for (auto x : ag.solution) ag.fitness.push_back(land.fitness(x));
    ag.next.resize(3);
    ag.next_fitness.resize(3);
  };
  nk::Agents ag;
  // Velocity 0: nobody looks, so agents 0 and 1 explore although a neighbour is better.
  reset(ag);
  tribe::rng::Stream s(1, 104, 0, 1), v(1, 105, 0, 1);
  nk::search_round(land, net, ag, s, nk::Imitation{0.0, 0.0}, &v);
  EXPECT_EQ(s.draws(), 3u) << "all three explored";
  EXPECT_EQ(v.draws(), 3u) << "one look decision per agent";
  for (int a = 0; a < 2; ++a) EXPECT_LE(std::popcount(ag.solution[a]), a == 0 ? 1 : 3);
  // Copy error 1: every bit of a copy comes out flipped, and the copy is adopted anyway.
  reset(ag);
  tribe::rng::Stream s2(1, 104, 0, 2), v2(1, 105, 0, 2);
  nk::search_round(land, net, ag, s2, nk::Imitation{1.0, 1.0}, &v2);
  EXPECT_EQ(ag.solution[0], 0b100u) << "the complement of agent 1's 0b011";
  EXPECT_EQ(ag.solution[1], 0b000u) << "the complement of agent 2's 0b111";
  EXPECT_DOUBLE_EQ(ag.fitness[1], 0.0) << "fitness of the imperfect copy, lower than before";
  EXPECT_EQ(v2.draws(), 6u) << "three bits for each of the two copies";
  // Copy error e: each bit flips with probability e.
  const auto big = counting_landscape(20);
  const auto pair = line_of(2);
  int flipped = 0;
  const int trials = 4000;
  for (int t = 0; t < trials; ++t) {
    nk::Agents two;
    two.solution = {0u, (1u << 20) - 1};
    two.fitness = {0.0, 1.0};
    two.next.resize(2);
    two.next_fitness.resize(2);
    tribe::rng::Stream st(3, 104, 0, static_cast<std::uint64_t>(t)),
        vt(3, 105, 0, static_cast<std::uint64_t>(t));
    nk::search_round(big, pair, two, st, nk::Imitation{1.0, 0.1}, &vt);
    flipped += 20 - std::popcount(two.solution[0]);
  }
  const double share = static_cast<double>(flipped) / (20.0 * trials);
  EXPECT_NEAR(share, 0.1, 4 * std::sqrt(0.1 * 0.9 / (20.0 * trials)));
  // The basic model draws nothing from the variants' stream.
  reset(ag);
  tribe::rng::Stream s3(1, 104, 0, 3), v3(1, 105, 0, 3);
  nk::search_round(land, net, ag, s3, nk::Imitation{}, &v3);
  EXPECT_EQ(v3.draws(), 0u);
}

namespace {

const tribe::model::Model& lf() {
  return tribe::catalog::find_model("lazer_friedman");
}

std::vector<double> params(std::initializer_list<std::pair<std::string_view, double>> set) {
  return tribe::test::parameters_with(lf(), set);
}

double column(const std::vector<double>& row, const char* name) {
  return row[tribe::test::column_index(lf(), name)];
}

}  // namespace

TEST(LazerFriedmanModel, DeterministicAndPairedAcrossNetworks) {
  const auto& m = lf();
  EXPECT_EQ(m.columns().size(), 4u + 101u + 5u);
  const auto linear = m.bind(params({{"bits", 12}, {"k", 3}, {"network", 0}}));
  const auto full = m.bind(params({{"bits", 12}, {"k", 3}, {"network", 1}}));
  auto ws1 = m.make_workspace();
  auto ws2 = m.make_workspace();
  std::vector<double> a(m.columns().size()), b(a.size()), c(a.size()), d(a.size());
  linear->simulate(OrgContext{42, 7, 0}, *ws1, a);
  full->simulate(OrgContext{42, 3, 0}, *ws1, c);  // dirty the workspace in between
  linear->simulate(OrgContext{42, 7, 0}, *ws2, b);
  for (std::size_t i = 0; i < a.size(); ++i)
    EXPECT_TRUE(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i]))) << i;
  // Common random numbers: the same landscape and starts on both networks.
  full->simulate(OrgContext{42, 7, 0}, *ws1, d);
  EXPECT_EQ(column(a, "global_max_fitness"), column(d, "global_max_fitness"));
  EXPECT_EQ(column(a, "mean_score_t000"), column(d, "mean_score_t000"));
  EXPECT_NE(column(a, "mean_score_t010"), column(d, "mean_score_t010"));
  // Another organization is another landscape.
  EXPECT_NE(column(a, "global_max_fitness"), column(c, "global_max_fitness"));
  EXPECT_EQ(column(a, "edges"), 99);
  EXPECT_EQ(column(d, "edges"), 4950);
}

TEST(LazerFriedmanModel, ScoresAreNormalizedAndNonDecreasingAndFullNetworkConverges) {
  const auto& m = lf();
  const auto full = m.bind(params({{"bits", 14}, {"k", 4}, {"network", 1}, {"rounds", 150}}));
  auto ws = m.make_workspace();
  std::vector<double> row(m.columns().size());
  for (std::uint64_t org = 0; org < 5; ++org) {
    full->simulate(OrgContext{5, org, 0}, *ws, row);
    double prev = 0.0;
    for (int t = 0; t <= 100; ++t) {
      char name[32];
      std::snprintf(name, sizeof name, "mean_score_t%03d", t);
      const double v = column(row, name);
      EXPECT_GT(v, 0.0);
      EXPECT_LE(v, 1.0);
      if (t > 0) EXPECT_GE(v, prev * (1 - 1e-12)) << "fitness never decreases under the rule";
      prev = v;
    }
    // A totally connected network reaches consensus on a local optimum quickly.
    EXPECT_FALSE(std::isnan(column(row, "rounds_to_equilibrium")));
    EXPECT_LT(column(row, "rounds_to_equilibrium"), 150);
    EXPECT_EQ(column(row, "unique_solutions_final"), 1);
    const double share = column(row, "share_at_global_max");
    EXPECT_TRUE(share == 0.0 || share == 1.0);
    EXPECT_EQ(share == 1.0, column(row, "final_mean_score") == 1.0);
  }
  // rounds shorter than 100: later columns are NaN.
  const auto short_run = m.bind(params({{"bits", 10}, {"k", 2}, {"rounds", 10}}));
  short_run->simulate(OrgContext{5, 0, 0}, *ws, row);
  EXPECT_FALSE(std::isnan(column(row, "mean_score_t010")));
  EXPECT_TRUE(std::isnan(column(row, "mean_score_t011")));
  EXPECT_EQ(column(row, "final_mean_score"), column(row, "mean_score_t010"));
}

TEST(LazerFriedmanModel, RejectsContradictoryParameters) {
  const auto& m = lf();
  EXPECT_THROW(m.validate(params({{"bits", 10}, {"k", 10}})), tribe::InputError);
  EXPECT_THROW(m.validate(params({{"network", 3}, {"agents", 100}, {"rewired", 201}})),
               tribe::InputError);
  EXPECT_THROW(m.validate(params({{"network", 3}, {"agents", 4}})), tribe::InputError);
  EXPECT_NO_THROW(m.validate(params({{"network", 3}, {"agents", 100}, {"rewired", 200}})));
  EXPECT_NO_THROW(m.validate(params({})));
}

TEST(LazerFriedmanModel, FragmentedRandomNetworksSettleComponentByComponent) {
  // Density 0 left as drawn: every agent is an independent hill climber. Each ends on a
  // local optimum of its own, the run is detected as settled although the agents do
  // not share one solution, and the network has one component per agent.
  const auto& m = lf();
  const auto alone = m.bind(params({{"bits", 12},
                                    {"k", 3},
                                    {"network", 2},
                                    {"density", 0.0},
                                    {"join_components", 0},
                                    {"rounds", 400}}));
  const auto joined = m.bind(params({{"bits", 12}, {"k", 3}, {"network", 2}, {"density", 0.0}}));
  auto ws = m.make_workspace();
  std::vector<double> row(m.columns().size()), other(row.size());
  int several = 0;
  for (std::uint64_t org = 0; org < 8; ++org) {
    alone->simulate(OrgContext{9, org, 0}, *ws, row);
    EXPECT_EQ(column(row, "components"), 100);
    EXPECT_EQ(column(row, "edges"), 0);
    EXPECT_EQ(column(row, "network_adjustments"), 0);
    EXPECT_FALSE(std::isnan(column(row, "rounds_to_equilibrium")));
    several += column(row, "unique_solutions_final") > 1 ? 1 : 0;
    joined->simulate(OrgContext{9, org, 0}, *ws, other);
    EXPECT_EQ(column(other, "components"), 1);
    EXPECT_EQ(column(other, "edges"), 99);  // a random tree joining 100 singletons
    EXPECT_EQ(column(other, "network_adjustments"), 99);
    EXPECT_EQ(column(other, "mean_score_t000"), column(row, "mean_score_t000"));
  }
  EXPECT_EQ(several, 8) << "isolated hill climbers end on different local optima";
}

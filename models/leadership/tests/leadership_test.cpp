// Tests of the leadership model: structure generators, samplers, metrics, the
// model interface (determinism, validation) and mechanism checks at extremes.
#include <gtest/gtest.h>

#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "../../../tests/unit/support/model_probe.hpp"
#include "tribe/core/error.hpp"
#include "tribe/models/leadership/leadership_model.hpp"
#include "tribe/models/leadership/metrics.hpp"
#include "tribe/models/leadership/sampling.hpp"
#include "tribe/models/leadership/simulation.hpp"
#include "tribe/models/leadership/structure.hpp"
#include "tribe/rng/samplers.hpp"

namespace lm = tribe::models::leadership;
using tribe::model::OrgContext;

namespace {

lm::Tree make_tree(lm::StructureKind kind, int n, int span, double spread = 0.5,
                   std::uint64_t org = 0) {
  lm::Tree t;
  std::vector<std::int32_t> scratch;
  tribe::rng::Stream s(7, 1, org);
  lm::generate_parents(kind, n, span, spread, s, t.parent, scratch);
  lm::finish_tree(t, scratch);
  return t;
}

void expect_consistent_tree(const lm::Tree& t) {
  const int n = t.size();
  ASSERT_TRUE(lm::is_valid_tree(t.parent));
  EXPECT_EQ(t.parent[0], -1);
  int reports = 0;
  for (int i = 0; i < n; ++i) {
    if (i > 0) {
      EXPECT_LT(t.parent[i], i);
      EXPECT_EQ(t.depth[i], t.depth[t.parent[i]] + 1);
    }
    for (int k = t.child_start[i]; k < t.child_start[i + 1]; ++k)
      EXPECT_EQ(t.parent[t.children[k]], i);
    reports += t.reports(i);
  }
  EXPECT_EQ(reports, n - 1);  // every agent but the root has exactly one manager
}

std::size_t column(std::string_view name) {
  return tribe::test::column_index(lm::model(), name);
}

std::size_t parameter(std::string_view name) {
  return tribe::test::parameter_index(lm::model(), name);
}

std::vector<double> defaults() {
  return tribe::model::defaults(lm::model().parameters());
}

/// The default parameters with the named ones set.
std::vector<double> with(std::initializer_list<std::pair<std::string_view, double>> set) {
  return tribe::test::parameters_with(lm::model(), set);
}

std::vector<double> run_row(const std::vector<double>& values, OrgContext ctx,
                            tribe::model::Workspace* ws = nullptr) {
  return tribe::test::run_row(lm::model(), values, ctx, ws);
}

/// The rows of organizations 0, ..., orgs - 1 at `values` (seed `seed`, domain 0).
std::vector<std::vector<double>> rows(const std::vector<double>& values, std::uint64_t seed,
                                      std::uint64_t orgs) {
  std::vector<std::vector<double>> out;
  for (std::uint64_t o = 0; o < orgs; ++o) out.push_back(run_row(values, OrgContext{seed, o, 0}));
  return out;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) && std::isnan(b[i])) continue;
    if (a[i] != b[i]) return false;
  }
  return true;
}

// Aggregated counters over many organizations of a config.
lm::RunCounts total(const lm::Config& c, int orgs, std::uint64_t seed = 11) {
  lm::Scratch ws;
  lm::OrgResult r;
  lm::RunCounts sum;
  for (int o = 0; o < orgs; ++o) {
    lm::simulate_organization(c, OrgContext{seed, static_cast<std::uint64_t>(o), 0}, ws, r);
    const auto& x = r.run;
    sum.challenges += x.challenges;
    sum.eligible += x.eligible;
    sum.solved += x.solved;
    sum.solved_aligned += x.solved_aligned;
    sum.misdirected += x.misdirected;
    sum.failed += x.failed;
    sum.conflicts += x.conflicts;
    sum.all_conflicts += x.all_conflicts;
    sum.decisions += x.decisions;
    sum.escalations += x.escalations;
    sum.interactions += x.interactions;
    sum.interactions_with_leader += x.interactions_with_leader;
    sum.lateral += x.lateral;
    sum.routed += x.routed;
    sum.insights += x.insights;
    sum.insights_with_top += x.insights_with_top;
  }
  return sum;
}

}  // namespace

// ---------------------------------------------------------------- structure

TEST(LeadershipStructure, FlatHasDepthOneAndSpanNMinusOne) {
  const auto t = make_tree(lm::StructureKind::flat, 100, 5);
  expect_consistent_tree(t);
  EXPECT_EQ(t.max_depth, 1);
  EXPECT_EQ(t.max_span, 99);
  EXPECT_EQ(t.leaves.size(), 99u);
}

TEST(LeadershipStructure, BalancedHierarchyHasRequestedSpanAndDepth) {
  // 1 + 5 + 25 = 31 agents fill exactly two levels below the top.
  auto t = make_tree(lm::StructureKind::hierarchy, 31, 5);
  expect_consistent_tree(t);
  EXPECT_EQ(t.max_depth, 2);
  EXPECT_EQ(t.max_span, 5);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(t.reports(i), 5);
  // 100 agents, span 5: depth ceil(log5 100) = 3.
  t = make_tree(lm::StructureKind::hierarchy, 100, 5);
  expect_consistent_tree(t);
  EXPECT_EQ(t.max_depth, 3);
  EXPECT_EQ(t.max_span, 5);
  // span 1 is a chain.
  t = make_tree(lm::StructureKind::hierarchy, 10, 1);
  expect_consistent_tree(t);
  EXPECT_EQ(t.max_depth, 9);
  // span 3, 40 agents: levels 1, 3, 9, 27 -> depth 3.
  t = make_tree(lm::StructureKind::hierarchy, 40, 3);
  EXPECT_EQ(t.max_depth, 3);
  EXPECT_EQ(t.max_span, 3);
}

TEST(LeadershipStructure, RandomGeneratorsGiveValidTrees) {
  for (const auto kind : {lm::StructureKind::random_hierarchy, lm::StructureKind::random_tree,
                          lm::StructureKind::preferential}) {
    for (std::uint64_t org = 0; org < 20; ++org) {
      const auto t = make_tree(kind, 2 + static_cast<int>(org) * 37, 4, 0.5, org);
      expect_consistent_tree(t);
    }
  }
}

TEST(LeadershipStructure, RandomHierarchySpansStayInRange) {
  // span 6, spread 0.5: w = round(3) = 3, spans in [3, 9]; only the last manager may be cut
  // short.
  const auto t = make_tree(lm::StructureKind::random_hierarchy, 2000, 6, 0.5);
  expect_consistent_tree(t);
  int managers = 0, short_ones = 0;
  for (int i = 0; i < t.size(); ++i) {
    if (t.reports(i) == 0) continue;
    ++managers;
    EXPECT_LE(t.reports(i), 9);
    if (t.reports(i) < 3) ++short_ones;
  }
  EXPECT_LE(short_ones, 1);
  EXPECT_GT(managers, 2000 / 9);
  // spread 0 is the balanced hierarchy.
  const auto b = make_tree(lm::StructureKind::random_hierarchy, 200, 6, 0.0);
  const auto h = make_tree(lm::StructureKind::hierarchy, 200, 6);
  EXPECT_EQ(b.parent, h.parent);
}

TEST(LeadershipStructure, RandomHierarchyMeanSpanIsTheSpan) {
  // docs/model.md: spans uniform on s - w .. s + w, w = min(round(s x), s - 1). Over every
  // manager but the last of each tree (the one cut short by N), the mean span is s and the
  // extremes are reached. s = 5, x = 0.5: w = round(2.5) = 3, spans 2..8.
  // s = 3, x = 1: w = min(3, 2) = 2, spans 1..5.
  const struct {
    int span;
    double spread;
    int lo, hi;
  } cases[] = {{5, 0.5, 2, 8}, {3, 1.0, 1, 5}, {8, 0.25, 6, 10}};
  for (const auto& c : cases) {
    double sum = 0;
    double count = 0;
    int lo = 1 << 30, hi = 0;
    for (std::uint64_t org = 0; org < 200; ++org) {
      const auto t = make_tree(lm::StructureKind::random_hierarchy, 400, c.span, c.spread, org);
      int last = -1;
      for (int i = 0; i < t.size(); ++i)
        if (t.reports(i) > 0) last = i;
      for (int i = 0; i < last; ++i) {
        if (t.reports(i) == 0) continue;
        sum += t.reports(i);
        count += 1;
        lo = std::min(lo, t.reports(i));
        hi = std::max(hi, t.reports(i));
      }
    }
    // Spans are uniform on 2w + 1 values: sd <= w; > 10,000 managers: se < 0.03.
    EXPECT_NEAR(sum / count, c.span, 0.1) << "span " << c.span;
    EXPECT_EQ(lo, c.lo);
    EXPECT_EQ(hi, c.hi);
  }
}

TEST(LeadershipStructure, PreferentialConcentratesReports) {
  // Preferential attachment gives a larger largest span than uniform attachment (on average).
  double pref = 0, unif = 0;
  for (std::uint64_t org = 0; org < 30; ++org) {
    pref += make_tree(lm::StructureKind::preferential, 1000, 1, 0, org).max_span;
    unif += make_tree(lm::StructureKind::random_tree, 1000, 1, 0, org).max_span;
  }
  EXPECT_GT(pref, 1.5 * unif);
}

TEST(LeadershipStructure, IsValidTreeRejectsBrokenParents) {
  EXPECT_TRUE(lm::is_valid_tree(std::vector<std::int32_t>{-1, 0, 0, 1}));
  EXPECT_FALSE(lm::is_valid_tree(std::vector<std::int32_t>{0, 0, 0}));    // root has a manager
  EXPECT_FALSE(lm::is_valid_tree(std::vector<std::int32_t>{-1, 2, 1}));   // cycle
  EXPECT_FALSE(lm::is_valid_tree(std::vector<std::int32_t>{-1, 5}));      // out of range
  EXPECT_FALSE(lm::is_valid_tree(std::vector<std::int32_t>{-1, -1, 0}));  // two roots
}

TEST(LeadershipTies, NoTiesWhenBothProbabilitiesAreZero) {
  const auto t = make_tree(lm::StructureKind::random_tree, 300, 1);
  lm::Ties ties;
  tribe::rng::Stream s(1, 5, 0);
  lm::generate_ties(t, 0.0, 0.0, s, ties);
  EXPECT_EQ(ties.count(), 0);
  EXPECT_EQ(ties.start.back(), 0);
}

TEST(LeadershipTies, OnlySiblingsWhenTieAcrossIsZero) {
  for (const auto kind :
       {lm::StructureKind::hierarchy, lm::StructureKind::random_tree, lm::StructureKind::flat}) {
    const auto t = make_tree(kind, 200, 4);
    lm::Ties ties;
    tribe::rng::Stream s(1, 5, 0);
    lm::generate_ties(t, 0.4, 0.0, s, ties);
    EXPECT_GT(ties.count(), 0);
    for (std::int64_t e = 0; e < ties.count(); ++e)
      EXPECT_EQ(t.parent[ties.edge_a[e]], t.parent[ties.edge_b[e]]);
  }
}

TEST(LeadershipTies, AllSiblingPairsAtProbabilityOne) {
  const auto t = make_tree(lm::StructureKind::random_hierarchy, 150, 5);
  lm::Ties ties;
  tribe::rng::Stream s(1, 5, 0);
  lm::generate_ties(t, 1.0, 0.0, s, ties);
  std::int64_t pairs = 0;
  for (int i = 0; i < t.size(); ++i)
    pairs += static_cast<std::int64_t>(t.reports(i)) * (t.reports(i) - 1) / 2;
  EXPECT_EQ(ties.count(), pairs);
  std::set<std::pair<int, int>> seen;
  for (std::int64_t e = 0; e < ties.count(); ++e)
    EXPECT_TRUE(seen.insert({ties.edge_a[e], ties.edge_b[e]}).second);
}

TEST(LeadershipTies, AcrossTiesAreNeverSiblingsNorManagerReport) {
  const auto t = make_tree(lm::StructureKind::hierarchy, 120, 3);
  lm::Ties ties;
  tribe::rng::Stream s(3, 5, 0);
  lm::generate_ties(t, 0.0, 1.0, s, ties);
  // At probability 1 every allowed pair is a tie: all pairs minus manager-report pairs minus
  // sibling pairs.
  std::int64_t siblings = 0;
  for (int i = 0; i < t.size(); ++i)
    siblings += static_cast<std::int64_t>(t.reports(i)) * (t.reports(i) - 1) / 2;
  const std::int64_t n = t.size();
  EXPECT_EQ(ties.count(), n * (n - 1) / 2 - (n - 1) - siblings);
  for (std::int64_t e = 0; e < ties.count(); ++e) {
    const int a = ties.edge_a[e], b = ties.edge_b[e];
    EXPECT_NE(t.parent[a], b);
    EXPECT_NE(t.parent[b], a);
    EXPECT_NE(t.parent[a], t.parent[b]);
  }
}

TEST(LeadershipTies, AdjacencyMatchesEdgesAndDensity) {
  const auto t = make_tree(lm::StructureKind::hierarchy, 400, 5);
  lm::Ties ties;
  tribe::rng::Stream s(9, 5, 0);
  lm::generate_ties(t, 0.5, 0.02, s, ties);
  std::int64_t degree_sum = 0;
  for (int i = 0; i < t.size(); ++i) degree_sum += ties.degree(i);
  EXPECT_EQ(degree_sum, 2 * ties.count());
  for (std::int64_t e = 0; e < ties.count(); ++e) {
    const int a = ties.edge_a[e], b = ties.edge_b[e];
    bool found = false;
    for (int k = ties.start[a]; k < ties.start[a + 1]; ++k) found = found || ties.adj[k] == b;
    EXPECT_TRUE(found);
  }
  // Across density: allowed pairs ~ 400*399/2 - 399 - 80*10 = 78,601; expected ties 1,572 (sd ~
  // 39).
  std::int64_t across = 0;
  for (std::int64_t e = 0; e < ties.count(); ++e)
    across += t.parent[ties.edge_a[e]] != t.parent[ties.edge_b[e]];
  EXPECT_NEAR(static_cast<double>(across), 0.02 * 78601, 200);
}

// Sibling ties are independent Bernoulli trials of probability ceil(p 2^32) 2^-32 on both
// paths (geometric skips below 1/16, 64 bit-parallel trials at a time from 1/16 up), over
// 20,000 draws of a flat group of 40 reports (780 pairs: 12 full blocks of 64 and a
// partial one): each pair's frequency (chi-square, 779 df), and the number of ties per
// draw, whose variance would grow if pairs were correlated (in a lane, across a block's
// edge, or between the bits of one word).
TEST(LeadershipTies, SiblingTiesAreIndependentTrialsOfTheirProbability) {
  const auto t = make_tree(lm::StructureKind::flat, 41, 1);
  constexpr int kPairs = 40 * 39 / 2;
  constexpr int kDraws = 20000;
  for (const double p : {0.05, 0.07, 0.3, 0.9}) {
    const double q = std::ceil(p * 0x1.0p32) * 0x1.0p-32;
    std::vector<double> freq(kPairs, 0.0);
    double sum = 0, sum2 = 0;
    lm::Ties ties;
    for (int d = 0; d < kDraws; ++d) {
      tribe::rng::Stream s(11, 5, static_cast<std::uint64_t>(d));
      lm::generate_ties(t, p, 0.0, s, ties);
      for (std::int64_t e = 0; e < ties.count(); ++e) {
        const int v = ties.edge_a[e] - 1, w = ties.edge_b[e] - 1;  // local indices, v > w
        ASSERT_GT(v, w);
        freq[static_cast<std::size_t>(v * (v - 1) / 2 + w)] += 1;
      }
      const auto c = static_cast<double>(ties.count());
      sum += c;
      sum2 += c * c;
    }
    double chi2 = 0;
    for (const double f : freq)
      chi2 += (f - kDraws * q) * (f - kDraws * q) / (kDraws * q * (1 - q));
    const double p_chi2 = boost::math::cdf(
        boost::math::complement(boost::math::chi_squared_distribution<double>(kPairs - 1), chi2));
    const double mean = sum / kDraws, var = sum2 / kDraws - mean * mean;
    const double expected_var = kPairs * q * (1 - q);
    std::printf(
        "  ties p = %.2f: chi2 %.1f on %d df (p = %.4f); per draw mean %.2f (%.2f), variance "
        "%.2f (%.2f)\n",
        p, chi2, kPairs - 1, p_chi2, mean, kPairs * q, var, expected_var);
    EXPECT_GT(p_chi2, 1e-4) << p;
    EXPECT_NEAR(mean, kPairs * q, 5 * std::sqrt(expected_var / kDraws)) << p;
    // The sample variance's standard error is about sqrt(2 / draws) = 1% of it.
    EXPECT_NEAR(var / expected_var, 1.0, 0.05) << p;
  }
}

// ---------------------------------------------------------------- sampling

TEST(LeadershipSampling, BetaHasRequestedMeanAndVariance) {
  for (const auto& [m, phi] : std::vector<std::pair<double, double>>{
           {0.5, 10}, {0.3, 10}, {0.8, 2}, {0.1, 4}, {0.5, 0.8}}) {
    tribe::rng::Stream s(5, 2, 0);
    const lm::BetaMean beta(m, phi);
    const int n = 200000;
    double sum = 0, sum2 = 0;
    for (int i = 0; i < n; ++i) {
      const double x = beta(s);
      ASSERT_GE(x, 0.0);
      ASSERT_LE(x, 1.0);
      sum += x;
      sum2 += x * x;
    }
    const double mean = sum / n, var = sum2 / n - mean * mean;
    EXPECT_NEAR(mean, m, 0.005) << m << " " << phi;
    EXPECT_NEAR(var, m * (1 - m) / (phi + 1), 0.05 * m * (1 - m) / (phi + 1) + 1e-4)
        << m << " " << phi;
  }
  tribe::rng::Stream s(5, 2, 0);
  EXPECT_EQ(lm::beta_mean(s, 0.0, 10), 0.0);
  EXPECT_EQ(lm::beta_mean(s, 1.0, 10), 1.0);
}

// Shapes >= 1 that are not too narrow are drawn from a table, the others by the gamma
// ratio; a cached sampler draws exactly what a fresh one draws, also after the cell's
// parameters change.
TEST(LeadershipSampling, CachedBetaDrawsWhatAFreshOneDraws) {
  EXPECT_NE(lm::BetaMean(0.5, 10).table(), nullptr);
  EXPECT_NE(lm::BetaMean(0.5, 4).table(), nullptr);
  EXPECT_EQ(lm::BetaMean(0.95, 10).table(), nullptr);  // b = 0.5 < 1
  EXPECT_EQ(lm::BetaMean(0.0, 10).table(), nullptr);   // degenerate
  lm::CachedBetaMean cached;
  for (const auto& [m, phi] : std::vector<std::pair<double, double>>{
           {0.5, 10}, {0.3, 10}, {0.3, 10}, {0.95, 10}, {0.5, 10}}) {
    tribe::rng::Stream a(6, 2, 0), b(6, 2, 0);
    const lm::BetaMean fresh(m, phi);
    const lm::BetaMean& kept = cached.get(m, phi);
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(kept(a), fresh(b)) << m << " " << phi << " " << i;
  }
}

TEST(LeadershipQualities, DrawnMeansMatchTheProfile) {
  lm::Config c;
  c.agents = 20000;
  c.steps = 1;
  c.arrival_rate = 0.0;
  c.aligned = 0.3;
  c.proactive = 0.8;
  c.collaborative = 0.55;
  lm::Scratch ws;
  lm::OrgResult r;
  lm::simulate_organization(c, OrgContext{1, 0, 0}, ws, r);
  EXPECT_NEAR(r.mean_aligned, 0.3, 0.005);
  EXPECT_NEAR(r.mean_proactive, 0.8, 0.005);
  EXPECT_NEAR(r.mean_collaborative, 0.55, 0.005);
  // Changing one quality's mean leaves the others' draws unchanged (own substreams).
  const auto a = ws.aligned;
  c.proactive = 0.2;
  lm::simulate_organization(c, OrgContext{1, 0, 0}, ws, r);
  EXPECT_EQ(a, ws.aligned);
}

// ---------------------------------------------------------------- metrics

TEST(LeadershipMetrics, GiniOnHandComputedInputs) {
  using V = std::vector<std::uint32_t>;
  EXPECT_DOUBLE_EQ(lm::gini(V{1, 1, 1, 1}), 0.0);
  EXPECT_DOUBLE_EQ(lm::gini(V{0, 0, 0, 4}), 0.75);  // (n - 1) / n
  EXPECT_DOUBLE_EQ(lm::gini(V{4, 3, 2, 1}), 0.25);  // mean |xi - xj| = 1.25 over 2 * mean 2.5
  EXPECT_DOUBLE_EQ(lm::gini(V{0, 2}), 0.5);
  EXPECT_TRUE(std::isnan(lm::gini(V{0, 0, 0})));
  EXPECT_TRUE(std::isnan(lm::gini(V{})));
  std::vector<std::uint32_t> scratch;
  EXPECT_DOUBLE_EQ(lm::evenness(V{4, 3, 2, 1}, scratch), 0.75);
  // Small counts take the counting sort, large ones the comparison sort: both agree
  // with the definition (mean absolute difference over all ordered pairs / 2 mean).
  EXPECT_DOUBLE_EQ(lm::gini(V{0, 0, 0, 400}), 0.75);
  for (const V& x : {V{3, 0, 7, 7, 1, 0, 2, 12, 5}, V{1000, 3, 0, 250, 7}, V{9, 9, 9, 8}}) {
    double diff = 0, sum = 0;
    for (const auto a : x) {
      sum += a;
      for (const auto b : x) diff += std::abs(static_cast<double>(a) - static_cast<double>(b));
    }
    const double n = static_cast<double>(x.size());
    EXPECT_NEAR(lm::gini(x, scratch), diff / (2.0 * n * n * (sum / n)), 1e-12);
  }
}

TEST(LeadershipMetrics, BreadthLeaderShareAndClassification) {
  using V = std::vector<std::uint32_t>;
  EXPECT_DOUBLE_EQ(lm::breadth(V{0, 1, 0, 3}), 0.5);
  EXPECT_DOUBLE_EQ(lm::breadth(V{0, 0}), 0.0);
  EXPECT_TRUE(std::isnan(lm::breadth(V{})));
  EXPECT_DOUBLE_EQ(lm::leader_share(3, 4), 0.75);
  EXPECT_TRUE(std::isnan(lm::leader_share(0, 0)));

  // distributed: top share <= 0.3, formal share <= 0.5, reliance evenness >= 0.8.
  const lm::DistributedThresholds t{0.3, 0.5, 0.8};
  EXPECT_TRUE(lm::is_distributed(t, 0.3, 0.5, 0.8));  // thresholds are inclusive
  EXPECT_FALSE(lm::is_distributed(t, 0.31, 0.5, 0.8));
  EXPECT_FALSE(lm::is_distributed(t, 0.3, 0.51, 0.8));
  EXPECT_FALSE(lm::is_distributed(t, 0.3, 0.5, 0.79));
  EXPECT_FALSE(lm::is_distributed(t, std::nan(""), 0.1, 0.9));
  EXPECT_FALSE(lm::is_distributed(t, 0.1, std::nan(""), 0.9));
  EXPECT_FALSE(lm::is_distributed(t, 0.1, 0.1, std::nan("")));
  // The classification of models 2-4 (history): breadth >= 0.6 and centralization <= 0.3.
  EXPECT_TRUE(lm::is_distributed_network(0.6, 0.3, 0.6, 0.3));
  EXPECT_FALSE(lm::is_distributed_network(0.6, 0.3, 0.59, 0.3));
  EXPECT_FALSE(lm::is_distributed_network(0.6, 0.3, 0.6, 0.31));
  EXPECT_FALSE(lm::is_distributed_network(0.6, 0.3, 0.9, std::nan("")));
}

// ---------------------------------------------------------------- reliance network
// Exact values on hand-built event lists: in_weight[i] = reliance events directed at i.

TEST(LeadershipReliance, OneHubReceivingEverything) {
  // 5 agents, agent 0 (the only formal leader) receives all 12 events: top and formal
  // share 1; H = 12 * 11 / (12 * 11) = 1, so evenness vs chance (1 - 1) / (1 - 1/5) = 0.
  const std::vector<std::uint32_t> w{12, 0, 0, 0, 0};
  const std::vector<std::uint8_t> formal{1, 0, 0, 0, 0};
  const auto m = lm::reliance_measures(w, formal);
  EXPECT_DOUBLE_EQ(m.top_share, 1.0);
  EXPECT_DOUBLE_EQ(m.formal_share, 1.0);
  EXPECT_DOUBLE_EQ(m.evenness_vs_chance, 0.0);
}

TEST(LeadershipReliance, UniformInWeights) {
  // 4 agents, 3 events each (W = 12): top share 1/4; formal (agents 0, 1) 6/12;
  // H = 4 * 3 * 2 / (12 * 11) = 2/11, evenness (1 - 2/11) / (3/4) = 12/11 (more even
  // than random targeting, whose in-weights would vary).
  const std::vector<std::uint32_t> w{3, 3, 3, 3};
  const std::vector<std::uint8_t> formal{1, 1, 0, 0};
  const auto m = lm::reliance_measures(w, formal);
  EXPECT_DOUBLE_EQ(m.top_share, 0.25);
  EXPECT_DOUBLE_EQ(m.formal_share, 0.5);
  EXPECT_NEAR(m.evenness_vs_chance, 12.0 / 11.0, 1e-15);
}

TEST(LeadershipReliance, AMixedListByHand) {
  // w = (5, 3, 2, 0), W = 10, formal = agent 1 only: top 0.5, formal 0.3;
  // H = (20 + 6 + 2) / 90 = 28/90; evenness (1 - 28/90) / (3/4) = (62/90) (4/3) = 248/270.
  const std::vector<std::uint32_t> w{5, 3, 2, 0};
  const std::vector<std::uint8_t> formal{0, 1, 0, 0};
  const auto m = lm::reliance_measures(w, formal);
  EXPECT_DOUBLE_EQ(m.top_share, 0.5);
  EXPECT_DOUBLE_EQ(m.formal_share, 0.3);
  EXPECT_NEAR(m.evenness_vs_chance, 248.0 / 270.0, 1e-15);
}

TEST(LeadershipReliance, EmptyAndSingleEvent) {
  const std::vector<std::uint8_t> formal{1, 0, 0};
  // No events: nothing to measure.
  const auto none = lm::reliance_measures(std::vector<std::uint32_t>{0, 0, 0}, formal);
  EXPECT_TRUE(std::isnan(none.top_share));
  EXPECT_TRUE(std::isnan(none.formal_share));
  EXPECT_TRUE(std::isnan(none.evenness_vs_chance));
  // One event: its target holds the whole share, but one event has no pair of events
  // to compare, so evenness is undefined.
  const auto one = lm::reliance_measures(std::vector<std::uint32_t>{0, 1, 0}, formal);
  EXPECT_DOUBLE_EQ(one.top_share, 1.0);
  EXPECT_DOUBLE_EQ(one.formal_share, 0.0);
  EXPECT_TRUE(std::isnan(one.evenness_vs_chance));
  // Two events on two agents: H = 0, evenness 1 / (2/3) = 1.5 = N / (N - 1), the maximum.
  const auto two = lm::reliance_measures(std::vector<std::uint32_t>{1, 1, 0}, formal);
  EXPECT_DOUBLE_EQ(two.evenness_vs_chance, 1.5);
  EXPECT_DOUBLE_EQ(two.top_share, 0.5);
}

TEST(LeadershipReliance, TopFractionShareByHand) {
  std::vector<std::uint32_t> scratch;
  // 20 agents, 5% -> the top 1: 9 of 20 events.
  std::vector<std::uint32_t> w(20, 0);
  w[3] = 9;
  w[7] = 6;
  w[11] = 5;
  EXPECT_DOUBLE_EQ(lm::top_fraction_share(w, 0.05, scratch), 9.0 / 20.0);
  // 10% -> the top 2 (9 + 6); 15% -> ceil(3) = 3: everything.
  EXPECT_DOUBLE_EQ(lm::top_fraction_share(w, 0.10, scratch), 15.0 / 20.0);
  EXPECT_DOUBLE_EQ(lm::top_fraction_share(w, 0.15, scratch), 1.0);
  // 100 agents with one event each: the top 5 hold 5%.
  EXPECT_DOUBLE_EQ(lm::top_fraction_share(std::vector<std::uint32_t>(100, 1), 0.05, scratch), 0.05);
  // 7 agents: ceil(0.35) = 1 agent.
  EXPECT_DOUBLE_EQ(
      lm::top_fraction_share(std::vector<std::uint32_t>{1, 2, 3, 4, 0, 0, 0}, 0.05, scratch), 0.4);
  EXPECT_TRUE(std::isnan(lm::top_fraction_share(std::vector<std::uint32_t>(5, 0), 0.05, scratch)));
}

TEST(LeadershipReliance, MomentEvennessCountsOnlyPairsFromDifferentInsights) {
  // Two insights of 2 participants each, both (0, 1): x = (2, 2, 0), M = 4, sum k^2 = 8:
  // H = (2 + 2) / (16 - 8) = 1/2; evenness (1/2) / (2/3) = 0.75.
  EXPECT_DOUBLE_EQ(lm::simpson_evenness_vs_chance(std::vector<std::uint32_t>{2, 2, 0}, 8), 0.75);
  // A single insight has no pair of credits from different insights: undefined.
  EXPECT_TRUE(std::isnan(lm::simpson_evenness_vs_chance(std::vector<std::uint32_t>{1, 1, 1}, 9)));
}

// Unbiased for every volume: with W events drawn from the same targeting distribution pi,
// the mean of H is sum pi_i^2 whether W is 5 or 500 (Simpson 1949), and 1/N under
// uniform targeting; the Gini-based ratio to chance is not (it drifts with W).
TEST(LeadershipReliance, EvennessIsUnbiasedWhateverTheNumberOfEvents) {
  const std::vector<double> pi{0.4, 0.2, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.0, 0.0};
  double concentration = 0;
  for (double p : pi) concentration += p * p;
  const double n = static_cast<double>(pi.size());
  const double expected = (1.0 - concentration) / (1.0 - 1.0 / n);
  const std::vector<std::uint8_t> formal(pi.size(), 0);
  tribe::rng::Stream s(31, 0, 0);
  for (int events : {5, 40, 500}) {
    const int reps = 40000 / events + 2000;
    double sum = 0, sum2 = 0;
    std::vector<std::uint32_t> w(pi.size());
    for (int r = 0; r < reps; ++r) {
      std::fill(w.begin(), w.end(), 0u);
      for (int e = 0; e < events; ++e) {
        double u = tribe::rng::uniform(s), acc = 0;
        std::size_t i = 0;
        while (i + 1 < pi.size() && u >= (acc += pi[i])) ++i;
        ++w[i];
      }
      const double x = lm::reliance_measures(w, formal).evenness_vs_chance;
      sum += x;
      sum2 += x * x;
    }
    const double mean = sum / reps;
    const double se = std::sqrt((sum2 / reps - mean * mean) / reps);
    EXPECT_NEAR(mean, expected, 5 * se + 1e-12) << events << " events";
  }
}

TEST(LeadershipReliance, ChanceTargetingScoresOneOnAverage) {
  // Uniform targeting among N = 20 agents: the mean evenness vs chance is exactly 1.
  const std::size_t n = 20;
  const std::vector<std::uint8_t> formal(n, 0);
  tribe::rng::Stream s(32, 0, 0);
  double sum = 0, sum2 = 0;
  const int reps = 20000;
  std::vector<std::uint32_t> w(n);
  for (int r = 0; r < reps; ++r) {
    std::fill(w.begin(), w.end(), 0u);
    for (int e = 0; e < 15; ++e) ++w[tribe::rng::uniform_index(s, n)];
    const double x = lm::reliance_measures(w, formal).evenness_vs_chance;
    sum += x;
    sum2 += x * x;
  }
  const double mean = sum / reps;
  const double se = std::sqrt((sum2 / reps - mean * mean) / reps);
  EXPECT_NEAR(mean, 1.0, 5 * se);
}

TEST(LeadershipMetrics, FreemanCentralizationOfAStarALineAndARegularGraph) {
  using V = std::vector<std::uint32_t>;
  // Star on 5 nodes: centre degree 4, leaves 1: sum (4 - d_i) = 4 * 3 = 12 = (n-1)(n-2).
  EXPECT_DOUBLE_EQ(lm::degree_centralization(V{4, 1, 1, 1, 1}), 1.0);
  // Cycle: every degree equal.
  EXPECT_DOUBLE_EQ(lm::degree_centralization(V{2, 2, 2, 2, 2}), 0.0);
  // Path on 4 nodes: degrees 1 2 2 1: sum (2 - d_i) = 2, (n-1)(n-2) = 6.
  EXPECT_DOUBLE_EQ(lm::degree_centralization(V{1, 2, 2, 1}), 2.0 / 6.0);
  EXPECT_TRUE(std::isnan(lm::degree_centralization(V{1, 1})));     // n < 3
  EXPECT_TRUE(std::isnan(lm::degree_centralization(V{0, 0, 0})));  // no links
}

TEST(LeadershipMetrics, NetworkFromInsightPairsCountsEachLinkOnce) {
  // Insights {0,1}, {0,1} again, {0,2,3} on 4 agents: links 01 02 03 23.
  const auto key = [](std::uint64_t a, std::uint64_t b) { return a << 32 | b; };
  std::vector<std::uint64_t> pairs{key(0, 1), key(0, 1), key(0, 2), key(0, 3), key(2, 3)};
  std::vector<std::uint32_t> degree;
  std::vector<std::uint64_t> seen;
  const auto m = lm::leadership_network(4, pairs, degree, seen);
  EXPECT_DOUBLE_EQ(m.density, 4.0 / 6.0);
  // degrees 3 1 2 2: sum (3 - d_i) = 0 + 2 + 1 + 1 = 4, (n-1)(n-2) = 6
  EXPECT_DOUBLE_EQ(m.centralization, 4.0 / 6.0);
  std::vector<std::uint64_t> none;
  const auto e = lm::leadership_network(4, none, degree, seen);
  EXPECT_EQ(e.density, 0.0);
  EXPECT_TRUE(std::isnan(e.centralization));
  // The bit matrix is left all zero, and above kNetworkBitsetAgents the sort path counts
  // the same links: {0,1} twice and {0,2} on 5,000 agents, degrees 2 1 1 0 ...
  for (const auto w : seen) EXPECT_EQ(w, 0u);
  const std::int64_t n = lm::kNetworkBitsetAgents + 904;
  std::vector<std::uint64_t> big{key(0, 1), key(0, 1), key(0, 2)};
  const auto b = lm::leadership_network(n, big, degree, seen);
  const double dn = static_cast<double>(n);
  EXPECT_DOUBLE_EQ(b.density, 2.0 / (dn * (dn - 1.0) / 2.0));
  EXPECT_DOUBLE_EQ(b.centralization, (dn * 2.0 - 4.0) / ((dn - 1.0) * (dn - 2.0)));
}

// Brute force: every way of crediting each insight to k distinct agents, equally likely.
double brute_chance_evenness(int n, const std::vector<int>& sizes) {
  std::vector<std::vector<int>> subsets[4];
  for (int mask = 0; mask < (1 << n); ++mask) {
    std::vector<int> members;
    for (int i = 0; i < n; ++i)
      if (mask >> i & 1) members.push_back(i);
    if (members.size() <= 3) subsets[members.size()].push_back(members);
  }
  double total = 0, ways = 0;
  std::vector<std::uint32_t> counts(static_cast<std::size_t>(n));
  std::vector<std::size_t> pick(sizes.size(), 0);
  for (;;) {
    std::fill(counts.begin(), counts.end(), 0u);
    for (std::size_t j = 0; j < sizes.size(); ++j)
      for (int a : subsets[sizes[j]][pick[j]]) ++counts[static_cast<std::size_t>(a)];
    total += 1.0 - lm::gini(counts);
    ways += 1;
    std::size_t j = 0;
    while (j < sizes.size() && ++pick[j] == subsets[sizes[j]].size()) pick[j++] = 0;
    if (j == sizes.size()) break;
  }
  return total / ways;
}

TEST(LeadershipMetrics, ChanceEvennessEqualsTheBruteForceExpectation) {
  const struct {
    int n;
    std::vector<int> sizes;
  } cases[] = {{3, {2}}, {4, {2, 2}}, {4, {2, 3, 3}}, {5, {2, 2, 3, 2}}, {6, {3, 3, 2, 2, 3}}};
  for (const auto& c : cases) {
    std::vector<std::uint64_t> by_size(4, 0);
    for (int k : c.sizes) ++by_size[static_cast<std::size_t>(k)];
    EXPECT_NEAR(lm::chance_evenness(c.n, by_size), brute_chance_evenness(c.n, c.sizes), 1e-12)
        << "n = " << c.n;
  }
  EXPECT_TRUE(std::isnan(lm::chance_evenness(10, std::vector<std::uint64_t>{0, 0, 0, 0})));
  // Every pair of 2 agents holds every insight: all counts equal, evenness 1.
  EXPECT_DOUBLE_EQ(lm::chance_evenness(2, std::vector<std::uint64_t>{0, 0, 7, 0}), 1.0);
  EXPECT_DOUBLE_EQ(lm::evenness_vs_chance(0.3, 0.6), 0.5);
  EXPECT_TRUE(std::isnan(lm::evenness_vs_chance(0.3, 0.0)));
}

TEST(LeadershipMetrics, ChanceEvennessMatchesSimulatedRandomCreditingAtScale) {
  // 100 agents, 150 insights of 2 and 60 of 3: the exact expectation against the mean of
  // 4,000 random creditings (standard error of that mean ~ 5e-4).
  const int n = 100;
  std::vector<std::uint64_t> by_size{0, 0, 150, 60};
  tribe::rng::Stream s(99, 1, 0);
  std::vector<std::uint32_t> counts(n);
  double sum = 0;
  const int reps = 4000;
  for (int r = 0; r < reps; ++r) {
    std::fill(counts.begin(), counts.end(), 0u);
    for (int k = 2; k <= 3; ++k)
      for (std::uint64_t j = 0; j < by_size[static_cast<std::size_t>(k)]; ++j) {
        int chosen[3] = {-1, -1, -1};
        for (int q = 0; q < k; ++q) {
          int a;
          do a = static_cast<int>(tribe::rng::uniform_index(s, n));
          while (a == chosen[0] || a == chosen[1]);
          chosen[q] = a;
          ++counts[static_cast<std::size_t>(a)];
        }
      }
    sum += 1.0 - lm::gini(counts);
  }
  EXPECT_NEAR(lm::chance_evenness(n, by_size), sum / reps, 3e-3);
}

// ---------------------------------------------------------------- model interface

TEST(LeadershipModel, DescribesItsParametersAndColumns) {
  const auto& m = lm::model();
  EXPECT_EQ(m.name(), "leadership");
  for (const char* p : {"agents",
                        "steps",
                        "structure",
                        "span",
                        "span_spread",
                        "tie_within",
                        "tie_across",
                        "control",
                        "aligned",
                        "proactive",
                        "collaborative",
                        "concentration",
                        "capacity",
                        "hero",
                        "hero_capacity",
                        "hero_boost",
                        "hero_quality",
                        "hero_deference",
                        "arrival_rate",
                        "front_line_share",
                        "difficulty_mean",
                        "deadline_mean",
                        "dl_breadth",
                        "dl_centralization",
                        "dl_top_share",
                        "dl_formal_share",
                        "dl_reliance_evenness"})
    parameter(p);
  for (const auto& p : m.parameters()) {
    EXPECT_LE(p.min, p.default_value) << p.name;
    EXPECT_GE(p.max, p.default_value) << p.name;
    EXPECT_FALSE(p.description.empty()) << p.name;
  }
  for (const char* c : {"depth",
                        "max_span",
                        "lateral_ties",
                        "hero_present",
                        "mean_aligned",
                        "mean_proactive",
                        "mean_collaborative",
                        "challenges",
                        "solve_rate",
                        "aligned_solve_rate",
                        "aligned_solve_logit",
                        "mean_time_to_solve",
                        "front_line_initiative",
                        "escalation_rate",
                        "queue_mean",
                        "queue_max",
                        "conflicts_per_challenge",
                        "misdirected_per_challenge",
                        "failures_per_challenge",
                        "blame_per_challenge",
                        "leadership_breadth",
                        "leadership_evenness",
                        "leader_share",
                        "manager_share",
                        "leadership_density",
                        "leadership_centralization",
                        "evenness_vs_chance",
                        "reliance_events",
                        "reliance_top_share",
                        "reliance_formal_share",
                        "reliance_evenness_vs_chance",
                        "reliance_top5pct_share",
                        "moment_evenness_vs_chance",
                        "hero_dependence",
                        "distributed",
                        "distributed_network"})
    column(c);
  EXPECT_EQ(m.parameters()[parameter("structure")].choices.size(), 5u);
}

TEST(LeadershipModel, EveryColumnIsWritten) {
  const auto row = run_row(defaults(), OrgContext{1, 0, 0});
  for (std::size_t i = 0; i < row.size(); ++i)
    EXPECT_NE(row[i], tribe::test::kUnwritten) << lm::model().columns()[i].name;
  EXPECT_TRUE(std::isnan(row[column("hero_dependence")]));
  EXPECT_EQ(row[column("depth")], 3.0);
  EXPECT_EQ(row[column("max_span")], 5.0);
}

TEST(LeadershipModel, ValidationNamesTheKeys) {
  auto v = with({{"agents", 100}, {"span", 150}});
  try {
    lm::model().validate(v);
    FAIL() << "span > agents - 1 accepted";
  } catch (const tribe::InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("span = 150"), std::string::npos) << msg;
    EXPECT_NE(msg.find("agents - 1 = 99"), std::string::npos) << msg;
  }
  v[parameter("span")] = 99;
  EXPECT_NO_THROW(lm::model().validate(v));
  v[parameter("hero_managers")] = 100;
  EXPECT_THROW(lm::model().validate(v), tribe::InputError);
  EXPECT_THROW(lm::model().bind(v), tribe::InputError);
}

TEST(LeadershipModel, SameContextGivesIdenticalRow) {
  auto v = with({{"hero", 1}});
  for (const char* s : {"flat", "hierarchy", "random_hierarchy", "random_tree", "preferential"}) {
    const auto& choices = lm::model().parameters()[parameter("structure")].choices;
    v[parameter("structure")] =
        static_cast<double>(std::find(choices.begin(), choices.end(), s) - choices.begin());
    const auto a = run_row(v, OrgContext{42, 7, 3});
    const auto b = run_row(v, OrgContext{42, 7, 3});
    EXPECT_TRUE(same_bits(a, b)) << s;
    EXPECT_FALSE(same_bits(a, run_row(v, OrgContext{43, 7, 3}))) << s;  // another seed
    EXPECT_FALSE(same_bits(a, run_row(v, OrgContext{42, 8, 3}))) << s;  // another organization
    EXPECT_FALSE(same_bits(a, run_row(v, OrgContext{42, 7, 4}))) << s;  // another domain
  }
}

TEST(LeadershipModel, ReusedWorkspaceGivesIdenticalRow) {
  const auto& m = lm::model();
  auto v = defaults();
  const auto fresh = run_row(v, OrgContext{5, 2, 0});
  auto ws = m.make_workspace();
  auto big = v;
  big[parameter("agents")] = 3000;
  big[parameter("arrival_rate")] = 0.05;
  big[parameter("structure")] = 0;  // flat: many sibling ties
  run_row(big, OrgContext{5, 9, 0}, ws.get());
  EXPECT_TRUE(same_bits(fresh, run_row(v, OrgContext{5, 2, 0}, ws.get())));
  // and after another, different organization in the same workspace
  run_row(v, OrgContext{5, 3, 0}, ws.get());
  EXPECT_TRUE(same_bits(fresh, run_row(v, OrgContext{5, 2, 0}, ws.get())));
}

TEST(LeadershipModel, WorkspaceDoesNotReallocateOnceGrown) {
  lm::Config big;
  big.arrival_rate = 0.03;  // more challenges than the default
  lm::Config c;
  lm::Scratch ws;
  lm::OrgResult r;
  lm::simulate_organization(big, OrgContext{1, 0, 0}, ws, r);
  const auto* open = ws.open.data();
  const auto* challenges = ws.challenges.data();
  const auto* agents = ws.agents.data();
  const auto* adj = ws.ties.adj.data();
  const auto* events = ws.events.data();
  for (std::uint64_t o = 0; o < 20; ++o) {
    lm::simulate_organization(c, OrgContext{1, o, 0}, ws, r);
    EXPECT_EQ(open, ws.open.data());
    EXPECT_EQ(challenges, ws.challenges.data());
    EXPECT_EQ(agents, ws.agents.data());
    EXPECT_EQ(events, ws.events.data());
  }
  (void)adj;
}

// ---------------------------------------------------------------- mechanisms at extremes

TEST(LeadershipMechanism, NoProactivityMeansEveryDecisionEscalates) {
  auto v = with({{"proactive", 0}});
  const auto row = run_row(v, OrgContext{1, 0, 0});
  EXPECT_EQ(row[column("escalation_rate")], 1.0);
  // Only the top leader acts, so only challenges that arose at the top are solved where they arose.
  EXPECT_LT(row[column("front_line_initiative")], 0.05);
  EXPECT_EQ(row[column("leader_share")], 1.0);
  v[parameter("front_line_share")] = 1;  // every challenge arises at the front line
  EXPECT_EQ(run_row(v, OrgContext{1, 0, 0})[column("front_line_initiative")], 0.0);
}

TEST(LeadershipMechanism, FullProactivityMeansNoEscalation) {
  auto v = with({{"proactive", 1}});
  EXPECT_EQ(run_row(v, OrgContext{1, 0, 0})[column("escalation_rate")], 0.0);
}

TEST(LeadershipMechanism, FullControlRoutesEveryInteractionThroughALeader) {
  lm::Config c;
  c.control = 1.0;
  const auto s = total(c, 20);
  EXPECT_GT(s.lateral, 0u);
  EXPECT_EQ(s.interactions_with_leader, s.interactions);
  EXPECT_EQ(s.routed + (s.lateral - s.routed), s.lateral);
  c.control = 0.0;
  const auto z = total(c, 20);
  EXPECT_EQ(z.routed, 0u);
  EXPECT_LT(z.interactions_with_leader, z.interactions);
}

TEST(LeadershipMechanism, ProactiveWithoutCollaborationFightsEveryTime) {
  lm::Config c;
  c.proactive = 1.0;
  c.collaborative = 0.0;  // conflict probability = 1 * 1 * (1 - 0)
  const auto s = total(c, 5);
  EXPECT_GT(s.interactions, 0u);
  EXPECT_EQ(s.all_conflicts, s.interactions);
  EXPECT_EQ(s.solved, 0u);
  // with collaboration, no conflict at all
  c.collaborative = 1.0;
  EXPECT_EQ(total(c, 5).all_conflicts, 0u);
}

TEST(LeadershipMechanism, NoAlignmentMeansNoAlignedSolutions) {
  auto v = with({{"aligned", 0}});
  const auto row = run_row(v, OrgContext{1, 0, 0});
  EXPECT_EQ(row[column("aligned_solve_rate")], 0.0);
  EXPECT_GT(row[column("misdirected_per_challenge")], 0.0);
  EXPECT_EQ(row[column("distributed")], 0.0);
  v[parameter("aligned")] = 1;
  const auto full = run_row(v, OrgContext{1, 0, 0});
  EXPECT_EQ(full[column("misdirected_per_challenge")], 0.0);
  EXPECT_EQ(full[column("aligned_solve_rate")], full[column("solve_rate")]);
}

TEST(LeadershipMechanism, LowCapacityFlatUnderControlQueuesAtTheTop) {
  auto v = with({{"structure", 0},  // flat
                 {"control", 1},
                 {"capacity", 1}});
  double flat_q = 0, hier_q = 0;
  for (std::uint64_t o = 0; o < 10; ++o)
    flat_q += run_row(v, OrgContext{1, o, 0})[column("queue_mean")];
  v[parameter("structure")] = 1;
  for (std::uint64_t o = 0; o < 10; ++o)
    hier_q += run_row(v, OrgContext{1, o, 0})[column("queue_mean")];
  // A mechanism check (one server vs many), not a claim: more load per leader, longer queues.
  EXPECT_GT(flat_q, hier_q);
}

TEST(LeadershipMechanism, RatesAreConsistent) {
  lm::Config c;
  lm::Scratch ws;
  lm::OrgResult r;
  for (std::uint64_t o = 0; o < 10; ++o) {
    lm::simulate_organization(c, OrgContext{2, o, 0}, ws, r);
    EXPECT_EQ(r.run.solved + r.run.failed,
              r.run.eligible);  // every resolvable challenge is resolved
    EXPECT_EQ(r.run.solved_aligned + r.run.misdirected, r.run.solved);
    EXPECT_GE(r.run.blame, r.run.failed);
    EXPECT_LE(r.run.solutions_at_origin, r.run.solutions);
    std::uint64_t events = 0;
    for (int i = 0; i < c.agents; ++i) events += ws.events[i];
    EXPECT_GE(events, 2 * r.run.insights);  // every insight credits at least two participants
    EXPECT_LE(events, 3 * r.run.insights);
  }
}

TEST(LeadershipMechanism, AlignedLogitIsTheEmpiricalLogOddsOfTheRate) {
  for (std::uint64_t o = 0; o < 5; ++o) {
    const auto row = run_row(defaults(), OrgContext{2, o, 0});
    const double e = row[column("challenges")] - row[column("censored")];
    const double s = std::round(row[column("aligned_solve_rate")] * e);
    ASSERT_GT(e, 0.0);
    EXPECT_NEAR(row[column("aligned_solve_logit")], std::log((s + 0.5) / (e - s + 0.5)), 1e-12);
  }
}

// ------------------------------------------------ exact special cases (docs/model.md)
// Expected values follow from the model's description alone (docs/model.md), not from
// the engine's code.

TEST(LeadershipSpecialCase, NoArrivalsGiveUndefinedRates) {
  auto v = with({{"arrival_rate", 0}});
  const auto row = run_row(v, OrgContext{1, 0, 0});
  EXPECT_EQ(row[column("challenges")], 0.0);
  EXPECT_TRUE(std::isnan(row[column("solve_rate")]));
  EXPECT_TRUE(std::isnan(row[column("leadership_evenness")]));
  EXPECT_EQ(row[column("leadership_breadth")], 0.0);
  EXPECT_TRUE(std::isnan(row[column("leader_share")]));
  EXPECT_TRUE(std::isnan(row[column("manager_share")]));
  EXPECT_EQ(row[column("leadership_density")], 0.0);  // no links
  EXPECT_TRUE(std::isnan(row[column("leadership_centralization")]));
  EXPECT_TRUE(std::isnan(row[column("evenness_vs_chance")]));
  EXPECT_EQ(row[column("distributed")], 0.0);
}

TEST(LeadershipSpecialCase, OneStepLeavesEveryChallengeCensored) {
  // T = 1: a challenge arising at step 0 is workable at least at step 0, so its deadline
  // (last + 1 >= 1 = T) is never inside the horizon: nothing is resolvable.
  auto v = with({{"steps", 1}, {"arrival_rate", 0.5}});
  for (const auto& row : rows(v, 1, 5)) {
    EXPECT_GT(row[column("challenges")], 0.0);
    EXPECT_EQ(row[column("censored")], row[column("challenges")]);
    for (const char* rate : {"solve_rate", "aligned_solve_rate", "conflicts_per_challenge",
                             "misdirected_per_challenge", "failures_per_challenge",
                             "blame_per_challenge", "mean_time_to_solve"})
      EXPECT_TRUE(std::isnan(row[column(rate)])) << rate;
  }
}

TEST(LeadershipSpecialCase, ProactiveWithoutCollaborationEveryInteractionIsAConflict) {
  // P = 1, C = 0: conflict probability = conflict_scale * 1 * (1 - 0) = 1. No insight ever,
  // so no leadership event, and every resolvable challenge fails at its deadline.
  auto v = with({{"proactive", 1}, {"collaborative", 0}});
  for (const auto& row : rows(v, 2, 5)) {
    EXPECT_EQ(row[column("solve_rate")], 0.0);
    EXPECT_EQ(row[column("failures_per_challenge")], 1.0);
    EXPECT_GT(row[column("conflicts_per_challenge")], 0.0);
    EXPECT_EQ(row[column("leadership_breadth")], 0.0);
    EXPECT_TRUE(std::isnan(row[column("manager_share")]));
    EXPECT_EQ(row[column("leadership_density")], 0.0);
    EXPECT_TRUE(std::isnan(row[column("leadership_centralization")]));
  }
}

TEST(LeadershipSpecialCase, FlatWithoutInitiativeInvolvesTheTopInEveryInsight) {
  // Flat, P = 0: every holder below the top escalates; the top leader holds every
  // challenge and works it with one of its reports, so every insight involves the top
  // leader (the only manager) and the leadership network is a star around it.
  auto v = with({{"structure", 0},  // flat
                 {"control", 1},
                 {"proactive", 0}});
  for (const auto& row : rows(v, 3, 5)) {
    ASSERT_FALSE(std::isnan(row[column("manager_share")]));
    EXPECT_EQ(row[column("manager_share")], 1.0);
    EXPECT_EQ(row[column("leader_share")], 1.0);
    EXPECT_EQ(row[column("escalation_rate")], 1.0);
    // A star with L leaves among N = 100 (the others isolated): sum (L - d_i) = L (L - 1) +
    // (N - 1 - L) L = (N - 2) L, so centralization = L / (N - 1); density = L / (N (N-1) / 2).
    const double density = row[column("leadership_density")];
    const double leaves = density * 100.0 * 99.0 / 2.0;
    EXPECT_NEAR(row[column("leadership_centralization")], leaves / 99.0, 1e-12);
  }
}

// Flat, all siblings tied, kappa = 0, A = P = C = 1, every challenge at the front line
// (two tests below).
std::vector<double> flat_fully_tied_free_and_capable() {
  return with({{"structure", 0},
               {"tie_within", 1},
               {"control", 0},
               {"aligned", 1},
               {"proactive", 1},
               {"collaborative", 1},
               {"front_line_share", 1}});
}

TEST(LeadershipSpecialCase, FlatFullyTiedFreeAndCapableNeverInvolvesAManager) {
  // Flat, all siblings tied, kappa = 0, A = P = C = 1, every challenge at the front line:
  // holders never escalate (P = 1), always pick a lateral partner (C = 1, ties), are never
  // routed (kappa = 0) and never fight (P (1 - C) = 0). No insight involves the top leader
  // or any manager, and leadership spreads over the peers: centralization near 0.
  const auto v = flat_fully_tied_free_and_capable();
  for (const auto& row : rows(v, 4, 5)) {
    EXPECT_EQ(row[column("manager_share")], 0.0);
    EXPECT_EQ(row[column("leader_share")], 0.0);
    EXPECT_EQ(row[column("conflicts_per_challenge")], 0.0);
    EXPECT_EQ(row[column("misdirected_per_challenge")], 0.0);
    EXPECT_EQ(row[column("escalation_rate")], 0.0);
    EXPECT_LT(row[column("leadership_centralization")], 0.15);
    EXPECT_GT(row[column("evenness_vs_chance")], 0.8);
  }
}

TEST(LeadershipReliance, FlatWithoutInitiativeReliesOnlyOnTheFounder) {
  // Flat, P = 0: every decision below the top escalates to the founder, and the founder's
  // own decisions pull reports in (direction, not reliance): every reliance event goes to
  // the founder, whatever becomes of the challenge. Concentration, never "distributed".
  // arrival_rate 0.05: an overloaded founder, most challenges die in the queue.
  auto v = with({{"structure", 0}, {"proactive", 0}, {"capacity", 1}, {"arrival_rate", 0.05}});
  for (const auto& row : rows(v, 5, 5)) {
    EXPECT_GT(row[column("failures_per_challenge")], 0.5);
    EXPECT_GT(row[column("reliance_events")], 0.0);
    EXPECT_EQ(row[column("reliance_top_share")], 1.0);
    EXPECT_EQ(row[column("reliance_formal_share")], 1.0);
    EXPECT_EQ(row[column("reliance_evenness_vs_chance")], 0.0);
    EXPECT_EQ(row[column("distributed")], 0.0);
  }
}

TEST(LeadershipReliance, FlatFullyTiedFreeAndCapableReliesOnPeers) {
  // As FlatFullyTiedFreeAndCapableNeverInvolvesAManager: every decision turns to a lateral
  // partner drawn uniformly among the holder's tied siblings, so no reliance reaches the
  // founder and the in-weights are those of near-uniform targeting: distributed.
  const auto v = flat_fully_tied_free_and_capable();
  for (const auto& row : rows(v, 4, 5)) {
    EXPECT_EQ(row[column("reliance_formal_share")], 0.0);
    EXPECT_LT(row[column("reliance_top_share")], 0.1);
    EXPECT_GT(row[column("reliance_evenness_vs_chance")], 0.9);
    EXPECT_EQ(row[column("distributed")], 1.0);
  }
}

TEST(LeadershipReliance, ReliancePerDecisionIsCountedWhateverTheOutcome) {
  // Every decision of a holder with a manager is exactly one reliance event, plus one for
  // each routed interaction (partner and manager); the top leader's decisions are none.
  for (int structure : {0, 2}) {
    lm::Config c;  // tie_across = 0: the top leader has no lateral tie, its decisions pull
    c.structure = static_cast<lm::StructureKind>(structure);
    c.capacity = 1;
    c.arrival_rate = 0.03;
    c.control = 0.5;
    c.tie_across = 0;
    lm::Scratch scratch;
    lm::OrgResult r;
    for (std::uint64_t o = 0; o < 3; ++o) {
      lm::simulate_organization(c, OrgContext{8, o, 0}, scratch, r);
      EXPECT_EQ(r.run.reliance_events, r.run.decisions + r.run.routed) << structure;
      EXPECT_GT(r.run.failed, 0u);
    }
  }
}

TEST(LeadershipHero, AHeroIdenticalToAnOrdinaryAgentChangesNothing) {
  // Qualities fixed at the means (huge concentration), hero with ordinary
  // capacity, no boost and the mean quality: common random numbers make the
  // two runs identical, so hero dependence is exactly 0.
  auto v = with({{"concentration", 10000},
                 {"aligned", 0.5},
                 {"proactive", 0.5},
                 {"collaborative", 0.5},
                 {"hero", 1},
                 {"hero_capacity", 1},
                 {"hero_boost", 0},
                 {"hero_quality", 0.5}});
  for (std::uint64_t o = 0; o < 5; ++o) {
    lm::Config c;
    c.concentration = 1e9;  // exact means
    c.hero = true;
    c.hero_capacity = 1;
    c.hero_boost = 0;
    c.hero_quality = 0.5;
    lm::Scratch ws;
    lm::OrgResult r;
    lm::simulate_organization(c, OrgContext{3, o, 0}, ws, r);
    EXPECT_TRUE(r.hero_present);
    EXPECT_EQ(r.run.solved, r.counterfactual.solved);
    EXPECT_EQ(r.run.insights, r.counterfactual.insights);
  }
  const auto row = run_row(v, OrgContext{3, 0, 0});
  EXPECT_EQ(row[column("hero_present")], 1.0);
  EXPECT_FALSE(std::isnan(row[column("hero_dependence")]));
}

TEST(LeadershipHero, AStrongHeroIsInvolvedAndMissedWhenQualitiesAreLow) {
  lm::Config c;
  c.aligned = c.proactive = c.collaborative = 0.3;
  c.hero = true;
  c.hero_boost = 1.0;  // every interaction the hero joins succeeds
  lm::Scratch ws;
  lm::OrgResult r;
  double dependence = 0;
  for (std::uint64_t o = 0; o < 10; ++o) {
    lm::simulate_organization(c, OrgContext{4, o, 0}, ws, r);
    EXPECT_EQ(r.run.insights_with_hero, r.run.insights_with_top);
    dependence += static_cast<double>(r.run.solved) / r.run.eligible -
                  static_cast<double>(r.counterfactual.solved) / r.counterfactual.eligible;
  }
  EXPECT_GT(dependence, 0.0);
}

TEST(LeadershipHero, DeferenceLowersOthersInitiativeOnlyWithAHero) {
  lm::Config c;
  c.hero_deference = 1.0;                                     // no initiative at all below a hero
  EXPECT_LT(total(c, 5).escalations, total(c, 5).decisions);  // no hero: deference has no effect
  c.hero = true;
  const auto s = total(c, 5);
  EXPECT_EQ(s.escalations, s.decisions);
}

namespace {

std::string memory_refusal(const std::vector<double>& v, double bytes) {
  try {
    lm::model().check_memory(v, bytes);
  } catch (const tribe::InputError& e) {
    return e.what();
  }
  return "";
}

// Issue 27, item 4: the challenges of the horizon (arrival_rate x agents x steps of them)
// were not in the memory estimate: agents 100, steps 100,000, arrival_rate 10 (all in
// range) crashed. Now refused before work, naming the largest horizon that fits, and that
// horizon fits.
TEST(LeadershipMemory, ChallengesOfTheHorizonAreEstimatedAndRefusedWithTheLargestThatFits) {
  auto v = with({{"agents", 100}, {"steps", 100000}, {"arrival_rate", 10}});
  const double budget = 4.0 * (1u << 30);  // 4 GiB per worker
  const auto msg = memory_refusal(v, budget);
  ASSERT_NE(msg.find("challenges per organization"), std::string::npos) << msg;
  const auto at = msg.find("at most steps = ");
  ASSERT_NE(at, std::string::npos) << msg;
  const double most = std::stod(msg.substr(at + 16));
  EXPECT_GT(most, 1000);
  EXPECT_LT(most, 100000);
  v[parameter("steps")] = most;
  EXPECT_EQ(memory_refusal(v, budget), "");  // the value it names fits
  v[parameter("steps")] = most + 1;
  EXPECT_NE(memory_refusal(v, budget), "");  // and is the largest
  // About 136 bytes per challenge: 1e8 challenges cannot fit in 4 GiB, 1e6 can.
  v[parameter("steps")] = 1000;  // 1e6 challenges
  EXPECT_EQ(memory_refusal(v, budget), "");
  // Beyond 2e9 challenges (32-bit indices) whatever the memory.
  v[parameter("agents")] = 2000;
  v[parameter("steps")] = 100000;
  EXPECT_NE(memory_refusal(v, 1e18).find("more than the 2e9 challenges"), std::string::npos);
}

// The worst case of each parameter in range, one at a time and together: the estimate
// either accepts or refuses with one line; it never accepts what exceeds the budget by its
// own count (a run is refused before work rather than killed during it).
TEST(LeadershipMemory, WorstCaseOfEachParameterIsEstimated) {
  const double budget = 2.0 * (1u << 30);
  for (const char* name : {"agents", "steps", "arrival_rate", "tie_within", "tie_across"}) {
    auto v = defaults();
    const auto& spec = lm::model().parameters()[parameter(name)];
    v[parameter(name)] = spec.max;
    if (std::string(name) == "agents") v[parameter("structure")] = 0;  // flat: widest
    const auto msg = memory_refusal(v, budget);
    SCOPED_TRACE(name);
    if (!msg.empty()) {
      EXPECT_NE(msg.find("fits here"), std::string::npos) << msg;
      EXPECT_EQ(msg.find('\n'), std::string::npos);
    }
  }
  auto v = defaults();
  for (const char* name : {"agents", "steps", "arrival_rate"})
    v[parameter(name)] = lm::model().parameters()[parameter(name)].max;
  EXPECT_NE(memory_refusal(v, budget), "");
}

}  // namespace

// Intervals over cells that share organizations (common random numbers): coverage on
// synthetic correlated data, where organization k carries an effect shared by every cell.
#include "tribe/stats/clustered.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "tribe/stats/intervals.hpp"

namespace {

using namespace tribe::stats;

constexpr int kReplications = 2000;
constexpr std::uint64_t kCells = 4, kOrganizations = 60;

/// y[c][k] = u_k + e_ck, u_k ~ N(0, 1) shared by organization k of every cell, e ~ N(0, 1).
std::vector<std::vector<double>> correlated_cells(std::mt19937_64& g) {
  std::normal_distribution<double> n(0, 1);
  std::vector<double> u(kOrganizations);
  for (auto& v : u) v = n(g);
  std::vector<std::vector<double>> y(kCells, std::vector<double>(kOrganizations));
  for (auto& cell : y)
    for (std::uint64_t k = 0; k < kOrganizations; ++k) cell[k] = u[k] + n(g);
  return y;
}

TEST(ClusteredIntervals, PooledMeanCoversAt95PercentWhereTheIndependentIntervalDoesNot) {
  std::mt19937_64 g(20260101);
  int clustered = 0, independent = 0;
  for (int rep = 0; rep < kReplications; ++rep) {
    const auto y = correlated_cells(g);
    ClusterSums s;
    double sum = 0, sq = 0;
    for (const auto& cell : y)
      for (std::uint64_t k = 0; k < kOrganizations; ++k) {
        s.add(k, cell[k]);
        sum += cell[k];
        sq += cell[k] * cell[k];
      }
    const auto c = clustered_mean_interval(s, 0.95);
    clustered += c.low <= 0 && 0 <= c.high;
    const double n = static_cast<double>(kCells * kOrganizations), m = sum / n;
    const auto i =
        mean_interval(m, std::sqrt((sq - n * m * m) / (n - 1)), kCells * kOrganizations, 0.95);
    independent += i.low <= 0 && 0 <= i.high;
  }
  const double coverage = clustered / static_cast<double>(kReplications);
  EXPECT_GE(coverage, 0.93);
  EXPECT_LE(coverage, 0.97);
  // Treating the 240 correlated values as independent: far too narrow.
  EXPECT_LT(independent / static_cast<double>(kReplications), 0.85);
}

TEST(ClusteredIntervals, UnpairedDifferenceOverSharedOrganizationsCoversAt95Percent) {
  // Cells 0, 1 against cells 2, 3 with organization effects that differ by side (so the
  // difference keeps some of them): y = (1 + 0.5 side) u_k + e; true difference 0.
  std::mt19937_64 g(7);
  std::normal_distribution<double> n(0, 1);
  int covered = 0;
  for (int rep = 0; rep < kReplications; ++rep) {
    std::vector<double> u(kOrganizations);
    for (auto& v : u) v = n(g);
    ClusterSums a, b;
    for (std::uint64_t c = 0; c < kCells; ++c)
      for (std::uint64_t k = 0; k < kOrganizations; ++k)
        (c < 2 ? a : b).add(k, (c < 2 ? 1.0 : 1.5) * u[k] + n(g));
    const auto i = clustered_mean_difference(a, b, 0.95);
    covered += i.low <= 0 && 0 <= i.high;
  }
  const double coverage = covered / static_cast<double>(kReplications);
  EXPECT_GE(coverage, 0.93);
  EXPECT_LE(coverage, 0.97);
}

TEST(ClusteredIntervals, PooledProportionAndDifferenceCoverAt95Percent) {
  // Binary outcomes 1{u_k + e > 0.5}: p = 1 - Phi(0.5 / sqrt 2) in every cell.
  const double p = 1 - normal_cdf(0.5 / std::sqrt(2.0));
  std::mt19937_64 g(11);
  std::normal_distribution<double> n(0, 1);
  const std::uint64_t orgs = 150;
  int one = 0, two = 0;
  for (int rep = 0; rep < kReplications; ++rep) {
    std::vector<double> u(orgs);
    for (auto& v : u) v = n(g);
    ClusterSums all, a, b;
    for (std::uint64_t c = 0; c < kCells; ++c)
      for (std::uint64_t k = 0; k < orgs; ++k) {
        const double y = u[k] + n(g) > 0.5 ? 1.0 : 0.0;
        all.add(k, y);
        (c < 2 ? a : b).add(k, y);
      }
    const auto i = clustered_proportion_interval(all, 0.95);
    one += i.low <= p && p <= i.high;
    const auto d = clustered_proportion_difference(a, b, 0.95);
    two += d.low <= 0 && 0 <= d.high;
  }
  EXPECT_GE(one / static_cast<double>(kReplications), 0.93);
  EXPECT_LE(one / static_cast<double>(kReplications), 0.97);
  EXPECT_GE(two / static_cast<double>(kReplications), 0.93);
  EXPECT_LE(two / static_cast<double>(kReplications), 0.97);
}

TEST(ClusteredIntervals, OneValuePerClusterIsTheUsualInterval) {
  ClusterSums s;
  const std::vector<double> v{1.0, 2.5, 0.5, 4.0, 3.0};
  double sum = 0, sq = 0;
  for (std::size_t k = 0; k < v.size(); ++k) {
    s.add(k, v[k]);
    sum += v[k];
  }
  const double m = sum / 5;
  for (double x : v) sq += (x - m) * (x - m);
  const auto c = clustered_mean_interval(s, 0.95);
  const auto i = mean_interval(m, std::sqrt(sq / 4), 5, 0.95);
  EXPECT_NEAR(c.low, i.low, 1e-12);
  EXPECT_NEAR(c.high, i.high, 1e-12);
}

TEST(ClusteredIntervals, ConstantSamplesGiveExactIntervalsAndNoDataGivesNaN) {
  ClusterSums a, b, empty;
  for (std::uint64_t k = 0; k < 5; ++k) {
    a.add(k, 0.7);
    b.add(k, 0.2);
    empty.add(k, NAN);
  }
  const auto d = clustered_mean_difference(a, b, 0.95);
  EXPECT_DOUBLE_EQ(d.low, d.estimate);
  EXPECT_DOUBLE_EQ(d.high, d.estimate);
  EXPECT_NEAR(d.estimate, 0.5, 1e-15);
  EXPECT_TRUE(std::isnan(clustered_mean_interval(empty, 0.95).estimate));
  EXPECT_EQ(empty.n(), 0u);
}

}  // namespace

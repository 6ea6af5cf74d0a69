#include "tribe/stats/variance.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "tribe/core/error.hpp"

namespace {

using namespace tribe::stats;
using Levels = std::vector<std::uint32_t>;

VarianceDecomposition run(const std::vector<Levels>& f, const std::vector<double>& y) {
  std::vector<std::span<const std::uint32_t>> spans(f.begin(), f.end());
  return decompose_variance(spans, y);
}

// Hand-computed 2x2 design, 2 replicates per cell:
//   A0B0: 1, 3   A0B1: 5, 7   A1B0: 2, 4   A1B1: 10, 12
// grand mean 5.5; A means 4, 7 -> SS_A = 8 * 1.5^2 = 18; B means 2.5, 8.5 -> SS_B = 8 * 3^2 = 72;
// cell means 2, 6, 3, 11 -> interaction effects +-1 -> SS_AB = 8; within-cell SS = 8;
// SS_total = 106 (= 18 + 72 + 8 + 8).
const std::vector<Levels> kFactors{{0, 0, 0, 0, 1, 1, 1, 1}, {0, 0, 1, 1, 0, 0, 1, 1}};
const std::vector<double> kY{1, 3, 5, 7, 2, 4, 10, 12};

TEST(StatsVariance, HandComputed2x2) {
  const VarianceDecomposition d = run(kFactors, kY);
  EXPECT_EQ(d.n_used, 8u);
  EXPECT_DOUBLE_EQ(d.grand_mean, 5.5);
  EXPECT_NEAR(d.ss_total, 106.0, 1e-12);
  ASSERT_EQ(d.ss_between.size(), 2u);
  EXPECT_NEAR(d.ss_between[0], 18.0, 1e-12);
  EXPECT_NEAR(d.ss_between[1], 72.0, 1e-12);
  EXPECT_NEAR(d.eta_squared[0], 18.0 / 106.0, 1e-14);
  EXPECT_NEAR(d.eta_squared[1], 72.0 / 106.0, 1e-14);
  EXPECT_NEAR(d.unexplained_share, 16.0 / 106.0, 1e-14);
  EXPECT_EQ(d.first_order_sobol, d.eta_squared);
  EXPECT_EQ(d.levels, (std::vector<std::size_t>{2, 2}));
  EXPECT_TRUE(d.balanced_full_factorial);
}

TEST(StatsVariance, ShiftInvariantAndNaNSkipped) {
  // A large offset must not destroy the result (two-pass, centred sums).
  std::vector<double> y = kY;
  for (double& v : y) v += 1e9;
  const VarianceDecomposition d = run(kFactors, y);
  EXPECT_NEAR(d.eta_squared[0], 18.0 / 106.0, 1e-9);
  EXPECT_NEAR(d.eta_squared[1], 72.0 / 106.0, 1e-9);
  // A NaN outcome is skipped and breaks the balance.
  std::vector<Levels> f = kFactors;
  f[0].push_back(1);
  f[1].push_back(1);
  std::vector<double> yn = kY;
  yn.push_back(std::numeric_limits<double>::quiet_NaN());
  const VarianceDecomposition dn = run(f, yn);
  EXPECT_EQ(dn.n_used, 8u);
  EXPECT_NEAR(dn.eta_squared[1], 72.0 / 106.0, 1e-14);
  EXPECT_TRUE(dn.balanced_full_factorial);
  yn.back() = 11.0;
  EXPECT_FALSE(run(f, yn).balanced_full_factorial);
}

TEST(StatsVariance, EdgeCases) {
  const VarianceDecomposition c = run({{0, 1, 0, 1}}, {2, 2, 2, 2});
  EXPECT_EQ(c.ss_total, 0.0);
  EXPECT_TRUE(std::isnan(c.eta_squared[0]));
  EXPECT_TRUE(std::isnan(c.unexplained_share));
  const VarianceDecomposition e = run({{}}, {});
  EXPECT_EQ(e.n_used, 0u);
  EXPECT_TRUE(std::isnan(e.grand_mean));
  EXPECT_THROW(run({{0, 1}}, {1, 2, 3}), tribe::InputError);
  // A factor that explains everything.
  const VarianceDecomposition all = run({{0, 0, 1, 1}, {0, 1, 0, 1}}, {1, 1, 5, 5});
  EXPECT_NEAR(all.eta_squared[0], 1.0, 1e-15);
  EXPECT_NEAR(all.eta_squared[1], 0.0, 1e-15);
  EXPECT_NEAR(all.unexplained_share, 0.0, 1e-15);
}

}  // namespace

// PRIM scenario discovery on a known box.
#include "tribe/stats/prim.hpp"

#include <gtest/gtest.h>

#include <random>

namespace {

using namespace tribe::stats;

TEST(Prim, FindsTheBoxWhereTheOutcomeHoldsAndLeavesInertInputsFree) {
  // y = 1 inside x0 >= 0.3 and x1 <= 0.6 (with 5% label noise); x2 is inert; x3 takes 3
  // discrete values and is inert too.
  std::mt19937_64 g(3);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<std::vector<double>> x;
  std::vector<int> y;
  for (int i = 0; i < 4000; ++i) {
    std::vector<double> p{u(g), u(g), u(g), static_cast<double>(i % 3)};
    int inside = p[0] >= 0.3 && p[1] <= 0.6;
    if (u(g) < 0.05) inside = 1 - inside;
    x.push_back(p);
    y.push_back(inside);
  }
  const auto box = prim(x, y);
  ASSERT_EQ(box.restricted.size(), 4u);
  EXPECT_TRUE(box.restricted[0]);
  EXPECT_TRUE(box.restricted[1]);
  EXPECT_FALSE(box.restricted[2]);
  EXPECT_FALSE(box.restricted[3]);
  EXPECT_NEAR(box.low[0], 0.3, 0.05);
  EXPECT_NEAR(box.high[1], 0.6, 0.05);
  EXPECT_GT(box.density, 0.9);
  EXPECT_GT(box.coverage, 0.8);
  EXPECT_GT(box.mass, 0.3);
}

TEST(Prim, NothingToFindAndEverywhere) {
  const std::vector<std::vector<double>> x{{0.1}, {0.5}, {0.9}};
  const auto none = prim(x, {0, 0, 0});
  EXPECT_EQ(none.coverage, 0.0);
  const auto all = prim(x, {1, 1, 1});
  EXPECT_FALSE(all.restricted[0]);
  EXPECT_EQ(all.density, 1.0);
  EXPECT_EQ(all.coverage, 1.0);
}

}  // namespace

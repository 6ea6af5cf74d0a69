// Rejection ABC against bands (stats/abc.hpp): the distance, the two acceptance rules,
// the marginals, and calibration on a model whose answer is known: over repeated
// synthetic calibrations with the true parameters drawn from the prior, the credible
// intervals of the accepted region cover them at their nominal rate.
#include "tribe/stats/abc.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace {

using namespace tribe::stats::abc;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(Abc, DistanceIsZeroInsideTheBandAndCountsBandWidthsOutside) {
  EXPECT_EQ(band_distance(0.25, 0.2, 0.4), 0.0);
  EXPECT_EQ(band_distance(0.2, 0.2, 0.4), 0.0);  // the band's ends are inside
  EXPECT_NEAR(band_distance(0.1, 0.2, 0.4), 0.5, 1e-12);
  EXPECT_NEAR(band_distance(0.8, 0.2, 0.4), 2.0, 1e-12);
  EXPECT_EQ(band_distance(kNaN, 0.2, 0.4), kInf);
  const std::vector<double> d{0.0, 0.7, 0.2};
  EXPECT_EQ(point_distance(d), 0.7);  // as far as the worst pattern
  const std::vector<double> undefined{0.0, kNaN};
  EXPECT_EQ(point_distance(undefined), kInf);
}

TEST(Abc, QuantileRuleKeepsTiesAndToleranceRuleKeepsTheClosePoints) {
  const std::vector<double> d{0.0, 2.0, 0.0, 1.0, kInf, 0.0, 0.5};
  // ceil(0.2 * 7) = 2 closest points; the 2nd is tied with a 3rd at 0: all three kept.
  auto a = accept(d, 0.2, kNaN);
  EXPECT_EQ(a, (std::vector<std::uint8_t>{1, 0, 1, 0, 0, 1, 0}));
  a = accept(d, 5.0 / 7.0, kNaN);  // five closest: the three zeros, 0.5, 1
  EXPECT_EQ(a, (std::vector<std::uint8_t>{1, 0, 1, 1, 0, 1, 1}));
  a = accept(d, 1.0, kNaN);  // everything with a finite distance, never the infinite one
  EXPECT_EQ(a, (std::vector<std::uint8_t>{1, 1, 1, 1, 0, 1, 1}));
  EXPECT_EQ(tolerance_reached(d, a), 2.0);
  a = accept(d, kNaN, 0.5);
  EXPECT_EQ(a, (std::vector<std::uint8_t>{1, 0, 1, 0, 0, 1, 1}));
  a = accept(d, kNaN, 0.0);  // inside every band
  EXPECT_EQ(a, (std::vector<std::uint8_t>{1, 0, 1, 0, 0, 1, 0}));
  const std::vector<double> none{kInf, kInf};
  EXPECT_EQ(accept(none, 0.5, kNaN), (std::vector<std::uint8_t>{0, 0}));
  EXPECT_TRUE(std::isnan(tolerance_reached(none, accept(none, 0.5, kNaN))));
}

TEST(Abc, MarginalIsTheAcceptedValuesQuantiles) {
  const std::vector<double> v{5, 1, 4, 2, 3, 100};
  const std::vector<std::uint8_t> a{1, 1, 1, 1, 1, 0};  // 100 is not accepted
  const auto m = marginal(v, a, 0.5);
  EXPECT_EQ(m.accepted, 5u);
  EXPECT_DOUBLE_EQ(m.median, 3.0);
  EXPECT_DOUBLE_EQ(m.low, 2.0);   // type 7: h = 0.25 * 4 = 1
  EXPECT_DOUBLE_EQ(m.high, 4.0);  // h = 0.75 * 4 = 3
  const auto empty = marginal(v, std::vector<std::uint8_t>(6, 0), 0.9);
  EXPECT_EQ(empty.accepted, 0u);
  EXPECT_TRUE(std::isnan(empty.median));
}

// A model with known parameters: theta = (a, b) uniform on [0, 1]^2, two statistics
// s1 = a + e1 and s2 = a * b + e2 with normal noise. An "observation" is drawn from the
// model at a true theta drawn from the prior, and turned into bands as a study would
// state them: [o - h, o + h] around each observed statistic. Rejection ABC with tolerance 0
// (every statistic inside its band) then samples the posterior of the model whose
// observations carry uniform error on [-h, h]; drawing that error into the observation
// (noisy ABC: Wilkinson 2013, Stat. Appl. Genet. Mol. Biol. 12:129-141; Fearnhead & Prangle
// 2012, JRSS B 74:419-474) makes the credible intervals exactly calibrated: over repeated
// calibrations, the equal-tailed 90% interval covers the true value 90% of the time, up
// to the Monte Carlo error of the accepted sample. The check fails if the distance, the
// rule or the marginals are wrong (e.g. bands scaled twice, the wrong quantiles).
TEST(Abc, CredibleIntervalsCoverTheTrueParametersAtTheirNominalRate) {
  std::mt19937_64 g(2602);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::normal_distribution<double> e(0.0, 0.05);
  constexpr int kRepeats = 400, kDraws = 20000;
  constexpr double kHalfWidth = 0.03, kLevel = 0.9;
  const auto model = [&](double a, double b) {
    return std::vector<double>{a + e(g), a * b + e(g)};
  };
  int covered_a = 0, covered_b = 0, repeats = 0;
  double width_a = 0;
  for (int r = 0; r < kRepeats; ++r) {
    const double a0 = u(g), b0 = u(g);
    const auto s0 = model(a0, b0);
    std::vector<double> low, high;
    for (double s : s0) {
      const double o = s + (2 * u(g) - 1) * kHalfWidth;  // noisy ABC
      low.push_back(o - kHalfWidth);
      high.push_back(o + kHalfWidth);
    }
    std::vector<double> as, bs, dist;
    for (int k = 0; k < kDraws; ++k) {
      const double a = u(g), b = u(g);
      const auto s = model(a, b);
      const std::vector<double> d{band_distance(s[0], low[0], high[0]),
                                  band_distance(s[1], low[1], high[1])};
      as.push_back(a);
      bs.push_back(b);
      dist.push_back(point_distance(d));
    }
    const auto accepted = accept(dist, kNaN, 0.0);
    const auto ma = marginal(as, accepted, kLevel), mb = marginal(bs, accepted, kLevel);
    if (ma.accepted < 50) continue;  // too few to estimate a 90% interval
    ++repeats;
    covered_a += ma.low <= a0 && a0 <= ma.high;
    covered_b += mb.low <= b0 && b0 <= mb.high;
    width_a += ma.high - ma.low;
  }
  ASSERT_GE(repeats, kRepeats * 3 / 4);
  RecordProperty("coverage_a", std::to_string(static_cast<double>(covered_a) / repeats));
  RecordProperty("coverage_b", std::to_string(static_cast<double>(covered_b) / repeats));
  RecordProperty("repeats", repeats);
  const double ca = static_cast<double>(covered_a) / repeats,
               cb = static_cast<double>(covered_b) / repeats;
  // 90% nominal; binomial sd over ~400 repeats is 0.015: +- 3.5 sd.
  EXPECT_NEAR(ca, kLevel, 0.055) << "coverage of a over " << repeats << " calibrations";
  EXPECT_NEAR(cb, kLevel, 0.055) << "coverage of b over " << repeats << " calibrations";
  // And the calibration learns: a's interval is far narrower than the prior's 0.9.
  EXPECT_LT(width_a / repeats, 0.3);
}

}  // namespace

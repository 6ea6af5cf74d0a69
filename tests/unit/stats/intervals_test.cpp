// Tests of tribe/stats/intervals.hpp against published and independently computed values.
//
// "mpmath" below means: computed with mpmath 1.3 at 40 significant digits (root of the
// regularized incomplete beta / ncdf), i.e. an independent arbitrary-precision reference;
// these agree with the printed tables quoted next to them.
#include "tribe/stats/intervals.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "tribe/core/error.hpp"

namespace {

using namespace tribe::stats;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
// Published 4-decimal values: allow the rounding half-unit.
constexpr double k4dp = 0.5e-4 + 1e-12;

void expect_rel(double got, double want, double rel) {
  EXPECT_NEAR(got, want, rel * std::fabs(want)) << "want " << want;
}

TEST(StatsNormal, QuantileKnownValues) {
  // 1.959963984540054: Wichura (1988) AS 241 / standard tables; others from mpmath.
  expect_rel(normal_quantile(0.975), 1.959963984540054, 1e-15);
  expect_rel(normal_quantile(0.025), -1.959963984540054, 1e-15);
  expect_rel(normal_quantile(0.995), 2.5758293035489005, 1e-15);
  expect_rel(normal_quantile(0.3), -0.52440051270804082, 1e-15);
  expect_rel(normal_quantile(1e-10), -6.3613409024040562, 1e-15);
  expect_rel(normal_quantile(1.0 - 1e-12), 7.0344869100478352, 1e-12);  // 1 - p rounds
  expect_rel(normal_quantile(0.84134474606854294859), 1.0, 1e-15);      // Phi(1), mpmath
  EXPECT_EQ(normal_quantile(0.5), 0.0);
  EXPECT_EQ(normal_quantile(0.0), -kInf);
  EXPECT_EQ(normal_quantile(1.0), kInf);
  EXPECT_TRUE(std::isnan(normal_quantile(1.5)));
  EXPECT_TRUE(std::isnan(normal_quantile(kNaN)));
}

TEST(StatsNormal, CdfKnownValuesAndRoundTrip) {
  expect_rel(normal_cdf(1.0), 0.84134474606854294859, 1e-15);     // mpmath
  expect_rel(normal_cdf(-5.0), 2.8665157187919391167e-7, 1e-14);  // mpmath
  EXPECT_EQ(normal_cdf(0.0), 0.5);
  // Relative error of p after the round trip is about z^2 * (a few ulp of z): conditioning of Phi.
  for (double p : {1e-300, 1e-20, 1e-5, 0.01, 0.2, 0.5, 0.77, 0.9999})
    expect_rel(normal_cdf(normal_quantile(p)), p, 1e-15 * (1.0 + std::pow(normal_quantile(p), 2)));
}

TEST(StatsStudentT, QuantileTableValues) {
  // Standard two-sided t tables (e.g. Abramowitz & Stegun Table 26.10); full digits: mpmath.
  expect_rel(student_t_quantile(0.975, 1), 12.7062047361747, 1e-13);
  expect_rel(student_t_quantile(0.975, 10), 2.22813885198627, 1e-13);
  expect_rel(student_t_quantile(0.975, 30), 2.04227245630124, 1e-13);
  expect_rel(student_t_quantile(0.975, 120), 1.9799304050824405, 1e-13);
  expect_rel(student_t_quantile(0.995, 5), 4.0321429835552272, 1e-13);
  expect_rel(student_t_quantile(0.95, 2), 2.9199855803537242, 1e-13);
  expect_rel(student_t_quantile(0.9, 1), 3.0776835371752541, 1e-13);
  expect_rel(student_t_quantile(0.999, 3), 10.214531852407383, 1e-13);
  // Non-integer, small and large df, far tail (mpmath).
  expect_rel(student_t_quantile(0.975, 2.5), 3.5746548420036818, 1e-13);
  expect_rel(student_t_quantile(0.025, 0.5), -164.55767348048851, 1e-12);
  expect_rel(student_t_quantile(1e-8, 4), -131.59473694062355, 1e-12);
  expect_rel(student_t_quantile(1e-300, 5e4), -37.30297819487886, 1e-12);
  expect_rel(student_t_quantile(0.975, 1e6), 1.9599663568141067, 1e-14);
  expect_rel(student_t_quantile(0.975, 1e9), 1.9599639869123251, 1e-14);
  expect_rel(student_t_quantile(0.975, kInf), 1.959963984540054, 1e-15);
  EXPECT_EQ(student_t_quantile(0.5, 7), 0.0);
  EXPECT_EQ(student_t_quantile(1.0, 7), kInf);
  EXPECT_TRUE(std::isnan(student_t_quantile(0.5, 0.0)));
  EXPECT_TRUE(std::isnan(student_t_quantile(-0.1, 3.0)));
}

TEST(StatsStudentT, CdfValuesAndRoundTrip) {
  // mpmath values.
  expect_rel(student_t_cdf(2.0, 5), 0.94903026058507082, 1e-14);
  expect_rel(student_t_cdf(-3.0, 2.5), 0.036288047774515922, 1e-13);
  expect_rel(student_t_cdf(1.0, 1), 0.75, 1e-15);
  expect_rel(student_t_cdf(-40.0, 3), 1.7190340394579264e-5, 1e-13);
  expect_rel(student_t_cdf(0.1, 7), 0.53842597019760381, 1e-14);
  EXPECT_EQ(student_t_cdf(0.0, 3), 0.5);
  EXPECT_EQ(student_t_cdf(kInf, 3), 1.0);
  EXPECT_EQ(student_t_cdf(-kInf, 3), 0.0);
  EXPECT_TRUE(std::isnan(student_t_cdf(1.0, -1.0)));
  for (double df : {0.7, 1.0, 2.0, 3.3, 9.0, 50.0, 1234.5, 3e4, 1e7})
    for (double p : {1e-12, 1e-4, 0.025, 0.2, 0.6, 0.975, 0.9999}) {
      const double t = student_t_quantile(p, df);
      expect_rel(student_t_cdf(t, df), p, 1e-11);
    }
}

TEST(StatsWilson, NewcombeTableI) {
  // Newcombe (1998), Statist. Med. 17:873-890, Table I, method 3 (score, no CC), 95%.
  struct Case {
    std::uint64_t k, n;
    double lo, hi;
  };
  for (const Case c : {Case{81, 263, 0.2553, 0.3662}, Case{15, 148, 0.0624, 0.1605},
                       Case{0, 20, 0.0, 0.1611}, Case{1, 29, 0.0061, 0.1718}}) {
    const Interval iv = wilson(c.k, c.n);
    EXPECT_NEAR(iv.low, c.lo, k4dp) << c.k << "/" << c.n;
    EXPECT_NEAR(iv.high, c.hi, k4dp) << c.k << "/" << c.n;
    EXPECT_DOUBLE_EQ(iv.estimate, static_cast<double>(c.k) / static_cast<double>(c.n));
  }
}

TEST(StatsWilson, EdgeCases) {
  EXPECT_EQ(wilson(0, 20).low, 0.0);
  EXPECT_EQ(wilson(20, 20).high, 1.0);
  const Interval none = wilson(0, 0);
  EXPECT_TRUE(std::isnan(none.estimate));
  EXPECT_EQ(none.low, 0.0);
  EXPECT_EQ(none.high, 1.0);
  EXPECT_THROW(wilson(3, 2), tribe::InputError);
  EXPECT_THROW(wilson(1, 2, 1.0), tribe::InputError);
  EXPECT_THROW(wilson(1, 2, kNaN), tribe::InputError);
  // Wider at higher confidence; symmetric under k -> n - k.
  EXPECT_LT(wilson(30, 100, 0.99).low, wilson(30, 100, 0.95).low);
  EXPECT_NEAR(wilson(30, 100).low, 1.0 - wilson(70, 100).high, 1e-15);
  // Huge n stays accurate: half-width ~ z sqrt(p(1-p)/n).
  const Interval big = wilson(500'000'000'000ULL, 1'000'000'000'000ULL);
  EXPECT_NEAR(big.high - big.low, 2 * 1.959963984540054 * 0.5 / 1e6, 1e-12);
}

TEST(StatsNewcombe, DifferenceTableII) {
  // Newcombe (1998), Statist. Med. 17:873-890, Table II, method 10 (hybrid score), 95%.
  // Example (c) 6/7 - 2/7 is 0.0582 to 0.8062 for method 10; the pair 0.0342 to 0.8534 that
  // is sometimes quoted for it is the Miettinen-Nurminen score interval of the same table
  // (reproduced independently: the MN score interval of 6/7 - 2/7 is 0.0342 to 0.8534).
  struct Case {
    std::uint64_t k1, n1, k2, n2;
    double lo, hi;
  };
  for (const Case c : {Case{56, 70, 48, 80, 0.0524, 0.3339}, Case{9, 10, 3, 10, 0.1705, 0.8090},
                       Case{6, 7, 2, 7, 0.0582, 0.8062}, Case{5, 56, 0, 29, -0.0381, 0.1926},
                       Case{0, 10, 0, 20, -0.1611, 0.2775}, Case{10, 10, 0, 20, 0.6791, 1.0000}}) {
    const Interval iv = newcombe_difference(c.k1, c.n1, c.k2, c.n2);
    EXPECT_NEAR(iv.low, c.lo, k4dp) << c.k1 << "/" << c.n1 << " - " << c.k2 << "/" << c.n2;
    EXPECT_NEAR(iv.high, c.hi, k4dp) << c.k1 << "/" << c.n1 << " - " << c.k2 << "/" << c.n2;
  }
  // Swapping the arms mirrors the interval.
  const Interval a = newcombe_difference(56, 70, 48, 80), b = newcombe_difference(48, 80, 56, 70);
  EXPECT_NEAR(a.low, -b.high, 1e-15);
  EXPECT_NEAR(a.high, -b.low, 1e-15);
  const Interval none = newcombe_difference(0, 0, 1, 2);
  EXPECT_TRUE(std::isnan(none.estimate));
  EXPECT_EQ(none.low, -1.0);
  EXPECT_EQ(none.high, 1.0);
}

TEST(StatsPairedProportion, FagerlandExample) {
  // Fagerland, Lydersen & Laake (2017), Statistical Analysis of Contingency Tables, ch. 8:
  // complete response before/after consolidation (Cavo et al. 2012), table [[59, 6], [16, 80]]:
  // Newcombe square-and-add: estimate -0.0621, 95% CI -0.1186 to -0.0046 (the book's values,
  // also the test of the R package contingencytables).
  const PairedCounts c{59, 6, 16, 80};
  const Interval iv = paired_proportion_difference(c);
  EXPECT_NEAR(iv.estimate, -0.0621, k4dp);
  EXPECT_NEAR(iv.low, -0.1186, k4dp);
  EXPECT_NEAR(iv.high, -0.0046, k4dp);
}

TEST(StatsPairedProportion, FromVectorsAndEdgeCases) {
  const std::vector<double> a{1, 1, 0, 0, 1, kNaN, 1, 0};
  const std::vector<double> b{1, 0, 1, 0, 0, 1, kNaN, 0};
  const PairedCounts c = count_pairs(a, b);
  EXPECT_EQ(c.both, 1u);
  EXPECT_EQ(c.first_only, 2u);
  EXPECT_EQ(c.second_only, 1u);
  EXPECT_EQ(c.neither, 2u);
  const Interval iv = paired_proportion_difference(a, b);
  EXPECT_NEAR(iv.estimate, 1.0 / 6.0, 1e-15);
  EXPECT_LT(iv.low, iv.estimate);
  EXPECT_GT(iv.high, iv.estimate);
  EXPECT_GE(iv.low, -1.0);
  EXPECT_LE(iv.high, 1.0);
  EXPECT_THROW(count_pairs(std::vector<double>{0.5}, std::vector<double>{1}), tribe::InputError);
  EXPECT_THROW(count_pairs(std::vector<double>{1, 0}, std::vector<double>{1}), tribe::InputError);
  EXPECT_TRUE(std::isnan(paired_proportion_difference(PairedCounts{}).estimate));
  // Identical arms: estimate 0, interval around 0 (all pairs concordant, phi > 0).
  const Interval same = paired_proportion_difference(PairedCounts{30, 0, 0, 70});
  EXPECT_EQ(same.estimate, 0.0);
  EXPECT_LT(same.low, 0.0);
  EXPECT_GT(same.high, 0.0);
}

TEST(StatsMean, TInterval) {
  // 10 +- t(0.975, 9) * 2 / sqrt(10); t(0.975, 9) = 2.262157162798205 (mpmath; tables 2.262).
  const Interval iv = mean_interval(10.0, 2.0, 10);
  const double half = 2.262157162798205 * 2.0 / std::sqrt(10.0);
  EXPECT_NEAR(iv.low, 10.0 - half, 1e-12);
  EXPECT_NEAR(iv.high, 10.0 + half, 1e-12);
  const Interval one = mean_interval(3.0, 1.0, 1);
  EXPECT_EQ(one.estimate, 3.0);
  EXPECT_TRUE(std::isnan(one.low));
  EXPECT_TRUE(std::isnan(one.high));
}

TEST(StatsMean, PairedDifferenceSkipsNaN) {
  // Differences 1, 2, 3, 4, 5 (the NaN pair is skipped): mean 3, sd sqrt(2.5), n 5;
  // t(0.975, 4) = 2.7764451051977987 (mpmath; tables 2.776).
  const std::vector<double> a{2, 4, 6, 8, 10, kNaN};
  const std::vector<double> b{1, 2, 3, 4, 5, 1};
  const Interval iv = paired_mean_difference(a, b);
  EXPECT_NEAR(iv.estimate, 3.0, 1e-15);
  const double half = 2.7764451051977987 * std::sqrt(2.5) / std::sqrt(5.0);
  EXPECT_NEAR(iv.low, 3.0 - half, 1e-12);
  EXPECT_NEAR(iv.high, 3.0 + half, 1e-12);
  EXPECT_THROW(paired_mean_difference(a, std::vector<double>{1.0}), tribe::InputError);
}

TEST(StatsPValue, InvertingAnIntervalGivesTheAlphaAtWhichItsBoundMeetsTheMargin) {
  // p < alpha exactly when the one-sided (1 - alpha) lower bound exceeds the margin: at the
  // lower bound of the 95% two-sided interval (a 97.5% one-sided bound) p = 0.025.
  const auto newcombe = [](double c) { return newcombe_difference(56, 70, 48, 80, c); };
  const Interval iv = newcombe(0.95);
  EXPECT_NEAR(one_sided_p_value_from_interval(newcombe, iv.low), 0.025, 1e-10);
  // Upper bound side: "greater than the upper bound" has p = 0.975.
  EXPECT_NEAR(one_sided_p_value_from_interval(newcombe, iv.high), 0.975, 1e-10);
  EXPECT_EQ(one_sided_p_value_from_interval(newcombe, iv.estimate), 0.5);
  // Monotone in the margin.
  double prev = 0.0;
  for (double m = -0.5; m <= 0.6; m += 0.05) {
    const double p = one_sided_p_value_from_interval(newcombe, m);
    EXPECT_GE(p, prev);
    prev = p;
  }
  // Paired proportions, same property.
  const PairedCounts pc{59, 6, 16, 80};
  const auto paired = [&](double c) { return paired_proportion_difference(pc, c); };
  EXPECT_NEAR(one_sided_p_value_from_interval(paired, paired(0.90).low), 0.05, 1e-10);
  // Means: the one-sided t test, P(T_9 >= (mean - margin) / (sd / sqrt n)).
  const auto mean = [](double c) { return mean_interval(10.0, 2.0, 10, c); };
  EXPECT_NEAR(one_sided_p_value_from_interval(mean, mean(0.9).low), 0.05, 1e-10);
  EXPECT_NEAR(one_sided_p_value_from_interval(mean, 9.0),
              1.0 - student_t_cdf((10.0 - 9.0) / (2.0 / std::sqrt(10.0)), 9), 1e-10);
}

TEST(StatsHolm, TextbookExamples) {
  // Hand computation (Holm 1979 procedure): sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1
  // -> 0.02, 0.03, 0.06, 0.04 -> running max 0.02, 0.03, 0.06, 0.06.
  const std::vector<double> p{0.01, 0.04, 0.03, 0.005};
  const std::vector<double> adj = holm_adjust(p);
  ASSERT_EQ(adj.size(), 4u);
  EXPECT_NEAR(adj[0], 0.03, 1e-15);
  EXPECT_NEAR(adj[1], 0.06, 1e-15);
  EXPECT_NEAR(adj[2], 0.06, 1e-15);
  EXPECT_NEAR(adj[3], 0.02, 1e-15);
  // R: p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), "holm") = 0.05 0.08 0.09 0.09 0.09.
  const std::vector<double> r = holm_adjust(std::vector<double>{0.01, 0.02, 0.03, 0.04, 0.05});
  const double want[] = {0.05, 0.08, 0.09, 0.09, 0.09};
  for (int i = 0; i < 5; ++i) EXPECT_NEAR(r[i], want[i], 1e-15);
  // Capped at 1; NaN stays NaN and counts in m (as R's p.adjust).
  const std::vector<double> c = holm_adjust(std::vector<double>{0.4, kNaN, 0.9});
  EXPECT_NEAR(c[0], 1.0, 0);
  EXPECT_TRUE(std::isnan(c[1]));
  EXPECT_EQ(c[2], 1.0);
  EXPECT_TRUE(holm_adjust(std::vector<double>{}).empty());
}

}  // namespace

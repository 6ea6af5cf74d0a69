// Distribution tests of the samplers at large n against their exact distribution
// functions: one-sample Kolmogorov-Smirnov for the continuous ones (exponential and
// normal ziggurats, Marsaglia-Tsang gamma, gamma-ratio beta in both of its paths),
// chi-square for the geometric, and binomial tests of the ziggurats' tails (the rare
// path that the KS statistic barely sees). Fixed seeds: deterministic, not flaky.
// Each test prints its statistic and p-value; it fails below p = 1e-4.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <vector>

#include "tribe/rng/beta_table.hpp"
#include "tribe/rng/samplers.hpp"
#include "tribe/rng/ziggurat.hpp"

namespace {

using tribe::rng::Stream;

constexpr double kMinP = 1e-4;

/// Asymptotic p-value of the one-sample KS statistic D at sample size n
/// (Kolmogorov's series with Stephens' small-sample correction of the argument).
double ks_p_value(double d, std::size_t n) {
  const double sn = std::sqrt(static_cast<double>(n));
  const double t = (sn + 0.12 + 0.11 / sn) * d;
  double sum = 0;
  for (int k = 1; k <= 100; ++k) {
    const double term = std::exp(-2.0 * k * k * t * t);
    sum += (k % 2 == 1 ? 2.0 : -2.0) * term;
    if (term < 1e-16) break;
  }
  return std::clamp(sum, 0.0, 1.0);
}

/// KS test of n draws against the CDF; prints and returns the p-value.
double ks_test(const char* what, std::size_t n, const std::function<double()>& draw,
               const std::function<double(double)>& cdf) {
  std::vector<double> x(n);
  for (auto& v : x) v = draw();
  std::sort(x.begin(), x.end());
  double d = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double f = cdf(x[i]);
    d = std::max({d, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
  }
  const double p = ks_p_value(d, n);
  std::printf("  KS %-34s n = %zu  D = %.6f  p = %.4f\n", what, n, d, p);
  return p;
}

/// Two-sided p-value of `hits` successes in n trials of probability q (normal
/// approximation; n q is in the hundreds here).
double binomial_p(std::uint64_t hits, std::uint64_t n, double q) {
  const double mean = n * q, sd = std::sqrt(n * q * (1 - q));
  return std::erfc(std::fabs(static_cast<double>(hits) - mean) / sd / std::sqrt(2.0));
}

TEST(RngSamplerDistribution, ExponentialZigguratIsExponential) {
  Stream s(101, 1, 0);
  EXPECT_GT(ks_test(
                "exponential", 1'000'000, [&] { return tribe::rng::exponential(s); },
                [](double x) { return -std::expm1(-x); }),
            kMinP);
}

TEST(RngSamplerDistribution, NormalZigguratIsNormal) {
  Stream s(102, 1, 0);
  EXPECT_GT(ks_test(
                "normal", 1'000'000, [&] { return tribe::rng::normal(s); },
                [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }),
            kMinP);
}

TEST(RngSamplerDistribution, ZigguratTailsHaveTheirProbabilityAndShape) {
  const std::uint64_t n = 4'000'000;
  {  // exponential: P(X > r) = e^-r, and X - r | X > r is Exp(1)
    Stream s(103, 1, 0);
    std::vector<double> tail;
    for (std::uint64_t i = 0; i < n; ++i) {
      const double x = tribe::rng::exponential(s);
      if (x > tribe::rng::kZigguratExpR) tail.push_back(x - tribe::rng::kZigguratExpR);
    }
    const double p = binomial_p(tail.size(), n, std::exp(-tribe::rng::kZigguratExpR));
    std::printf("  exponential tail: %zu beyond r (expected %.1f), p = %.4f\n", tail.size(),
                n * std::exp(-tribe::rng::kZigguratExpR), p);
    EXPECT_GT(p, kMinP);
    std::size_t i = 0;
    EXPECT_GT(ks_test(
                  "exponential tail beyond r", tail.size(), [&] { return tail[i++]; },
                  [](double x) { return -std::expm1(-x); }),
              kMinP);
  }
  {  // normal: P(|X| > r) = erfc(r / sqrt 2), and |X| | |X| > r has the normal's tail shape
    Stream s(104, 1, 0);
    const double r = tribe::rng::kZigguratNormR;
    std::vector<double> tail;
    for (std::uint64_t i = 0; i < n; ++i) {
      const double x = tribe::rng::normal(s);
      if (std::fabs(x) > r) tail.push_back(std::fabs(x));
    }
    const double q = std::erfc(r / std::sqrt(2.0));
    const double p = binomial_p(tail.size(), n, q);
    std::printf("  normal tail: %zu beyond +-r (expected %.1f), p = %.4f\n", tail.size(), n * q, p);
    EXPECT_GT(p, kMinP);
    std::size_t i = 0;
    EXPECT_GT(ks_test(
                  "normal tail beyond r", tail.size(), [&] { return tail[i++]; },
                  [&](double x) { return 1.0 - std::erfc(x / std::sqrt(2.0)) / q; }),
              kMinP);
  }
}

TEST(RngSamplerDistribution, GammaMatchesItsCdf) {
  for (const double shape : {0.3, 1.0, 2.5, 40.0}) {
    Stream s(105, 1, static_cast<std::uint64_t>(shape * 10));
    const tribe::rng::GammaSampler g(shape);
    const boost::math::gamma_distribution<double> exact(shape);
    char what[64];
    std::snprintf(what, sizeof what, "gamma(%g)", shape);
    EXPECT_GT(ks_test(
                  what, 300'000, [&] { return g(s); },
                  [&](double x) { return boost::math::cdf(exact, x); }),
              kMinP)
        << what;
  }
}

TEST(RngSamplerDistribution, BetaMatchesItsCdfOnBothPaths) {
  // (5, 5) and (3, 7): the agents' qualities at the defaults and in the claims experiment;
  // (2, 2): difficulties; (0.3, 2) and (0.5, 0.8): the logarithmic path for shapes < 1.
  const double shapes[][2] = {{5, 5}, {3, 7}, {2, 2}, {0.3, 2}, {0.5, 0.8}};
  std::uint64_t k = 0;
  for (const auto& ab : shapes) {
    Stream s(106, 1, k++);
    const tribe::rng::BetaSampler b(ab[0], ab[1]);
    const boost::math::beta_distribution<double> exact(ab[0], ab[1]);
    char what[64];
    std::snprintf(what, sizeof what, "beta(%g, %g)", ab[0], ab[1]);
    std::uint64_t outside = 0;
    EXPECT_GT(ks_test(
                  what, 200'000,
                  [&] {
                    const double x = b(s);
                    outside += (x >= 0.0 && x <= 1.0) ? 0 : 1;
                    return x;
                  },
                  [&](double x) { return boost::math::cdf(exact, std::clamp(x, 0.0, 1.0)); }),
              kMinP)
        << what;
    EXPECT_EQ(outside, 0u) << what;
  }
}

// The tabulated Beta (rng::BetaTable), which the leadership model draws its qualities and
// difficulties from: KS at n = 10^6 for its own shapes (qualities at means 0.3, 0.5, 0.7
// and 0.9 with concentration 10, difficulties Beta(2, 2)), the uniform, a density that
// is largest at an end (1, 3), and a narrow one (60, 40), whose draws go through the
// slow rectangles far more often.
TEST(RngSamplerDistribution, TabulatedBetaMatchesItsCdf) {
  const double shapes[][2] = {{5, 5}, {3, 7}, {7, 3}, {9, 1}, {2, 2}, {1, 1}, {1, 3}, {60, 40}};
  std::uint64_t k = 0;
  for (const auto& ab : shapes) {
    Stream s(107, 1, k++);
    const auto table = tribe::rng::BetaTable::make(ab[0], ab[1]);
    ASSERT_NE(table, nullptr) << ab[0] << ", " << ab[1];
    const boost::math::beta_distribution<double> exact(ab[0], ab[1]);
    char what[64];
    std::snprintf(what, sizeof what, "beta table(%g, %g), slow %.3f", ab[0], ab[1],
                  table->slow_probability());
    std::uint64_t outside = 0;
    EXPECT_GT(ks_test(
                  what, 1'000'000,
                  [&] {
                    const double x = (*table)(s);
                    outside += (x > 0.0 && x < 1.0) ? 0 : 1;
                    return x;
                  },
                  [&](double x) { return boost::math::cdf(exact, x); }),
              kMinP)
        << what;
    EXPECT_EQ(outside, 0u) << what;
  }
}

// The slow rectangles carry all of the mass where the density rises from 0 (the bins at
// the ends) and part of it elsewhere; the KS statistic barely sees the ends. Chi-square
// over the 256 bins and, within each bin, its two halves (512 classes) of 4 * 10^6
// draws of Beta(2, 2), Beta(9, 1) and Beta(60, 40), against the exact probabilities
// (classes with an expectation below 5 pooled).
TEST(RngSamplerDistribution, TabulatedBetaHasEachBinsProbability) {
  const double shapes[][2] = {{2, 2}, {9, 1}, {60, 40}};
  std::uint64_t k = 0;
  for (const auto& ab : shapes) {
    Stream s(108, 1, k++);
    const auto table = tribe::rng::BetaTable::make(ab[0], ab[1]);
    ASSERT_NE(table, nullptr);
    const boost::math::beta_distribution<double> exact(ab[0], ab[1]);
    constexpr int classes = 512;
    constexpr std::uint64_t n = 4'000'000;
    std::vector<std::uint64_t> count(classes, 0);
    for (std::uint64_t i = 0; i < n; ++i) ++count[static_cast<std::size_t>((*table)(s)*classes)];
    double chi2 = 0, pooled_expected = 0, pooled_observed = 0;
    int df = -1;
    for (int c = 0; c < classes; ++c) {
      const double p = boost::math::cdf(exact, (c + 1.0) / classes) -
                       boost::math::cdf(exact, static_cast<double>(c) / classes);
      const double e = p * static_cast<double>(n);
      if (e < 5) {
        pooled_expected += e;
        pooled_observed += static_cast<double>(count[static_cast<std::size_t>(c)]);
        continue;
      }
      const double d = static_cast<double>(count[static_cast<std::size_t>(c)]) - e;
      chi2 += d * d / e;
      ++df;
    }
    if (pooled_expected >= 5) {
      chi2 += (pooled_observed - pooled_expected) * (pooled_observed - pooled_expected) /
              pooled_expected;
      ++df;
    }
    const double p = boost::math::cdf(
        boost::math::complement(boost::math::chi_squared_distribution<double>(df), chi2));
    std::printf("  chi2 beta table(%g, %g): %.1f on %d df, p = %.4f\n", ab[0], ab[1], chi2, df, p);
    EXPECT_GT(p, kMinP) << ab[0] << ", " << ab[1];
  }
}

// Which shapes are tabulated: a, b >= 1 and not too narrow; the rest (an unbounded
// density, or a slow path drawn too often) are left to the gamma ratio.
TEST(RngSamplerDistribution, TabulatedBetaIsOfferedOnlyWhereItIsExactAndCheap) {
  using tribe::rng::BetaTable;
  EXPECT_EQ(BetaTable::make(0.5, 2.0), nullptr);
  EXPECT_EQ(BetaTable::make(2.0, 0.99), nullptr);
  EXPECT_EQ(BetaTable::make(std::nan(""), 2.0), nullptr);
  EXPECT_EQ(BetaTable::make(5000.0, 5000.0), nullptr);  // sd 0.005: two bins wide
  for (const double phi : {2.0, 4.0, 10.0, 30.0, 100.0}) {
    const auto t = BetaTable::make(0.5 * phi, 0.5 * phi);
    ASSERT_NE(t, nullptr) << phi;
    EXPECT_LE(t->slow_probability(), BetaTable::kMaxSlowProbability);
  }
  // At the model's default qualities, Beta(5, 5), about 2% of draws take the slow path.
  EXPECT_LT(BetaTable::make(5.0, 5.0)->slow_probability(), 0.03);
}

// Tiny shapes: the gamma variates underflow, the logarithmic path does not. (No KS here:
// about 4% of Beta(0.02, 0.05) draws lie within 1e-16 of 1 and round to exactly 1.0, an
// atom that the continuous KS statistic cannot take.) Mean a / (a + b) within 5 standard
// errors, every value in [0, 1], and both ends reached.
TEST(RngSamplerDistribution, BetaWithTinyShapesStaysInRangeWithItsMean) {
  const double a = 0.02, b = 0.05;
  const tribe::rng::BetaSampler beta(a, b);
  Stream s(106, 2, 0);
  const int n = 500'000;
  double sum = 0;
  int low = 0, high = 0;
  for (int i = 0; i < n; ++i) {
    const double x = beta(s);
    ASSERT_TRUE(x >= 0.0 && x <= 1.0) << x;
    sum += x;
    low += x < 1e-10 ? 1 : 0;
    high += x > 1 - 1e-10 ? 1 : 0;
  }
  const double mean = a / (a + b);
  const double sd = std::sqrt(a * b / ((a + b) * (a + b) * (a + b + 1)));
  EXPECT_NEAR(sum / n, mean, 5 * sd / std::sqrt(n));
  EXPECT_GT(low, 0);
  EXPECT_GT(high, 0);
}

TEST(RngSamplerDistribution, GeometricMatchesItsProbabilities) {
  const double p = 0.1;
  const std::uint64_t n = 1'000'000;
  const int bins = 60;  // 0 .. 58 and >= 59 (expected >= 200 each)
  std::vector<double> observed(bins, 0);
  Stream s(107, 1, 0);
  for (std::uint64_t i = 0; i < n; ++i)
    ++observed[std::min<std::uint64_t>(tribe::rng::geometric(s, p), bins - 1)];
  double chi2 = 0;
  for (int k = 0; k < bins; ++k) {
    const double prob = k < bins - 1 ? p * std::pow(1 - p, k) : std::pow(1 - p, bins - 1);
    const double expected = n * prob;
    chi2 += (observed[k] - expected) * (observed[k] - expected) / expected;
  }
  const double pv = boost::math::cdf(
      boost::math::complement(boost::math::chi_squared_distribution<double>(bins - 1), chi2));
  std::printf("  chi-square geometric(0.1): n = %llu, chi2 = %.2f on %d df, p = %.4f\n",
              static_cast<unsigned long long>(n), chi2, bins - 1, pv);
  EXPECT_GT(pv, kMinP);
}

}  // namespace

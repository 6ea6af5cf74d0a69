// Known-answer tests for the random streams and samplers.
#include "tribe/rng/stream.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "tribe/rng/samplers.hpp"

namespace {

using tribe::rng::Stream;

// Philox4x64-10 known-answer vectors from Random123's kat_vectors file
// (Salmon et al., SC'11): counter, key -> output.
TEST(RngPhilox, MatchesRandom123KnownAnswers) {
  using E = r123::Philox4x64;
  struct Kat {
    E::ctr_type ctr;
    E::key_type key;
    E::ctr_type expected;
  };
  const Kat kats[] = {
      {{{0, 0, 0, 0}},
       {{0, 0}},
       {{0x16554d9eca36314cULL, 0xdb20fe9d672d0fdcULL, 0xd7e772cee186176bULL,
         0x7e68b68aec7ba23bULL}}},
      {{{~0ULL, ~0ULL, ~0ULL, ~0ULL}},
       {{~0ULL, ~0ULL}},
       {{0x87b092c3013fe90bULL, 0x438c3c67be8d0224ULL, 0x9cc7d7c69cd777b6ULL,
         0xa09caebf594f0ba0ULL}}},
      {{{0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL, 0xa4093822299f31d0ULL,
         0x082efa98ec4e6c89ULL}},
       {{0x452821e638d01377ULL, 0xbe5466cf34e90c6cULL}},
       {{0xa528f45403e61d95ULL, 0x38c72dbd566e9788ULL, 0xa5a1610e72fd18b5ULL,
         0x57bd43b5e52b7fe6ULL}}},
  };
  for (const auto& k : kats) {
    const auto out = E{}(k.ctr, k.key);
    for (int i = 0; i < 4; ++i) EXPECT_EQ(out.v[i], k.expected.v[i]);
  }
}

TEST(RngStream, LayoutIsKeySeedPurposeCounterOrgDrawSubstreamDomain) {
  // The stream's first four words are Philox(ctr = (org, 0, substream, domain), key = (seed,
  // purpose)).
  Stream s(0x452821e638d01377ULL, 0xbe5466cf34e90c6cULL, 7, 11, 13);
  const auto out =
      r123::Philox4x64{}({{7, 0, 11, 13}}, {{0x452821e638d01377ULL, 0xbe5466cf34e90c6cULL}});
  for (int i = 0; i < 4; ++i) EXPECT_EQ(s.next_u64(), out.v[i]);
  const auto next =
      r123::Philox4x64{}({{7, 1, 11, 13}}, {{0x452821e638d01377ULL, 0xbe5466cf34e90c6cULL}});
  EXPECT_EQ(s.next_u64(), next.v[0]);
  EXPECT_EQ(s.draws(), 5u);
}

TEST(RngStream, StreamsDifferByEveryCoordinate) {
  const std::uint64_t base = Stream(1, 2, 3, 4, 5).next_u64();
  EXPECT_NE(base, Stream(9, 2, 3, 4, 5).next_u64());
  EXPECT_NE(base, Stream(1, 9, 3, 4, 5).next_u64());
  EXPECT_NE(base, Stream(1, 2, 9, 4, 5).next_u64());
  EXPECT_NE(base, Stream(1, 2, 3, 9, 5).next_u64());
  EXPECT_NE(base, Stream(1, 2, 3, 4, 9).next_u64());
  EXPECT_EQ(base, Stream(1, 2, 3, 4, 5).next_u64());
}

TEST(RngConversion, U01Bounds) {
  EXPECT_EQ(tribe::rng::u01(0), 0.0);
  EXPECT_LT(tribe::rng::u01(~0ULL), 1.0);
  EXPECT_EQ(tribe::rng::u01(~0ULL), 1.0 - 0x1.0p-53);
  EXPECT_EQ(tribe::rng::u01_open_low(0), 0x1.0p-53);
  EXPECT_EQ(tribe::rng::u01_open_low(~0ULL), 1.0);
}

// Committed expected values of each sampler for stream (seed 20261126, purpose 1, org 0):
// a change in any algorithm shows up here (and would change every result file).
TEST(RngSamplers, KnownAnswers) {
  using namespace tribe::rng;
  Stream s(20261126, 1, 0);
  const double expected_uniform[] = {
      0.25022895484394414, 0.75162747991713952, 0.87604434042474988,
      0.03607262940897582, 0.59151114123195669,
  };
  for (double e : expected_uniform) EXPECT_EQ(uniform(s), e);
  Stream g(20261126, 2, 0);
  const double expected_gamma[] = {
      2.5522397195173014, 1.0427611805640171, 1.6181563679550635,
      2.312355855167608,  2.6945212255580784,
  };
  for (double e : expected_gamma) EXPECT_EQ(gamma(g, 2.5), e);
  // Beta is the gamma ratio X / (X + Y) on Marsaglia-Tsang gammas over the ziggurat
  // normal (leadership model 3.0.0; before, Cheng's (1978) BB/BC); these values were
  // printed by a small program calling beta_mean_concentration(b, 0.3, 10.0) five times
  // on this stream, at -O0 and -O2 alike.
  Stream b(20261126, 3, 0);
  const double expected_beta[] = {
      0.37028160450448461, 0.55018809979515759,  0.45916088910081027,
      0.44448332563984133, 0.084531974319331321,
  };
  for (double e : expected_beta) EXPECT_EQ(beta_mean_concentration(b, 0.3, 10.0), e);
  Stream n(20261126, 4, 0);
  const double expected_normal[] = {
      0.52559336077729146, -2.1635406434636342,  0.024632186803176189,
      0.21722785173757655, -0.13222252442574836,
  };
  for (double e : expected_normal) EXPECT_EQ(normal(n), e);
  Stream i(20261126, 5, 0);
  const std::uint64_t expected_index[] = {
      80, 6, 88, 62, 89, 86, 77, 98,
  };
  for (auto e : expected_index) EXPECT_EQ(uniform_index(i, 100), e);
  Stream q(20261126, 6, 0);
  const std::uint64_t expected_geometric[] = {
      20, 3, 17, 8, 3, 14, 12, 15,
  };
  for (auto e : expected_geometric) EXPECT_EQ(geometric(q, 0.1), e);
  Stream x(20261126, 7, 0);
  const double expected_exponential[] = {
      0.48997379371394006, 0.81535657667531025, 0.32330134469327765,
      0.19342612904603881, 0.11665924803443453,
  };
  for (double e : expected_exponential) EXPECT_EQ(exponential(x), e);
}

// Moments of each sampler over many draws (sanity of the algorithms, loose tolerances).
TEST(RngSamplers, MomentsMatchTheirDistributions) {
  using namespace tribe::rng;
  const int n = 200000;
  Stream s(42, 7, 0);
  double sum = 0, sumsq = 0;
  for (int i = 0; i < n; ++i) {
    const double x = beta_mean_concentration(s, 0.3, 10.0);
    ASSERT_GT(x, 0.0);
    ASSERT_LT(x, 1.0);
    sum += x;
    sumsq += x * x;
  }
  const double mean = sum / n, var = sumsq / n - mean * mean;
  EXPECT_NEAR(mean, 0.3, 0.003);
  EXPECT_NEAR(var, 0.3 * 0.7 / 11.0, 0.001);

  double gsum = 0;
  for (int i = 0; i < n; ++i) gsum += gamma(s, 0.5);
  EXPECT_NEAR(gsum / n, 0.5, 0.01);

  double esum = 0;
  for (int i = 0; i < n; ++i) esum += exponential(s);
  EXPECT_NEAR(esum / n, 1.0, 0.01);

  double geo = 0;
  for (int i = 0; i < n; ++i) geo += static_cast<double>(geometric(s, 0.2));
  EXPECT_NEAR(geo / n, 4.0, 0.05);

  int hits = 0;
  for (int i = 0; i < n; ++i) hits += bernoulli(s, 0.25);
  EXPECT_NEAR(static_cast<double>(hits) / n, 0.25, 0.005);

  std::vector<int> counts(7, 0);
  for (int i = 0; i < n; ++i) ++counts[uniform_index(s, 7)];
  for (int c : counts) EXPECT_NEAR(c, n / 7.0, 5 * std::sqrt(n / 7.0));

  double nsum = 0, nsq = 0;
  for (int i = 0; i < n; ++i) {
    const double z = normal(s);
    nsum += z;
    nsq += z * z;
  }
  EXPECT_NEAR(nsum / n, 0.0, 0.01);
  EXPECT_NEAR(nsq / n, 1.0, 0.02);
}

TEST(RngSamplers, DegenerateArguments) {
  using namespace tribe::rng;
  Stream s(1, 1, 1);
  EXPECT_EQ(beta_mean_concentration(s, 0.0, 10.0), 0.0);
  EXPECT_EQ(beta_mean_concentration(s, 1.0, 10.0), 1.0);
  EXPECT_FALSE(bernoulli(s, 0.0));
  EXPECT_TRUE(bernoulli(s, 1.0));
  EXPECT_EQ(geometric(s, 1.0), 0u);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(uniform_index(s, 1), 0u);
}

}  // namespace

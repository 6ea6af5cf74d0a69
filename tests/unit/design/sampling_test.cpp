// The designs that sample points: the Latin hypercube (stratified, deterministic, crossed
// with the factors' levels), the Sobol' sequence (Joe & Kuo's, a net in every pair of
// dimensions), and the refusals of designs that cannot be drawn.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "tribe/core/error.hpp"
#include "tribe/design/experiment.hpp"
#include "tribe/design/plan.hpp"
#include "tribe/design/sobol.hpp"
#include "tribe/model/model.hpp"

namespace {

using namespace tribe;

TEST(DesignSampling, LatinHypercubeStratifiesEveryRangeAndIsDeterministic) {
  const std::string text =
      "[experiment]\nname = \"s\"\nmodel = \"leadership\"\nseed = 5\norganizations_per_cell = 1\n"
      "[factors]\nstructure = [\"flat\", \"hierarchy\"]\n"
      "[design]\nsampling = \"lhs\"\npoints = 50\n[design.ranges]\ncontrol = [0.0, 1.0]\nspan = "
      "[2, 10]\n";
  const auto x = design::parse_experiment(text, "s.toml");
  EXPECT_EQ(x.cell_count(), 100u);
  const auto pts = design::sample_points(x);
  ASSERT_EQ(pts.size(), 50u);
  std::vector<int> strata(50, 0);
  for (const auto& p : pts) {
    ASSERT_GE(p[0], 0.0);
    ASSERT_LT(p[0], 1.0);
    ++strata[static_cast<std::size_t>(p[0] * 50)];
    EXPECT_EQ(p[1], std::floor(p[1]));
    EXPECT_GE(p[1], 2.0);
    EXPECT_LE(p[1], 10.0);
  }
  for (int s : strata) EXPECT_EQ(s, 1);  // one point in each of the 50 strata
  EXPECT_EQ(design::sample_points(x), pts);
  const design::RunPlan plan(x, 1);
  // Points are crossed with the factor levels: the same point in both structures.
  EXPECT_EQ(plan.cells()[0].values, [&] {
    auto v = plan.cells()[50].values;
    v[model::find_parameter(x.model->parameters(), "structure")] = 0;
    return v;
  }());
  auto other = x;
  other.seed = 6;
  EXPECT_NE(design::sample_points(other), pts);
}

TEST(DesignSampling, RejectsBadDesigns) {
  const std::string head =
      "[experiment]\nname = \"s\"\nmodel = \"leadership\"\nseed = 5\norganizations_per_cell = 1\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[design]\nsampling = \"quasi\"\n", "design.sampling"},
      {"[design]\nsampling = \"lhs\"\n", "design.points"},
      {"[design]\nsampling = \"lhs\"\npoints = 5\n", "design.ranges"},
      {"[design]\nsampling = \"lhs\"\npoints = 5\n[design.ranges]\ncontrol = [0.5, 0.2]\n",
       "low < high"},
      {"[design]\nsampling = \"lhs\"\npoints = 5\n[design.ranges]\nstructure = [0, 1]\n",
       "only real or integer"},
      {"[parameters]\ncontrol = 0.3\n[design]\nsampling = \"lhs\"\npoints = "
       "5\n[design.ranges]\ncontrol = [0.1, 0.2]\n",
       "contradicts"},
      {"[design]\npoints = 5\n", "only with design.sampling"},
  };
  for (const auto& [text, expect] : cases) {
    SCOPED_TRACE(text);
    try {
      design::parse_experiment(head + text, "s.toml");
      ADD_FAILURE() << "accepted";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(expect), std::string::npos) << e.what();
    }
  }
}

TEST(SobolSequence, FirstPointsAreThoseOfTheReferenceGenerator) {
  // Joe & Kuo's generator (Gray-code order): (0, 0), (0.5, 0.5), (0.75, 0.25), (0.25, 0.75).
  const design::SobolSequence s(2);
  const std::vector<std::vector<double>> expected = {
      {0, 0}, {0.5, 0.5}, {0.75, 0.25}, {0.25, 0.75}};
  for (std::size_t n = 0; n < expected.size(); ++n)
    EXPECT_EQ(s.point(n), expected[n]) << "point " << n;
}

TEST(SobolSequence, EveryTwoDimensionalProjectionOfTheFirstPointsIsStratified) {
  // The first 2^m points of a Sobol' sequence are a (t, m, 2)-net in every pair of
  // dimensions: each dimension alone takes every value i / 2^m exactly once, and the
  // 2^m points fill every 2^(m/2) x 2^(m/2) box of the unit square when t is small; with
  // m = 10 each 1/32 x 1/32 box of dimensions (d, d + 1) holds one point for t = 0, and
  // at most 2^t for larger t. Wrong direction numbers break the one-dimensional check
  // or leave boxes far fuller.
  const design::SobolSequence s(design::SobolSequence::kMaxDimensions);
  const std::uint64_t n = 1024;
  std::vector<std::vector<double>> pts;
  for (std::uint64_t i = 0; i < n; ++i) pts.push_back(s.point(i));
  for (std::size_t d = 0; d < s.dimensions(); ++d) {
    std::vector<int> seen(n, 0);
    for (const auto& p : pts) ++seen[static_cast<std::size_t>(p[d] * n)];
    for (auto c : seen) ASSERT_EQ(c, 1) << "dimension " << d + 1;
  }
  for (std::size_t d = 0; d + 1 < s.dimensions(); ++d) {
    std::vector<int> box(32 * 32, 0);
    for (const auto& p : pts)
      ++box[static_cast<std::size_t>(p[d] * 32) * 32 + static_cast<std::size_t>(p[d + 1] * 32)];
    EXPECT_LE(*std::max_element(box.begin(), box.end()), 16)
        << "dimensions " << d + 1 << ", " << d + 2;
  }
}

TEST(SobolSequence, RefusesDimensionsItDoesNotHave) {
  EXPECT_THROW(design::SobolSequence(0), InputError);
  EXPECT_THROW(design::SobolSequence(design::SobolSequence::kMaxDimensions + 1), InputError);
}

}  // namespace

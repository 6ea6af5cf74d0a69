// The one-line test of a claim, as /claims/description stores it and the report prints it:
// each kind of test names its statistic, its cells or factor groups and its threshold.
#include "tribe/claims/describe.hpp"

#include <gtest/gtest.h>

#include "../support/claims_support.hpp"
#include "tribe/claims/parse.hpp"
#include "tribe/design/experiment.hpp"

namespace {

using namespace tribe;

/// The description of one claim of the tests' leadership factorial: `test` on `column`
/// with threshold `value`, and `keys` (more TOML: cells, factor groups, paired).
std::string described(const std::string& test, const std::string& column, const std::string& keys,
                      const std::string& value) {
  const std::string claim = "[[claims]]\nid = \"h\"\nstatement = \"s\"\ntest = \"" + test +
                            "\"\ncolumn = \"" + column + "\"\nvalue = " + value + "\n" + keys;
  const auto x = design::parse_experiment(test::leadership_factorial("d", claim, 10), "d.toml");
  return claims::describe(claims::parse_claims(x).front(), x);
}

const std::string kFlatVsHierarchy =
    "a = { structure = \"flat\" }\nb = { structure = \"hierarchy\" }\n";

TEST(ClaimsDescribe, ATwoSampleTestNamesBothCellsAndTheRateOfABinaryColumn) {
  EXPECT_EQ(
      described("difference_above", "distributed", kFlatVsHierarchy + "paired = true\n", "0.05"),
      "rate(distributed | structure=flat) - rate(distributed | structure=hierarchy) "
      "[paired] > 0.05");
  EXPECT_EQ(described("equivalent", "leadership_breadth", kFlatVsHierarchy, "0.1"),
            "|mean(leadership_breadth | structure=flat) - mean(leadership_breadth | "
            "structure=hierarchy)| < 0.1");
}

TEST(ClaimsDescribe, AGroupTestNamesItsGroupsAndLeavesOutAnEmptySecondGroup) {
  EXPECT_EQ(
      described("variance_share_below", "leadership_breadth", "factors_a = [\"control\"]\n", "0.5"),
      "eta2(leadership_breadth: control) < 0.5");
  EXPECT_EQ(described("variance_share_above", "leadership_breadth",
                      "factors_a = [\"structure\"]\nfactors_b = [\"control\"]\n", "0"),
            "eta2(leadership_breadth: structure) - eta2(leadership_breadth: control) > 0");
}

}  // namespace

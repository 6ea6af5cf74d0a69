// The one-line test of a claim, as /claims/description stores it and the report prints it:
// each kind of test names its statistic, its cells or factor groups and its threshold.
#include "tribe/claims/describe.hpp"

#include <gtest/gtest.h>

#include "../support/claims_support.hpp"
#include "tribe/claims/parse.hpp"
#include "tribe/design/experiment.hpp"

namespace {

using namespace tribe;

std::string described(const std::string& claim) {
  const auto x = design::parse_experiment(
      test::leadership_factorial("d", "[[claims]]\n" + claim, 10), "d.toml");
  return claims::describe(claims::parse_claims(x).front(), x);
}

TEST(ClaimsDescribe, ATwoSampleTestNamesBothCellsAndTheRateOfABinaryColumn) {
  EXPECT_EQ(described(R"T(id = "h"
statement = "s"
test = "difference_above"
column = "distributed"
a = { structure = "flat" }
b = { structure = "hierarchy" }
value = 0.05
paired = true
)T"),
            "rate(distributed | structure=flat) - rate(distributed | structure=hierarchy) "
            "[paired] > 0.05");
  EXPECT_EQ(described(R"T(id = "h"
statement = "s"
test = "equivalent"
column = "leadership_breadth"
a = { structure = "flat" }
b = { structure = "hierarchy" }
value = 0.1
)T"),
            "|mean(leadership_breadth | structure=flat) - mean(leadership_breadth | "
            "structure=hierarchy)| < 0.1");
}

TEST(ClaimsDescribe, AGroupTestNamesItsGroupsAndLeavesOutAnEmptySecondGroup) {
  EXPECT_EQ(described(R"T(id = "h"
statement = "s"
test = "variance_share_below"
column = "leadership_breadth"
factors_a = ["control"]
value = 0.5
)T"),
            "eta2(leadership_breadth: control) < 0.5");
  EXPECT_EQ(described(R"T(id = "h"
statement = "s"
test = "variance_share_above"
column = "leadership_breadth"
factors_a = ["structure"]
factors_b = ["control"]
value = 0
)T"),
            "eta2(leadership_breadth: structure) - eta2(leadership_breadth: control) > 0");
}

}  // namespace

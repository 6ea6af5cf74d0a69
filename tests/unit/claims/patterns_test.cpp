// Patterns ([[patterns]]) and band tests: parsing with one clear error per mistake, the
// band decision, and the between-organization (partial) rank correlation on data whose
// answer is known; a run writes /patterns and the report prints them apart from the claims.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "../support/claims_support.hpp"
#include "../support/test_support.hpp"
#include "claim_builders.hpp"
#include "tribe/claims/evaluate.hpp"
#include "tribe/claims/parse.hpp"
#include "tribe/core/error.hpp"
#include "tribe/design/experiment.hpp"
#include "tribe/design/plan.hpp"

namespace {

using namespace tribe;
using claims::Verdict;
using test::claim;
using test::noise;
using test::pattern;
using test::SyntheticData;

std::string factorial(const std::string& tables, std::uint64_t per_cell) {
  return test::leadership_factorial("p", tables, per_cell);
}

std::string parse_error(const std::string& tables) {
  try {
    const auto x = design::parse_experiment(factorial(tables, 100), "e.toml");
    claims::parse_claims(x);
    claims::parse_patterns(x);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Patterns, ParseRefusesWhatIsNotABand) {
  const std::string head =
      "[[patterns]]\nid = \"P\"\nstatement = \"s\"\ncolumn = \"leadership_density\"\n";
  EXPECT_NE(parse_error(head + "test = \"above\"\nvalue = 0.1\n").find("a pattern is a band"),
            std::string::npos);
  EXPECT_NE(parse_error(head + "test = \"within\"\n").find("missing key patterns.P.band"),
            std::string::npos);
  EXPECT_NE(parse_error(head + "test = \"within\"\nband = [0.3, 0.2]\n").find("low < high"),
            std::string::npos);
  EXPECT_NE(parse_error(head + "test = \"within\"\nband = [0.1]\n").find("low < high"),
            std::string::npos);
  EXPECT_NE(
      parse_error(head + "test = \"within\"\nband = [0.1, 0.2]\nvalue = 0.1\n").find("not value"),
      std::string::npos);
  EXPECT_NE(parse_error(head + "test = \"rank_correlation_within\"\nband = [0.1, 0.2]\n")
                .find("missing key patterns[0].with"),
            std::string::npos);
  EXPECT_NE(parse_error(head + "test = \"rank_correlation_within\"\nband = [0.1, 0.2]\n"
                               "with = \"solve_rate\"\ncontrols = [\"solve_rate\"]\n")
                .find("other than column and with"),
            std::string::npos);
  EXPECT_NE(parse_error(head + "test = \"rank_correlation_within\"\nband = [0.1, 0.2]\n"
                               "with = \"solve_rate\"\ncontrols = [\"no_such_column\"]\n")
                .find("patterns.P.controls"),
            std::string::npos);
  // Ids are unique across claims and patterns.
  EXPECT_NE(parse_error("[[claims]]\nid = \"P\"\nstatement = \"s\"\ntest = \"above\"\n"
                        "column = \"solve_rate\"\nvalue = 0.5\n" +
                        head + "test = \"within\"\nband = [0.1, 0.2]\n")
                .find("used twice"),
            std::string::npos);
  // A band is fine in a claim too; controls only with rank correlations.
  EXPECT_EQ(parse_error("[[claims]]\nid = \"C\"\nstatement = \"s\"\ntest = \"within\"\n"
                        "column = \"solve_rate\"\nband = [0.1, 0.9]\n"),
            "");
  EXPECT_NE(parse_error("[[claims]]\nid = \"C\"\nstatement = \"s\"\ntest = \"within\"\n"
                        "column = \"solve_rate\"\nband = [0.1, 0.9]\ncontrols = [\"challenges\"]\n")
                .find("only used by rank_correlation_within"),
            std::string::npos);
}

// x = z + noise and y = z + other noise: x and y are associated only through z, so their
// rank correlation is high and the partial one, net of z, about 0; z and x are strongly
// associated; an independent column is not.
TEST(Patterns, RankCorrelationBetweenOrganizationsHasTheKnownAnswer) {
  const std::string rank = "rank_correlation_within", z_with_x = R"(with = "leadership_density")";
  const test::PlannedExperiment e(
      factorial(
          pattern("strong", "z and x go together between organizations", rank, "challenges",
                  {z_with_x, "band = [0.8, 1.0]"}) +
              pattern("weak", "z and x are unrelated (they are not)", rank, "challenges",
                      {z_with_x, "band = [-0.1, 0.1]"}) +
              pattern("partial", "net of z, x tells nothing about y", rank, "leadership_density",
                      {R"(with = "aligned_solve_rate")", R"(controls = ["challenges"])",
                       "band = [-0.15, 0.15]"}) +
              pattern("mean", "the mean of a uniform column is near 0.5", "within", "solve_rate",
                      {"band = [0.45, 0.55]"}),
          500),
      "e.toml");
  const auto& [x, plan] = e;
  const auto patterns = claims::parse_patterns(x);
  ASSERT_EQ(patterns.size(), 4u);
  EXPECT_TRUE(patterns[0].pattern);
  const SyntheticData data(500, [](const std::string& column, std::uint64_t cell, std::uint64_t j) {
    const double z = noise(cell, j);
    if (column == "challenges") return z;
    if (column == "leadership_density") return z + 0.3 * noise(cell + 100, j);
    if (column == "aligned_solve_rate") return z + 0.3 * noise(cell + 300, j);
    return noise(cell + 200, j);  // solve_rate: uniform, independent of the others
  });
  const auto r = claims::evaluate(plan, patterns, data);
  // Spearman of z and z + 0.3 u (u uniform) is about 0.96, well inside [0.8, 1].
  EXPECT_GT(r[0].estimate, 0.9);
  EXPECT_LT(r[0].low, r[0].estimate);
  EXPECT_GT(r[0].high, r[0].estimate);
  EXPECT_EQ(r[0].verdict, Verdict::Supported);
  EXPECT_EQ(r[0].n_a, 2000u);
  EXPECT_EQ(r[1].verdict, Verdict::NotSupported);  // 0.96 is far outside [-0.1, 0.1]
  EXPECT_NEAR(r[2].estimate, 0.0, 0.1);            // z carries the whole association
  EXPECT_EQ(r[2].verdict, Verdict::Supported);
  EXPECT_NEAR(r[3].estimate, 0.5, 0.02);
  EXPECT_EQ(r[3].verdict, Verdict::Supported);
  // Reproducible: the bootstrap stream is keyed by the experiment's seed.
  const auto again = claims::evaluate(plan, patterns, data);
  for (std::size_t i = 0; i < r.size(); ++i) {
    EXPECT_EQ(again[i].low, r[i].low);
    EXPECT_EQ(again[i].high, r[i].high);
  }
}

TEST(Patterns, ARunWritesThemAndTheReportPrintsThemApart) {
  test::TempDir dir;
  test::write_file(
      dir / "e.toml",
      factorial(
          claim("solves", "most challenges are solved", "above", "solve_rate", {"value = 0.1"}) +
              pattern("top-share-band", "one agent draws between 10% and 90% of all reliance",
                      "within", "reliance_top_share", {"band = [0.1, 0.9]"}),
          50));
  const auto run = test::run_tribe("run " + (dir / "e.toml").string() + " -o " +
                                   (dir / "e.h5").string() + " --quiet");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto report = test::run_tribe("report " + (dir / "e.h5").string());
  ASSERT_EQ(report.exit_code, 0) << report.output;
  EXPECT_NE(report.output.find("Claims of experiment p"), std::string::npos) << report.output;
  EXPECT_NE(report.output.find("Patterns of experiment p"), std::string::npos) << report.output;
  EXPECT_NE(report.output.find("0.1 < mean(reliance_top_share | all cells) < 0.9"),
            std::string::npos)
      << report.output;
  const auto inspect = test::run_tribe("inspect " + (dir / "e.h5").string());
  EXPECT_EQ(inspect.exit_code, 0) << inspect.output;
}

}  // namespace

namespace {

// Issue 27, item 8: an id names datasets of the result file; "a/b", "." or "/" used to be
// refused only after the whole run (exit 3). Now at parse time, with one line.
TEST(ClaimIds, AreNamesTheFileCanStore) {
  for (const std::string id : {"a/b", ".", "/", "-lead", "with space", "x\\u00e9"}) {
    const auto msg = parse_error(
        "[[claims]]\nid = \"" + id +
        "\"\nstatement = \"s\"\ntest = \"above\"\ncolumn = \"solve_rate\"\nvalue = 0.5\n");
    EXPECT_NE(msg.find("claims[0].id"), std::string::npos) << id << ": " << msg;
    EXPECT_NE(msg.find("letters, digits"), std::string::npos) << id << ": " << msg;
  }
  EXPECT_EQ(parse_error("[[claims]]\nid = \"H1-a_b.2\"\nstatement = \"s\"\ntest = \"above\"\n"
                        "column = \"solve_rate\"\nvalue = 0.5\n"),
            "");
}

}  // namespace

// Global sensitivity: the Sobol' sequence, the Saltelli design and the Sobol indices,
// checked against the analytic indices of the Ishigami and g test functions, and a Sobol
// design run end to end (result file and report).
#include "tribe/claims/sensitivity.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "../support/test_functions.hpp"
#include "../support/test_support.hpp"
#include "claim_builders.hpp"
#include "tribe/claims/evaluate.hpp"
#include "tribe/claims/parse.hpp"
#include "tribe/core/error.hpp"
#include "tribe/design/experiment.hpp"
#include "tribe/design/plan.hpp"
#include "tribe/design/sobol.hpp"
#include "tribe/io/result_file.hpp"

namespace {

using namespace tribe;

std::string sobol_experiment(const std::string& function, std::uint64_t points, int inputs) {
  std::string t =
      "[experiment]\nname = \"sobol\"\nmodel = \"test_functions\"\nseed = "
      "5\norganizations_per_cell = 1\n"
      "[parameters]\nfunction = \"" +
      function + "\"\n[design]\nsampling = \"sobol\"\npoints = " + std::to_string(points) +
      "\n[design.ranges]\n";
  for (int i = 1; i <= inputs; ++i) t += "x" + std::to_string(i) + " = [0.0, 1.0]\n";
  return t;
}

/// Sobol indices of column `column` of a design run with one organization per cell.
std::vector<claims::ColumnSensitivity> indices_of(const design::Experiment& x) {
  const design::RunPlan plan(x, x.organizations_per_cell);
  const auto& model = *x.model;
  auto ws = model.make_workspace();
  const std::size_t columns = model.columns().size();
  std::vector<std::vector<double>> means(columns, std::vector<double>(plan.cells().size()));
  std::vector<double> row(columns);
  for (const auto& cell : plan.cells()) {
    cell.bound->simulate({x.seed, 0, plan.domain(cell.index)}, *ws, row);
    for (std::size_t c = 0; c < columns; ++c) means[c][cell.index] = row[c];
  }
  return claims::sobol_sensitivity(
      plan, [&](std::size_t c, std::uint64_t cell) { return means[c][cell]; });
}

TEST(Sensitivity, RecoversTheIshigamiIndices) {
  test::test_functions_model();
  const auto x =
      design::parse_experiment(sobol_experiment("ishigami", 1 << 14, 3), "ishigami.toml");
  EXPECT_EQ(x.cell_count(), (1u << 14) * 6u);  // A, B, AB_1..AB_3, AB_dummy per base point
  const auto all = indices_of(x);
  ASSERT_EQ(all.size(), 2u);
  const auto& s = all[0];
  ASSERT_EQ(s.column, "y");
  ASSERT_EQ(s.names, (std::vector<std::string>{"x1", "x2", "x3", design::kSobolDummy}));
  const auto exact = test::ishigami_indices();
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(s.indices.total[i], exact.total[i], 0.02) << "ST of x" << i + 1;
    EXPECT_NEAR(s.indices.first[i], exact.first[i], 0.02) << "S1 of x" << i + 1;
    EXPECT_LE(s.indices.total_low[i], s.indices.total[i]);
    EXPECT_GE(s.indices.total_high[i], s.indices.total[i]);
    EXPECT_LT(s.indices.total_high[i] - s.indices.total_low[i], 0.1);
  }
  // The dummy moves nothing: with a deterministic function its indices are 0.
  EXPECT_NEAR(s.indices.first[3], 0.0, 1e-12);
  EXPECT_NEAR(s.indices.total[3], 0.0, 1e-12);
  EXPECT_EQ(s.indices.base_points, 1u << 14);
}

TEST(Sensitivity, RecoversTheGFunctionIndicesAndBoundsNoiseWithTheDummy) {
  test::test_functions_model();
  const auto x = design::parse_experiment(sobol_experiment("g_function", 1 << 13, 8), "g.toml");
  const auto all = indices_of(x);
  const auto exact = test::g_function_indices();
  const auto& s = all[0];
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_NEAR(s.indices.total[i], exact.total[i], 0.03) << "ST of x" << i + 1;
    EXPECT_NEAR(s.indices.first[i], exact.first[i], 0.03) << "S1 of x" << i + 1;
  }
  // y_noisy: the function plus the noise of the cell's one organization. Under common
  // random numbers every cell shares organization 0 and its draw z0, except the dummy's
  // AB cell, which draws its own z_j: f(AB_dummy) - f(A) = z_j - z0, so the dummy's total
  // index is E[(z - z0)^2] / 2V = (1 + z0^2) / 2V, with V the variance of the function
  // (the shared draw adds none). The inputs' indices are those of the function: the shared
  // noise cancels in f(A) - f(AB_i).
  const auto& noisy = all[1];
  ASSERT_EQ(noisy.column, "y_noisy");
  const design::RunPlan plan(x, 1);
  auto ws = x.model->make_workspace();
  std::vector<double> row(2);
  plan.cells()[0].bound->simulate({x.seed, 0, plan.domain(0)}, *ws, row);
  const double z0 = row[1] - row[0];
  const double v = s.indices.variance;
  EXPECT_NEAR(noisy.indices.total[8], (1 + z0 * z0) / (2 * v), 0.1 * (1 + z0 * z0) / (2 * v));
  EXPECT_GT(noisy.indices.total[8], noisy.indices.total_low[8]);
  for (std::size_t i = 0; i < 8; ++i) EXPECT_NEAR(noisy.indices.total[i], s.indices.total[i], 1e-9);
}

TEST(Sensitivity, TheDummyShowsTheNoiseWithoutCommonRandomNumbers) {
  test::test_functions_model();
  auto text = sobol_experiment("g_function", 1 << 11, 8);
  text.insert(text.find("[parameters]"), "common_random_numbers = false\n");
  const auto all = indices_of(design::parse_experiment(text, "g.toml"));
  const auto& noisy = all[1];
  // Independent noise in every cell: the dummy's total index estimates the noise's share
  // of the variance (about 1 / (1 + V) with V the g-function's variance), and inert
  // inputs (a = 99) have about as much.
  const auto exact = test::g_function_indices();
  (void)exact;
  EXPECT_GT(noisy.indices.total[8], 0.2);
  EXPECT_NEAR(noisy.indices.total[7], noisy.indices.total[8], 0.1);
  EXPECT_NEAR(noisy.indices.first[8], 0.0, 0.1);
}

TEST(Sensitivity, BootstrapIntervalsAreReproducible) {
  test::test_functions_model();
  const auto x = design::parse_experiment(sobol_experiment("ishigami", 256, 3), "ishigami.toml");
  const auto a = indices_of(x), b = indices_of(x);
  EXPECT_EQ(a[0].indices.total_low, b[0].indices.total_low);
  EXPECT_EQ(a[0].indices.first_high, b[0].indices.first_high);
}

TEST(Sensitivity, SobolDesignsAreValidated) {
  test::test_functions_model();
  auto with = [](const std::string& extra) { return sobol_experiment("ishigami", 64, 2) + extra; };
  // Choices of a choice parameter are sampled as equally likely levels.
  std::string t =
      "[experiment]\nname = \"s\"\nmodel = \"test_functions\"\nseed = 1\norganizations_per_cell = "
      "1\n"
      "[design]\nsampling = \"sobol\"\npoints = 64\n[design.ranges]\nx1 = [0.0, 1.0]\n"
      "function = [\"ishigami\", \"g_function\"]\n";
  const auto x = design::parse_experiment(t, "s.toml");
  ASSERT_EQ(x.ranges.size(), 2u);
  const design::RunPlan plan(x, 1);
  int ishigami = 0;
  for (const auto& cell : plan.cells()) ishigami += cell.values[0] == 0.0;
  EXPECT_NEAR(ishigami / static_cast<double>(plan.cells().size()), 0.5, 0.05);
  // A Sobol design has no factors, and needs ranges and at least 2 base points.
  EXPECT_THROW(design::parse_experiment(with("[factors]\nx5 = [0.1, 0.2]\n"), "s.toml"),
               InputError);
  EXPECT_THROW(design::parse_experiment(sobol_experiment("ishigami", 1, 2), "s.toml"), InputError);
  // Choices need a Sobol design.
  EXPECT_THROW(
      design::parse_experiment("[experiment]\nname = \"s\"\nmodel = \"test_functions\"\nseed = "
                               "1\norganizations_per_cell = 1\n"
                               "[design]\nsampling = \"lhs\"\npoints = "
                               "4\n[design.ranges]\nfunction = [\"ishigami\", \"g_function\"]\n",
                               "s.toml"),
      InputError);
}

/// Per-organization values computed from the model on demand.
class ModelData : public claims::CellData {
 public:
  explicit ModelData(const design::RunPlan& plan)
      : plan_(plan), ws_(plan.experiment().model->make_workspace()) {}
  std::vector<double> read(const std::string& column, std::uint64_t cell) const override {
    const auto& x = plan_.experiment();
    const auto cols = x.model->columns();
    const auto c = model::find_column(cols, column);
    std::vector<double> row(cols.size()), out;
    for (std::uint64_t k = 0; k < plan_.organizations_per_cell(); ++k) {
      plan_.cells()[cell].bound->simulate({x.seed, k, plan_.domain(cell)}, *ws_, row);
      out.push_back(row[c]);
    }
    return out;
  }

 private:
  const design::RunPlan& plan_;
  std::unique_ptr<model::Workspace> ws_;
};

TEST(Sensitivity, ClaimsOnSobolIndicesCompareWithTheDummy) {
  test::test_functions_model();
  const std::string x1 = R"(factors_a = ["x1"])", versus_dummy = "factors_b = [\"(dummy)\"]";
  const auto x = design::parse_experiment(
      sobol_experiment("g_function", 1 << 11, 8) +
          test::claim("x1-matters", "x1 has a total effect beyond the noise floor",
                      "sobol_total_above", "y_noisy", {x1, versus_dummy, "value = 0.0"}) +
          test::claim("x8-matters",
                      "x8 (a = 99: nearly inert) has a total effect beyond the noise floor",
                      "sobol_total_above", "y_noisy",
                      {R"(factors_a = ["x8"])", versus_dummy, "value = 0.0"}) +
          test::claim("dummy-matters", "the dummy has a total effect on a deterministic output",
                      "sobol_total_above", "y", {"factors_a = [\"(dummy)\"]", "value = 0.0"}) +
          test::claim("x1-first-order", "x1's first-order index exceeds 0.5 (it is 0.72)",
                      "sobol_first_above", "y", {x1, "value = 0.5"}),
      "g.toml");
  // 16 organizations per cell: the noise of a cell mean has variance 1/16, so the dummy's
  // total index (the noise floor) is about 0.1, far below x1's (0.79) and far above x8's.
  const design::RunPlan plan(x, 16);
  const ModelData data(plan);
  const auto r = claims::evaluate(plan, claims::parse_claims(x), data);
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].verdict, claims::Verdict::Supported);
  EXPECT_EQ(r[1].verdict, claims::Verdict::NotSupported);
  EXPECT_NE(r[2].verdict, claims::Verdict::Supported);
  EXPECT_FALSE(r[2].reason.empty());
  EXPECT_EQ(r[3].verdict, claims::Verdict::Supported);
  EXPECT_NEAR(r[3].estimate, test::g_function_indices().first[0], 0.05);
  // Sobol tests need a Sobol design, and the dummy has no variance share.
  EXPECT_THROW(claims::parse_claims(design::parse_experiment(
                   "[experiment]\nname = \"s\"\nmodel = \"test_functions\"\nseed = "
                   "1\norganizations_per_cell = 1\n"
                   "[design]\nsampling = \"lhs\"\npoints = 4\n[design.ranges]\nx1 = [0.0, "
                   "1.0]\n" +
                       test::claim("c", "s", "sobol_total_above", "y", {x1, "value = 0.0"}),
                   "s.toml")),
               InputError);
  EXPECT_THROW(claims::parse_claims(design::parse_experiment(
                   sobol_experiment("g_function", 8, 2) +
                       test::claim("c", "s", "variance_share_above", "y",
                                   {"factors_a = [\"(dummy)\"]", "value = 0.0"}),
                   "s.toml")),
               InputError);
}

TEST(Sensitivity, ASobolRunStoresAndReportsItsIndices) {
  test::TempDir dir;
  test::write_file(
      dir / "s.toml",
      "[experiment]\nname = \"sens\"\nmodel = \"leadership\"\nseed = 3\norganizations_per_cell = "
      "4\n"
      "[parameters]\nagents = 8\nsteps = 10\n[design]\nsampling = \"sobol\"\npoints = 8\n"
      "[design.ranges]\ncontrol = [0.0, 1.0]\nstructure = [\"flat\", \"hierarchy\"]\n");
  const auto run = test::run_tribe("run " + (dir / "s.toml").string() + " -o " +
                                   (dir / "s.h5").string() + " --quiet");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  io::ResultReader f(dir / "s.h5");
  ASSERT_TRUE(f.exists("sensitivity"));
  const auto columns = f.list("sensitivity");
  ASSERT_FALSE(columns.empty());
  const std::string g = "sensitivity/" + columns[0] + "/";
  EXPECT_EQ(f.strings(g + "parameter"),
            (std::vector<std::string>{"control", "structure", design::kSobolDummy}));
  for (const char* d : {"S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"})
    EXPECT_EQ(f.column(g + d).size(), 3u);
  EXPECT_EQ(f.column("cells/organizations").size(), 8u * 5u);
  const auto report = test::run_tribe("report " + (dir / "s.h5").string());
  ASSERT_EQ(report.exit_code, 0) << report.output;
  EXPECT_NE(report.output.find("Global sensitivity"), std::string::npos) << report.output;
  EXPECT_NE(report.output.find(design::kSobolDummy), std::string::npos);
}

}  // namespace

// `tribe import` in process (job/import.hpp): the committed sample tables of each format
// become result files with their design, outcomes, provenance and claims; a table that does
// not fit is refused in one line naming the row and the column, and nothing is written.
#include "tribe/job/import.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "../support/test_support.hpp"
#include "tribe/core/error.hpp"
#include "tribe/io/result_file.hpp"
#include "tribe/io/table.hpp"

namespace {

using namespace tribe;
namespace fs = std::filesystem;

const fs::path kTables = fs::path(TRIBE_SOURCE_DIR) / "examples" / "tables";

job::ImportRequest request(const fs::path& table, const fs::path& output,
                           const std::string& claims = "") {
  job::ImportRequest q;
  q.table = table.string();
  q.output = output.string();
  if (!claims.empty()) q.claims = (kTables / claims).string();
  return q;
}

void write(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

/// The message of the InputError `f` throws ("" if none).
template <class F>
std::string refusal(F f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(ImportTable, MesaBatchRunBecomesAResultWithClaims) {
  test::TempDir dir;
  const fs::path out = dir.path() / "schelling.h5";
  const auto r =
      job::import_table(request(kTables / "mesa_schelling.csv", out, "mesa_schelling_claims.toml"));
  ASSERT_TRUE(r.job.complete);
  io::ResultReader f(out);
  EXPECT_EQ(f.attribute("model"), "imported");
  EXPECT_EQ(f.attribute("imported_format"), "mesa");
  EXPECT_EQ(f.attribute("imported_from"), (kTables / "mesa_schelling.csv").string());
  EXPECT_EQ(f.attribute("imported_checksum"),
            io::checksum(io::read_table_file(kTables / "mesa_schelling.csv")));
  EXPECT_NE(f.attribute("imported_rules").find("the last step of each run"), std::string::npos);
  EXPECT_EQ(f.attribute_u64("cells"), 4u);  // density x homophily
  EXPECT_EQ(f.attribute_u64("organizations_per_cell"), 5u);
  EXPECT_EQ(f.attribute_u64("common_random_numbers"), 0u);
  // Run 0 (iteration 0, density 0.7, homophily 3) ends at step 6 with 273 happy agents:
  // organization 0 of the first cell.
  const auto happy = f.column("organizations/happy");
  ASSERT_EQ(happy.size(), 20u);
  EXPECT_EQ(happy[0], 273);
  EXPECT_TRUE(f.exists("claims"));
}

/// Imports one committed sample with its claims; checks the format recognized and the
/// design (cells x organizations) inferred; returns the result to read.
io::ResultReader imported(const test::TempDir& dir, const std::string& table,
                          const std::string& claims, const std::string& format, std::uint64_t cells,
                          std::uint64_t per_cell) {
  const fs::path out = dir.path() / (table + ".h5");
  const auto r = job::import_table(request(kTables / table, out, claims));
  EXPECT_TRUE(r.job.complete);
  io::ResultReader f(out);
  EXPECT_EQ(f.attribute("imported_format"), format);
  EXPECT_EQ(f.attribute_u64("cells"), cells);
  EXPECT_EQ(f.attribute_u64("organizations_per_cell"), per_cell);
  return f;
}

TEST(ImportTable, BehaviorSpaceTableAndSpreadsheet) {
  test::TempDir dir;
  const auto ws = imported(dir, "netlogo_wolf_sheep_table.csv", "netlogo_wolf_sheep_claims.toml",
                           "netlogo-table", 4, 4);
  EXPECT_TRUE(ws.exists("organizations/any_wolves"));
  const auto fire = imported(dir, "netlogo_fire_spreadsheet.csv", "netlogo_fire_claims.toml",
                             "netlogo-spreadsheet", 3, 3);
  const auto burned = fire.column("organizations/burned-trees");
  ASSERT_EQ(burned.size(), 9u);
  EXPECT_EQ(burned[0], 666);  // run 1's [final] value
}

const std::string kHeader = "RunId,iteration,Step,density,happy\n";

TEST(ImportTable, ARowThatDoesNotFitIsRefusedInOneLineAndNothingIsWritten) {
  test::TempDir dir;
  const fs::path table = dir.path() / "t.csv", out = dir.path() / "t.h5";
  write(table, kHeader + "0,0,0,0.5,10\n1,0,0,0.9,abc\n2,1,0,0.5,11\n3,1,0,0.9,12\n");
  EXPECT_EQ(refusal([&] { job::import_table(request(table, out)); }),
            table.string() +
                ":3: column happy: \"abc\" is not a number (expected a number, true/false, or "
                "NaN for a value left undefined; an empty cell is not read as NaN)");
  EXPECT_FALSE(fs::exists(out));
  write(table, kHeader + "0,0,0,0.5,10\n1,0,0,0.9,\n2,1,0,0.5,11\n3,1,0,0.9,12\n");
  EXPECT_NE(
      refusal([&] { job::import_table(request(table, out)); }).find(":3: column happy: empty cell"),
      std::string::npos);
  write(table, kHeader + "0,0,0,0.5,10\n1,0,0,0.9\n");
  EXPECT_NE(refusal([&] {
              job::import_table(request(table, out));
            }).find(":3: 4 fields, the header has 5"),
            std::string::npos);
  EXPECT_FALSE(fs::exists(out));
}

TEST(ImportTable, UnevenReplicatesAreAnErrorUnlessARuleIsNamed) {
  test::TempDir dir;
  const fs::path table = dir.path() / "t.csv", out = dir.path() / "t.h5";
  write(table, kHeader + "0,0,0,0.5,10\n1,0,0,0.9,20\n2,1,0,0.5,11\n3,1,0,0.9,21\n4,2,0,0.5,12\n");
  const std::string e = refusal([&] { job::import_table(request(table, out)); });
  EXPECT_NE(e.find("cell (density = 0.9) has 2 runs, cell (density = 0.5) has 3"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("--replicates min"), std::string::npos) << e;
  EXPECT_FALSE(fs::exists(out));
  auto q = request(table, out);
  q.replicates = "min";
  const auto r = job::import_table(q);
  ASSERT_TRUE(r.job.complete);
  io::ResultReader f(out);
  EXPECT_EQ(f.attribute_u64("organizations_per_cell"), 2u);
  EXPECT_NE(f.attribute("imported_rules").find("left out 1 runs: RunId 4"), std::string::npos);
}

TEST(ImportTable, AStepIsChosenAndAMissingCombinationIsNamed) {
  test::TempDir dir;
  const fs::path table = dir.path() / "t.csv", out = dir.path() / "t.h5";
  const std::string h = "RunId,iteration,Step,a,b,y\n";
  write(table, h + "0,0,0,1,x,5\n0,0,1,1,x,6\n1,0,0,2,y,7\n1,0,1,2,y,8\n");
  auto named = request(table, out);
  named.factors = {"a", "b"};
  const std::string e = refusal([&] { job::import_table(named); });
  EXPECT_NE(e.find("no run has (a = 2, b = x)"), std::string::npos) << e;
  write(table, h + "0,0,0,1,x,5\n0,0,1,1,x,6\n1,0,0,2,x,7\n1,0,1,2,x,8\n");
  auto q = request(table, out);
  q.step = 0;
  ASSERT_TRUE(job::import_table(q).job.complete);
  io::ResultReader f(out);
  EXPECT_EQ(f.column("organizations/y"), (std::vector<double>{5, 7}));
  q.step = 3;
  q.overwrite = true;
  EXPECT_NE(refusal([&] {
              job::import_table(q);
            }).find(":2: column Step: RunId 0 has no row at step 3 (its steps are 0..1"),
            std::string::npos);
}

}  // namespace

// The result file: write -> read round trip, provenance, the complete flag, and
// refusal of files that are not complete tribe results.
#include "tribe/io/result_file.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "../support/test_functions.hpp"
#include "../support/test_support.hpp"
#include "tribe/core/error.hpp"
#include "tribe/core/version.hpp"
#include "tribe/design/experiment.hpp"
#include "tribe/design/plan.hpp"
#include "tribe/exec/runner.hpp"

namespace {

using namespace tribe;

class RecordingSink : public exec::BlockSink {
 public:
  explicit RecordingSink(exec::BlockSink& inner) : inner_(inner) {}
  void consume(const exec::BlockRows& rows) override {
    values.insert(values.end(), rows.values.begin(), rows.values.end());
    inner_.consume(rows);
  }
  std::vector<double> values;

 private:
  exec::BlockSink& inner_;
};

TEST(IoResultFile, RoundTripsEveryRowAndCellStatistic) {
  test::TempDir dir;
  const auto x = design::parse_experiment(test::small_experiment("", 70), "small.toml");
  const design::RunPlan plan(x, x.organizations_per_cell, 16);
  const auto path = dir / "out.h5";
  std::vector<double> rows;
  exec::RunResult result;
  {
    io::ResultWriter writer(path, plan, false);
    EXPECT_TRUE(std::filesystem::exists(writer.temporary()));
    EXPECT_FALSE(std::filesystem::exists(path));
    RecordingSink sink(writer);
    result = exec::run(plan, exec::RunOptions{}, sink);
    rows = sink.values;
    writer.write_cells(result);
    writer.finish(io::RunInfo{"test", "openmp", 2, 0.5});
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "out.h5.partial"));

  io::ResultReader r(path);
  EXPECT_TRUE(r.complete());
  EXPECT_EQ(r.attribute("filetype"), version::kResultFiletype);
  EXPECT_EQ(r.format_version(),
            (std::vector<std::uint32_t>{version::kResultFormat[0], version::kResultFormat[1]}));
  EXPECT_EQ(r.attribute("engine_version"), version::engine());
  EXPECT_EQ(r.attribute("git_sha1"), version::git_sha1());
  EXPECT_EQ(r.attribute("experiment"), x.source_text);
  EXPECT_EQ(r.attribute("rng_scheme"), version::kRngScheme);
  EXPECT_EQ(r.attribute_u64("seed"), 7u);
  EXPECT_EQ(r.attribute_u64("organizations"), plan.total_organizations());
  EXPECT_FALSE(r.attribute("created").empty());

  const auto columns = x.model->columns();
  const auto cell = r.column("organizations/cell");
  const auto org = r.column("organizations/organization");
  ASSERT_EQ(cell.size(), plan.total_organizations());
  for (std::size_t i = 0; i < cell.size(); ++i) {
    EXPECT_EQ(cell[i], static_cast<double>(i / 70));
    EXPECT_EQ(org[i], static_cast<double>(i % 70));
  }
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const auto values = r.column("organizations/" + columns[c].name);
    ASSERT_EQ(values.size(), plan.total_organizations());
    for (std::size_t i = 0; i < values.size(); ++i) {
      const double expected = rows[i * columns.size() + c];
      if (std::isnan(expected))
        EXPECT_TRUE(std::isnan(values[i]));
      else
        EXPECT_EQ(values[i], expected) << columns[c].name << " row " << i;
    }
  }
  const auto n = r.column("cells/organizations");
  ASSERT_EQ(n.size(), 4u);
  for (double v : n) EXPECT_EQ(v, 70.0);
  EXPECT_EQ(r.strings("cells/label")[0], plan.cells()[0].label(x));
  EXPECT_EQ(r.strings("cells/parameters/structure"),
            (std::vector<std::string>{"flat", "hierarchy", "flat", "hierarchy"}));
  // The cell rate of the binary outcome is the mean of its column within the cell.
  const auto dl = r.column("organizations/distributed");
  const auto rate = r.column("cells/stats/distributed/rate");
  const auto lo = r.column("cells/stats/distributed/rate_low");
  const auto hi = r.column("cells/stats/distributed/rate_high");
  for (std::size_t c = 0; c < 4; ++c) {
    double k = 0;
    for (std::size_t i = c * 70; i < (c + 1) * 70; ++i) k += dl[i];
    EXPECT_DOUBLE_EQ(rate[c], k / 70.0);
    EXPECT_LE(lo[c], rate[c]);
    EXPECT_GE(hi[c], rate[c]);
  }
}

TEST(IoResultFile, FailedRunLeavesNoFile) {
  test::TempDir dir;
  const auto x = design::parse_experiment(test::exact_experiment(10), "exact.toml");
  const design::RunPlan plan(x, x.organizations_per_cell);
  {
    io::ResultWriter writer(dir / "out.h5", plan, false);
    // destroyed without finish(): as when a run throws or is interrupted
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(IoResultFile, RefusesBadTargets) {
  test::TempDir dir;
  const auto x = design::parse_experiment(test::exact_experiment(10), "exact.toml");
  const design::RunPlan plan(x, x.organizations_per_cell);
  EXPECT_THROW(io::ResultWriter(dir / "missing" / "out.h5", plan, false), EnvironmentError);
  test::write_file(dir / "exists.h5", "x");
  try {
    io::ResultWriter w(dir / "exists.h5", plan, false);
    ADD_FAILURE() << "overwrote an existing file";
  } catch (const EnvironmentError& e) {
    EXPECT_NE(std::string(e.what()).find("--overwrite"), std::string::npos);
  }
  EXPECT_NO_THROW(io::ResultWriter(dir / "exists.h5", plan, true));
}

TEST(IoResultFile, ReaderRefusesWhatIsNotACompleteResult) {
  test::TempDir dir;
  EXPECT_THROW(io::ResultReader(dir / "none.h5"), EnvironmentError);
  test::write_file(dir / "text.h5", "this is not HDF5");
  EXPECT_THROW(io::ResultReader(dir / "text.h5"), DamagedFileError);

  // A real HDF5 file from another tool.
  const hid_t f = H5Fcreate((dir / "other.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  H5Fclose(f);
  try {
    io::ResultReader r(dir / "other.h5");
    ADD_FAILURE();
  } catch (const DamagedFileError& e) {
    EXPECT_NE(std::string(e.what()).find("not a tribe result file"), std::string::npos);
  }

  // A file its writer has not closed (a run still going, or killed) is refused with one
  // line saying so, even when incomplete files are asked for: HDF5's 1.10 format marks it
  // open for writing. (A closed file with complete = 0 is read with allow_incomplete: the
  // Python tests make one.)
  const auto x = design::parse_experiment(test::exact_experiment(10), "exact.toml");
  const design::RunPlan plan(x, x.organizations_per_cell);
  {
    io::ResultWriter writer(dir / "run.h5", plan, false);
    std::filesystem::copy_file(writer.temporary(), dir / "partial.h5");
  }
  for (const bool allow : {false, true}) {
    try {
      io::ResultReader r(dir / "partial.h5", allow);
      ADD_FAILURE();
    } catch (const std::exception& e) {
      EXPECT_NE(std::string(e.what()).find("an unfinished result file"), std::string::npos)
          << e.what();
    }
  }
}

}  // namespace

namespace {

std::string read_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_bytes(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Issue 27, item 1: the metadata outside the chunks was not checksummed (superblock 0,
// v1 object headers and B-trees) and the strings live in HDF5's global heap, outside
// every checksum: one flipped byte turned a label or a verdict into another silently.
// Files are now written in HDF5's 1.10 format (checksummed superblock, object headers,
// chunk indexes), and the strings carry a digest checked on every read.
TEST(IoResultFile, MetadataIsChecksummedAndAChangedStringIsRefused) {
  test::TempDir dir;
  test::write_file(dir / "e.toml", test::small_experiment("", 10));
  ASSERT_EQ(
      test::run_tribe("run " + (dir / "e.toml").string() + " -q -o " + (dir / "r.h5").string())
          .exit_code,
      0);
  const std::string bytes = read_bytes(dir / "r.h5");
  // The superblock (after the 8-byte signature): version 2 or 3 carries a checksum.
  ASSERT_GT(bytes.size(), 9u);
  EXPECT_GE(static_cast<int>(bytes[8]), 2);
  {
    io::ResultReader ok(dir / "r.h5");
    EXPECT_FALSE(ok.attribute("experiment_name").empty());
  }
  // Change one character of a string in the global heap: a verdict word of a claim, the
  // experiment text, a label. Each changed file is refused with one line.
  int changed = 0;
  for (const std::string word : {"structure=flat", "supported", "[experiment]"}) {
    const auto at = bytes.rfind(word);
    if (at == std::string::npos) continue;
    std::string damaged = bytes;
    damaged[at] = static_cast<char>(damaged[at] == 's' ? 'S' : damaged[at] ^ 0x20);
    write_bytes(dir / "d.h5", damaged);
    ++changed;
    SCOPED_TRACE(word);
    try {
      io::ResultReader r(dir / "d.h5");
      ADD_FAILURE() << "a changed string was read";
    } catch (const DamagedFileError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("damaged file"), std::string::npos) << what;
      EXPECT_EQ(what.find('\n'), std::string::npos);
    }
    const auto report = test::run_tribe("report " + (dir / "d.h5").string());
    EXPECT_EQ(report.exit_code, 2) << report.output;
    EXPECT_EQ(report.output.find("verdict"), std::string::npos) << report.output;
  }
  EXPECT_GE(changed, 2);
}

}  // namespace

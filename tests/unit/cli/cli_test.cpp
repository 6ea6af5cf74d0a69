// The `tribe` program end to end: runs, reproducibility of whole files, and the
// promise for bad input: one clear line, a non-zero exit, no output file.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>

#include "../support/test_support.hpp"
#include "tribe/catalog/registry.hpp"
#include "tribe/core/text.hpp"

namespace {

using tribe::test::all_datasets;
using tribe::test::run_tribe;
using tribe::test::TempDir;
using tribe::test::write_file;

std::size_t lines(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

/// A command line that tribe must refuse, and what its one line of output must say.
struct Refusal {
  std::string args, expect;
};

/// Runs each refusal: it exits with `exit_code` (any non-zero code when none is given), says
/// why in one line naming its `expect`, and none of the files `absent` exists after it.
void expect_refused(const std::vector<Refusal>& cases, std::optional<int> exit_code,
                    const std::vector<std::string>& absent) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.args);
    const auto r = run_tribe(c.args);
    if (exit_code) {
      EXPECT_EQ(r.exit_code, *exit_code);
    } else {
      EXPECT_NE(r.exit_code, 0);
    }
    EXPECT_EQ(lines(r.output), 1u) << r.output;
    EXPECT_NE(r.output.find(c.expect), std::string::npos) << r.output;
    for (const auto& f : absent) EXPECT_FALSE(std::filesystem::exists(f)) << f;
  }
}

TEST(Cli, RunThenInspect) {
  TempDir dir;
  write_file(dir / "x.toml", tribe::test::small_experiment());
  const auto r =
      run_tribe("run " + (dir / "x.toml").string() + " -o " + (dir / "x.h5").string() + " --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto i = run_tribe("inspect " + (dir / "x.h5").string());
  ASSERT_EQ(i.exit_code, 0) << i.output;
  for (const char* s :
       {"git_sha1", "seed: 7", "cell 3: control=0.9 structure=hierarchy", "distributed", "rate"})
    EXPECT_NE(i.output.find(s), std::string::npos) << s << "\n" << i.output;
}

TEST(Cli, ModelsDescribeTheirParametersAndColumnsFromTheirOwnTables) {
  const auto all = run_tribe("models");
  ASSERT_EQ(all.exit_code, 0) << all.output;
  for (const auto& name : tribe::catalog::model_names()) {
    if (name == "test_functions")
      continue;  // registered by the sensitivity tests, not in the binary
    EXPECT_NE(all.output.find(name + " "), std::string::npos) << name;
    const tribe::model::Model& m = tribe::catalog::find_model(name);
    for (const char* format : {"text", "markdown"}) {
      const auto one = run_tribe("models " + name + " --format " + format);
      ASSERT_EQ(one.exit_code, 0) << one.output;
      for (const auto& p : m.parameters())
        EXPECT_NE(one.output.find(p.name), std::string::npos) << name << ": " << p.name;
      for (const auto& c : m.columns())
        EXPECT_NE(one.output.find(c.name), std::string::npos) << name << ": " << c.name;
    }
  }
  // Allowed values are written as an experiment file spells them.
  const auto lf = run_tribe("models lazer_friedman");
  EXPECT_NE(lf.output.find("network (choice: \"linear\", \"full\", \"random\", \"small_world\"; "
                           "default \"linear\")"),
            std::string::npos)
      << lf.output;
  EXPECT_NE(lf.output.find("join_components (boolean: true, false; default true)"),
            std::string::npos);
  EXPECT_NE(lf.output.find("bits (integer: 1 .. 24; default 20)"), std::string::npos);
  const auto md = run_tribe("models march --format markdown");
  EXPECT_NE(md.output.find("| parameter | type | allowed | default | meaning |"), std::string::npos)
      << md.output;
  const auto unknown = run_tribe("models nosuchmodel");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(lines(unknown.output), 1u) << unknown.output;
  EXPECT_NE(unknown.output.find("known: leadership, march, lazer_friedman"), std::string::npos)
      << unknown.output;
}

std::vector<double> read_doubles(const std::filesystem::path& file, const char* dataset) {
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t d = H5Dopen2(f, dataset, H5P_DEFAULT);
  const hid_t space = H5Dget_space(d);
  std::vector<double> v(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  EXPECT_GE(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), 0) << dataset;
  H5Sclose(space);
  H5Dclose(d);
  H5Fclose(f);
  return v;
}

// A precision target on a mean, end to end: every organization of every round reaches the
// file (a later round has more blocks than the first plan), and each cell stops at the
// first doubling whose interval is narrow enough.
TEST(Cli, PrecisionTargetOnAMeanKeepsEveryRoundWhole) {
  TempDir dir;
  write_file(dir / "m.toml", tribe::test::small_march_experiment(3));
  const auto out = dir / "m.h5";
  const auto r = run_tribe("run " + (dir / "m.toml").string() + " -q -o " + out.string() +
                           " --ci-width 0.02 --ci-columns knowledge_code_equilibrium");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto n = read_doubles(out, "cells/organizations");
  const auto cell = read_doubles(out, "organizations/cell");
  const auto lo = read_doubles(out, "cells/stats/knowledge_code_equilibrium/ci_low");
  const auto hi = read_doubles(out, "cells/stats/knowledge_code_equilibrium/ci_high");
  ASSERT_EQ(n.size(), 2u);
  for (std::size_t c = 0; c < 2; ++c) {
    const auto rows = std::count(cell.begin(), cell.end(), static_cast<double>(c));
    EXPECT_EQ(static_cast<double>(rows), n[c]) << "cell " << c;
    const auto k = static_cast<std::uint64_t>(n[c]) / 20;
    EXPECT_EQ(static_cast<std::uint64_t>(n[c]) % 20, 0u);
    EXPECT_TRUE(k > 1 && (k & (k - 1)) == 0) << n[c] << ": 20 times a power of two";
    EXPECT_LE((hi[c] - lo[c]) / 2, 0.02) << "cell " << c;
  }
  EXPECT_GT(n[1], 256.0) << "the p1 = 0.9 cell needs rounds of more than one block";
}

TEST(Cli, SameExperimentTwiceGivesIdenticalDatasets) {
  TempDir dir;
  write_file(dir / "x.toml", tribe::test::small_experiment());
  for (const char* out : {"a.h5", "b.h5"})
    ASSERT_EQ(
        run_tribe("run " + (dir / "x.toml").string() + " -q -o " + (dir / out).string()).exit_code,
        0);
  const auto a = all_datasets(dir / "a.h5");
  EXPECT_GT(a.size(), 20u);
  EXPECT_TRUE(a == all_datasets(dir / "b.h5"));

  ASSERT_EQ(
      run_tribe("run " + (dir / "x.toml").string() + " -q --seed 8 -o " + (dir / "c.h5").string())
          .exit_code,
      0);
  const auto c = all_datasets(dir / "c.h5");
  EXPECT_FALSE(a.at("organizations/solve_rate") == c.at("organizations/solve_rate"));
}

// The acceptance test of the parallel backends: serial, OpenMP and TBB with 1, 2 and 8
// (oversubscribed) threads write files whose every dataset is byte-identical.
TEST(Cli, BackendsAndThreadCountsWriteByteIdenticalDatasets) {
  TempDir dir;
  write_file(dir / "x.toml", tribe::test::small_experiment("", 500));
  ASSERT_EQ(run_tribe("run " + (dir / "x.toml").string() + " -q --backend serial -o " +
                      (dir / "ref.h5").string())
                .exit_code,
            0);
  const auto reference = all_datasets(dir / "ref.h5");
  for (const char* backend : {"serial", "openmp", "tbb"}) {
    for (const char* threads : {"1", "2", "8"}) {
      SCOPED_TRACE(std::string(backend) + " x " + threads);
      const auto out = dir / (std::string(backend) + threads + ".h5");
      const auto r = run_tribe("run " + (dir / "x.toml").string() + " -q --backend " + backend +
                               " --threads " + threads + " -o " + out.string());
      ASSERT_EQ(r.exit_code, 0) << r.output;
      EXPECT_TRUE(all_datasets(out) == reference);
    }
  }
}

TEST(Cli, BadInputGivesOneLineNonZeroExitAndNoFile) {
  TempDir dir;
  write_file(dir / "malformed.toml", "[experiment\nname = ");
  write_file(dir / "unknown.toml", tribe::test::small_experiment("colour = 3\n"));
  write_file(dir / "range.toml", tribe::test::small_experiment("control = 7\n"));
  write_file(dir / "good.toml", tribe::test::small_experiment());
  const std::string out = (dir / "out.h5").string();
  const std::vector<Refusal> cases = {
      {"run " + (dir / "malformed.toml").string() + " -o " + out, "malformed TOML"},
      {"run " + (dir / "unknown.toml").string() + " -o " + out, "unknown key parameters.colour"},
      {"run " + (dir / "range.toml").string() + " -o " + out, "parameters.control = 7"},
      {"run " + (dir / "missing.toml").string() + " -o " + out, "cannot open experiment file"},
      {"run " + (dir / "good.toml").string() + " -o " + (dir / "no" / "such" / "dir.h5").string(),
       "does not exist"},
      {"run " + (dir / "good.toml").string() + " -o /proc/forbidden.h5", "not writable"},
      {"inspect " + (dir / "good.toml").string(), "not an HDF5 file"},
      {"run " + (dir / "good.toml").string() + " -o " + out +
           " --ci-width 0.05 --ci-columns no_such_column",
       "--ci-columns: no_such_column is not a column of model leadership (columns: "},
      {"run " + (dir / "good.toml").string() + " -o " + out + " --ci-columns solve_rate",
       "--ci-columns needs --ci-width"},
  };
  expect_refused(cases, std::nullopt, {out, out + ".partial"});
}

TEST(Cli, RefusesToOverwriteUnlessAsked) {
  TempDir dir;
  write_file(dir / "x.toml", tribe::test::small_experiment());
  const std::string run = "run " + (dir / "x.toml").string() + " -q -o " + (dir / "x.h5").string();
  ASSERT_EQ(run_tribe(run).exit_code, 0);
  const auto again = run_tribe(run);
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.output.find("--overwrite"), std::string::npos);
  EXPECT_EQ(run_tribe(run + " --overwrite").exit_code, 0);
}

}  // namespace

namespace {

/// Runs a shell command line, returning exit code and output.
tribe::test::CommandResult shell(const std::string& cmd) {
  tribe::test::CommandResult r;
  FILE* pipe = ::popen((cmd + " 2>&1").c_str(), "r");
  char buf[4096];
  while (std::fgets(buf, sizeof buf, pipe)) r.output += buf;
  const int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// A full disk, simulated by a file-size limit (SIGXFSZ ignored, so writes fail with EFBIG).
TEST(CliFaults, DiskFullGivesOneClearErrorAndNoCompleteFile) {
  TempDir dir;
  write_file(dir / "x.toml", tribe::test::small_experiment("", 3000));
  const std::string out = (dir / "x.h5").string();
  const auto r = shell("bash -c \"ulimit -f 40; trap '' XFSZ; exec " + std::string(TRIBE_BINARY) +
                       " run " + (dir / "x.toml").string() + " -q -o " + out + "\"");
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_EQ(lines(r.output), 1u) << r.output;
  EXPECT_NE(r.output.find("tribe: error: "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("disk full"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_FALSE(std::filesystem::exists(out + ".partial"));
}

TEST(CliFaults, TruncatedForeignAndFutureFilesAreRefused) {
  TempDir dir;
  write_file(dir / "x.toml", tribe::test::small_experiment());
  const std::string good = (dir / "x.h5").string();
  ASSERT_EQ(run_tribe("run " + (dir / "x.toml").string() + " -q -o " + good).exit_code, 0);
  // Truncated: the first half of a real result file.
  const auto size = std::filesystem::file_size(good);
  std::filesystem::copy_file(good, dir / "cut.h5");
  std::filesystem::resize_file(dir / "cut.h5", size / 2);
  // A major format version this tribe does not know (it reads 1.x and 2.x).
  std::filesystem::copy_file(good, dir / "v2.h5");
  {
    const hid_t f = H5Fopen((dir / "v2.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    const hid_t a = H5Aopen(f, "format_version", H5P_DEFAULT);
    const unsigned v[2] = {3, 0};
    H5Awrite(a, H5T_NATIVE_UINT, v);
    H5Aclose(a);
    H5Fclose(f);
  }
  for (const char* cmd : {"inspect", "report"}) {
    SCOPED_TRACE(cmd);
    const auto cut = run_tribe(std::string(cmd) + " " + (dir / "cut.h5").string());
    EXPECT_NE(cut.exit_code, 0);
    EXPECT_EQ(lines(cut.output), 1u) << cut.output;
    EXPECT_NE(cut.output.find("cut.h5"), std::string::npos) << cut.output;
    const auto v2 = run_tribe(std::string(cmd) + " " + (dir / "v2.h5").string());
    EXPECT_NE(v2.exit_code, 0);
    EXPECT_NE(v2.output.find("format version 3.x is not supported"), std::string::npos)
        << v2.output;
  }
  const auto merge =
      run_tribe("merge " + (dir / "cut.h5").string() + " -o " + (dir / "m.h5").string());
  EXPECT_NE(merge.exit_code, 0);
  EXPECT_EQ(lines(merge.output), 1u) << merge.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "m.h5"));
}

// A claim that the model does not bear out comes out "not supported", end to end.
TEST(CliClaims, AClaimTheResultsContradictIsNotSupported) {
  TempDir dir;
  write_file(dir / "x.toml", tribe::test::small_experiment(
                                 "aligned = 0.2\nproactive = 0.2\ncollaborative = 0.2\n", 200) +
                                 "[[claims]]\nid = \"low-quality-hierarchy-distributes\"\n"
                                 "statement = \"a hierarchy of people low on all three qualities "
                                 "distributes leadership\"\n"
                                 "test = \"above\"\ncolumn = \"distributed\"\na = { structure = "
                                 "\"hierarchy\" }\nvalue = 0.5\n");
  const std::string out = (dir / "x.h5").string();
  ASSERT_EQ(run_tribe("run " + (dir / "x.toml").string() + " -q -o " + out).exit_code, 0);
  const auto r = run_tribe("report " + out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("verdict:    not supported"), std::string::npos) << r.output;
  const auto md = run_tribe("report " + out + " --format markdown -o " + (dir / "r.md").string());
  ASSERT_EQ(md.exit_code, 0) << md.output;
  EXPECT_TRUE(std::filesystem::file_size(dir / "r.md") > 100);
}

}  // namespace

namespace {

TEST(Cli, AnExperimentWithoutFactorsIsOneCell) {
  TempDir dir;
  write_file(dir / "x.toml",
             "[experiment]\nname = \"one\"\nmodel = \"leadership\"\nseed = "
             "1\norganizations_per_cell = 30\n"
             "[parameters]\nagents = 20\n");
  const auto r =
      run_tribe("run " + (dir / "x.toml").string() + " -q -o " + (dir / "x.h5").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto i = run_tribe("inspect " + (dir / "x.h5").string());
  ASSERT_EQ(i.exit_code, 0) << i.output;
  EXPECT_NE(i.output.find("design: 1 cells"), std::string::npos) << i.output;
  EXPECT_NE(i.output.find("(single cell)"), std::string::npos) << i.output;
}

}  // namespace

namespace {

// Input the issue found accepted, misreported or blocking: each refused at once with one
// line and exit 2, before anything is read or written.
TEST(CliFaults, InputLimitsAndCommandLineMistakesGiveOneLineAndExitTwo) {
  TempDir dir;
  write_file(dir / "x.toml", tribe::test::small_experiment());
  {
    std::string text = tribe::test::small_experiment();
    text.replace(text.find("\"small\""), 7, "\"a\\u0000b\"");
    write_file(dir / "nul.toml", text);
  }
  // Allowed values whose lateral ties (agents^2 / 2 pairs in a flat organization) cannot fit.
  write_file(dir / "huge.toml",
             "[experiment]\nname = \"huge\"\nmodel = \"leadership\"\nseed = "
             "1\norganizations_per_cell = 10\n"
             "[parameters]\nagents = 100000\nstructure = \"flat\"\n");
  const std::string x = (dir / "x.toml").string(), out = (dir / "out.h5").string();
  const std::vector<Refusal> cases = {
      {"run " + (dir / "huge.toml").string() + " -o " + out, "fits here"},
      {"run /dev/zero -o " + out, "not a regular file"},
      {"run " + dir.path().string() + " -o " + out, "is a directory"},
      {"run " + (dir / "nul.toml").string() + " -o " + out, "NUL"},
      {"run " + x + " -o " + out + " --ci-width nan", "--ci-width nan is not allowed"},
      {"run " + x + " -o " + out + " --max-orgs-per-cell 50",
       "--max-orgs-per-cell needs --ci-width"},
      {"run " + x + " -o " + out + " --seed -1", "--seed -1 is not allowed"},
      {"run " + x + " -o ''", "-o/--output \"\" is not allowed"},
      {"run " + x + " -o " + out + " --threads many", "--threads"},
      {"run " + x + " -o " + x + " --overwrite", "is the experiment file itself"},
      {"nosuchcommand", "tribe: error: "},
  };
  expect_refused(cases, 2, {out});
}

// `report -o` never replaces its input, nor another file without --overwrite.
TEST(CliFaults, ReportOutputNeverReplacesItsInput) {
  TempDir dir;
  write_file(dir / "x.toml", tribe::test::small_experiment());
  const std::string h5 = (dir / "x.h5").string(), txt = (dir / "r.txt").string();
  ASSERT_EQ(run_tribe("run " + (dir / "x.toml").string() + " -q -o " + h5).exit_code, 0);
  const auto before = all_datasets(h5);
  for (const char* extra : {"", " --overwrite"}) {
    const auto r = run_tribe("report " + h5 + " -o " + h5 + extra);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("is a result file being reported on"), std::string::npos) << r.output;
  }
  EXPECT_TRUE(all_datasets(h5) == before);
  ASSERT_EQ(run_tribe("report " + h5 + " -o " + txt).exit_code, 0);
  const auto again = run_tribe("report " + h5 + " -o " + txt);
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.output.find("--overwrite"), std::string::npos) << again.output;
  EXPECT_EQ(run_tribe("report " + h5 + " -o " + txt + " --overwrite").exit_code, 0);
}

/// Replaces a dataset of a result file by its first `keep` values.
void shorten(const std::filesystem::path& file, const std::string& name, std::size_t keep) {
  const auto values = read_doubles(file, name.c_str());
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  H5Ldelete(f, name.c_str(), H5P_DEFAULT);
  const hsize_t n = std::min(keep, values.size());
  const hid_t space = H5Screate_simple(1, &n, nullptr);
  const hid_t d =
      H5Dcreate2(f, name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (n > 0) H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
  H5Dclose(d);
  H5Sclose(space);
  H5Fclose(f);
}

// A dataset shorter than its header says: refused by inspect with one line naming it,
// never read past its end.
TEST(CliFaults, ADatasetShorterThanTheHeaderSaysIsRefusedNamingIt) {
  TempDir dir;
  write_file(dir / "x.toml", tribe::test::small_experiment());
  const auto h5 = dir / "x.h5";
  ASSERT_EQ(run_tribe("run " + (dir / "x.toml").string() + " -q -o " + h5.string()).exit_code, 0);
  for (const std::size_t keep : {0u, 1u}) {
    const auto damaged = dir / ("short" + std::to_string(keep) + ".h5");
    std::filesystem::copy_file(h5, damaged);
    shorten(damaged, "cells/stats/distributed/rate", keep);
    const auto r = run_tribe("inspect " + damaged.string());
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_EQ(lines(r.output), 1u) << r.output;
    EXPECT_NE(r.output.find("damaged file: dataset /cells/stats/distributed/rate has " +
                            std::to_string(keep) + " values, expected 4"),
              std::string::npos)
        << r.output;
  }
}

}  // namespace

namespace {

// Issue 27, item 9: a symbolic link at the lock, the partial file or the parts directory
// of an output got its target overwritten (a file outside the run destroyed) or filled.
// Now each is refused with one line (exit 3) and the link's target is left as it was.
TEST(CliFaults, SideFilesThatAreSymbolicLinksAreRefusedAndTheirTargetsKept) {
  for (const std::string side : {".lock", ".partial", ".parts"}) {
    SCOPED_TRACE(side);
    TempDir dir;
    write_file(dir / "x.toml", tribe::test::small_experiment("", 5));
    const auto target = dir / "precious.txt";
    write_file(target, "keep me\n");
    const auto out = dir / "out.h5";
    std::filesystem::path link = out;
    link += side;
    if (side == ".parts") {
      std::filesystem::create_directory(dir / "elsewhere");
      std::filesystem::create_directory_symlink(dir / "elsewhere", link);
    } else {
      std::filesystem::create_symlink(target, link);
    }
    const auto r = run_tribe("run " + (dir / "x.toml").string() + " -o " + out.string());
    EXPECT_EQ(r.exit_code, 3) << r.output;
    EXPECT_NE(r.output.find("is a symbolic link"), std::string::npos) << r.output;
    EXPECT_FALSE(std::filesystem::exists(out));
    std::ifstream in(target);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text, "keep me\n");
    EXPECT_TRUE(!std::filesystem::exists(dir / "elsewhere") ||
                std::filesystem::is_empty(dir / "elsewhere"));
  }
}

}  // namespace

namespace {

// Issue 27, item 14: a newline in an echoed value split "tribe: error:" over two lines, and
// escape sequences in names reached the terminal raw. Every message is one line now, its
// control characters written as escapes.
TEST(CliFaults, EchoedValuesCannotSplitTheErrorOrReachTheTerminalRaw) {
  TempDir dir;
  write_file(dir / "x.toml",
             "[experiment]\nname = \"x\"\nmodel = \"no\\nsuch\\u001b[31mmodel\\u009b\"\n"
             "seed = 1\norganizations_per_cell = 1\n");
  const auto r = run_tribe("run " + (dir / "x.toml").string() + " -o " + (dir / "o.h5").string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
  EXPECT_EQ(r.output.find('\x1b'), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("\xc2\x9b"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("no\\nsuch\\x1b[31mmodel\\u009b"), std::string::npos) << r.output;
  EXPECT_EQ(tribe::one_line("a\tb\x7f"), "a\\tb\\x7f");
  EXPECT_EQ(tribe::one_line("caf\xc3\xa9"), "caf\xc3\xa9");  // UTF-8 text stays as it is
}

}  // namespace

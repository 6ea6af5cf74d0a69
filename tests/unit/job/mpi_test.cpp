// Multi-rank runs: `mpirun -n R tribe run` gives the datasets of a single-process run,
// whatever R (2, and 3 oversubscribed on this machine).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "../support/test_support.hpp"
#include "tribe/io/part_file.hpp"
#include "tribe/io/part_reader.hpp"

namespace {

using tribe::test::all_datasets;
using tribe::test::run_tribe;
using tribe::test::TempDir;
using tribe::test::write_file;

#ifdef TRIBE_MPIEXEC
TEST(JobMpi, RanksGiveTheDatasetsOfASingleRun) {
  TempDir dir;
  write_file(
      dir / "k.toml",
      "[experiment]\nname = \"m\"\nmodel = \"leadership\"\nseed = 21\norganizations_per_cell = "
      "700\n"
      "[parameters]\nagents = 30\nsteps = 60\n[factors]\nstructure = [\"flat\", \"hierarchy\"]\n"
      "control = [0.1, 0.9]\n[[claims]]\nid = \"c\"\nstatement = \"s\"\ntest = \"below\"\n"
      "column = \"distributed\"\na = { structure = \"flat\" }\nvalue = 0.5\n");
  ASSERT_EQ(run_tribe("run " + (dir / "k.toml").string() + " -q -o " + (dir / "one.h5").string())
                .exit_code,
            0);
  const auto reference = all_datasets(dir / "one.h5");
  ASSERT_TRUE(reference.count("claims/estimate"));
  for (int ranks : {2, 3}) {
    SCOPED_TRACE(ranks);
    const auto out = dir / ("ranks" + std::to_string(ranks) + ".h5");
    const std::string cmd = std::string(TRIBE_MPIEXEC) +
                            " --allow-run-as-root --oversubscribe -n " + std::to_string(ranks) +
                            " " + TRIBE_BINARY + " run " + (dir / "k.toml").string() +
                            " -q --threads 1 --rows-per-part 200 -o " + out.string() + " 2>&1";
    const int status = std::system(cmd.c_str());
    ASSERT_EQ(status, 0) << cmd;
    EXPECT_TRUE(all_datasets(out) == reference);
    EXPECT_FALSE(std::filesystem::exists(out.string() + ".parts"));
  }
}

// Parts left by another rank count (or by shards) are resumed by any number of ranks; a
// rank that fails (here rank 0, on parts of another run) makes every rank stop with a
// line instead of leaving the others waiting.
TEST(JobMpi, ResumeWithAnotherRankCountAndAFailedRankStopsEveryRank) {
  TempDir dir;
  write_file(
      dir / "k.toml",
      "[experiment]\nname = \"m\"\nmodel = \"leadership\"\nseed = 21\norganizations_per_cell = "
      "700\n"
      "[parameters]\nagents = 30\nsteps = 60\n[factors]\nstructure = [\"flat\", \"hierarchy\"]\n");
  const std::string k = (dir / "k.toml").string();
  ASSERT_EQ(run_tribe("run " + k + " -q -o " + (dir / "one.h5").string()).exit_code, 0);
  const auto reference = all_datasets(dir / "one.h5");
  auto as_part = [&](const std::string& shard_args, const std::filesystem::path& parts) {
    const auto shard = dir / "shard.h5";
    std::filesystem::remove(shard);
    ASSERT_EQ(run_tribe("run " + k + " -q " + shard_args + " -o " + shard.string()).exit_code, 0);
    tribe::test::shard_as_part(shard, parts);
  };
  const std::string mpirun =
      "timeout 300 " + std::string(TRIBE_MPIEXEC) + " --allow-run-as-root --oversubscribe -n ";
  {
    const auto out = dir / "resumed.h5";
    as_part("--shard 0/4", out.string() + ".parts");
    as_part("--shard 3/4", out.string() + ".parts");
    const std::string cmd =
        mpirun + "3 " + TRIBE_BINARY + " run " + k + " -q --threads 1 -o " + out.string();
    ASSERT_EQ(std::system((cmd + " 2>&1").c_str()), 0) << cmd;
    EXPECT_TRUE(all_datasets(out) == reference);
  }
  {
    const auto out = dir / "foreign.h5";
    as_part("--seed 99 --shard 0/2", out.string() + ".parts");
    const std::string cmd =
        mpirun + "2 " + TRIBE_BINARY + " run " + k + " -q --threads 1 -o " + out.string();
    const int status = std::system((cmd + " > " + (dir / "log").string() + " 2>&1").c_str());
    EXPECT_NE(status, 0);
    EXPECT_NE(WEXITSTATUS(status), 124) << "a rank was left waiting";
    std::ifstream log(dir / "log");
    const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("holds parts of another run"), std::string::npos) << text;
    EXPECT_NE(text.find("stopped because another rank failed"), std::string::npos) << text;
    EXPECT_FALSE(std::filesystem::exists(out));
  }
  {
    // A fault of the environment on rank 0 (here: no output directory; in the field, a full
    // disk while it assembles) stops every rank as one: exit status 3, not 2.
    const auto out = dir / "missing" / "out.h5";
    const std::string cmd =
        mpirun + "2 " + TRIBE_BINARY + " run " + k + " -q --threads 1 -o " + out.string();
    const int status = std::system((cmd + " > " + (dir / "log").string() + " 2>&1").c_str());
    EXPECT_EQ(WEXITSTATUS(status), 3);
    std::ifstream log(dir / "log");
    const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("does not exist"), std::string::npos) << text;
    EXPECT_NE(text.find("stopped because another rank failed"), std::string::npos) << text;
  }
}
#else
TEST(JobMpi, RanksGiveTheDatasetsOfASingleRun) {
  GTEST_SKIP() << "built without MPI (TRIBE_USE_MPI=OFF)";
}
#endif

}  // namespace

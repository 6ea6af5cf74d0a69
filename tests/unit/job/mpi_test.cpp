// Multi-rank runs: `mpirun -n R tribe run` gives the datasets of a single-process run,
// whatever R (2, and 3 oversubscribed on this machine).
#include <gtest/gtest.h>

#include "../support/test_support.hpp"

namespace {

using tribe::test::all_datasets;
using tribe::test::run_tribe;
using tribe::test::TempDir;
using tribe::test::write_file;

#ifdef TRIBE_MPIEXEC
TEST(JobMpi, RanksGiveTheDatasetsOfASingleRun) {
  TempDir dir;
  write_file(dir / "k.toml",
             "[experiment]\nname = \"m\"\nmodel = \"leadership\"\nseed = 21\norganizations_per_cell = 700\n"
             "[parameters]\nagents = 30\nsteps = 60\n[factors]\nstructure = [\"flat\", \"hierarchy\"]\n"
             "control = [0.1, 0.9]\n[[claims]]\nid = \"c\"\nstatement = \"s\"\ntest = \"below\"\n"
             "column = \"distributed\"\na = { structure = \"flat\" }\nvalue = 0.5\n");
  ASSERT_EQ(run_tribe("run " + (dir / "k.toml").string() + " -q -o " + (dir / "one.h5").string()).exit_code, 0);
  const auto reference = all_datasets(dir / "one.h5");
  ASSERT_TRUE(reference.count("claims/estimate"));
  for (int ranks : {2, 3}) {
    SCOPED_TRACE(ranks);
    const auto out = dir / ("ranks" + std::to_string(ranks) + ".h5");
    const std::string cmd = std::string(TRIBE_MPIEXEC) + " --allow-run-as-root --oversubscribe -n " +
                            std::to_string(ranks) + " " + TRIBE_BINARY + " run " + (dir / "k.toml").string() +
                            " -q --threads 1 --rows-per-part 200 -o " + out.string() + " 2>&1";
    const int status = std::system(cmd.c_str());
    ASSERT_EQ(status, 0) << cmd;
    EXPECT_TRUE(all_datasets(out) == reference);
    EXPECT_FALSE(std::filesystem::exists(out.string() + ".parts"));
  }
}
#else
TEST(JobMpi, RanksGiveTheDatasetsOfASingleRun) { GTEST_SKIP() << "built without MPI (TRIBE_USE_MPI=OFF)"; }
#endif

}  // namespace

// Crash safety, resume, shards and merge, end to end through the `tribe` program:
// whatever happens to a run, the final file's datasets are byte-identical to an
// uninterrupted single run, and nothing incomplete looks complete.
#include "tribe/job/job.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <thread>

#include "../support/test_support.hpp"
#include "tribe/core/error.hpp"
#include "tribe/design/experiment.hpp"
#include "tribe/design/plan.hpp"
#include "tribe/io/part_file.hpp"
#include "tribe/io/part_reader.hpp"
#include "tribe/io/validate.hpp"

extern char** environ;

namespace {

using tribe::test::all_datasets;
using tribe::test::run_tribe;
using tribe::test::shard_as_part;
using tribe::test::TempDir;
using tribe::test::write_file;

/// A 4-cell leadership experiment. 2,000 organizations a cell (8,000 in all: 40 parts of
/// 200 rows) is enough for every test that holds its run mid-way; the kill -9 test, whose
/// runs must be slow enough to be killed at random moments, uses 6,000.
std::string experiment(int orgs_per_cell = 2000) {
  return "[experiment]\nname = \"k\"\nmodel = \"leadership\"\nseed = 11\norganizations_per_cell "
         "= " +
         std::to_string(orgs_per_cell) +
         "\n"
         "[parameters]\nagents = 40\nsteps = 100\n"
         "[factors]\nstructure = [\"flat\", \"hierarchy\"]\ncontrol = [0.1, 0.9]\n";
}

/// Starts `tribe ARGS...` in the background; returns its pid. With `hold_until`, the run
/// holds once its first part is on disk until that file exists (the job's test hook
/// TRIBE_TEST_HOLD_AFTER_FIRST_PART), so that it is certainly mid-run when signalled.
pid_t spawn_tribe(const std::vector<std::string>& args, const std::string& hold_until = "") {
  std::vector<std::string> all = {TRIBE_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  std::vector<std::string> env_text;
  for (char** e = environ; *e; ++e) env_text.emplace_back(*e);
  if (!hold_until.empty()) env_text.push_back("TRIBE_TEST_HOLD_AFTER_FIRST_PART=" + hold_until);
  std::vector<char*> env;
  for (auto& e : env_text) env.push_back(e.data());
  env.push_back(nullptr);
  pid_t pid = -1;
  EXPECT_EQ(posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), env.data()), 0);
  posix_spawn_file_actions_destroy(&fa);
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

/// Waits until the parts directory of `out` holds at least `n` complete parts (or 10 s).
std::size_t wait_for_parts(const std::string& out, std::size_t n) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::size_t found = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    found = 0;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(out + ".parts", ec))
      found += e.path().extension() == ".h5";
    if (found >= n || std::filesystem::exists(out)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return found;
}

class JobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(dir / "k.toml", experiment(orgs_per_cell()));
    const auto r =
        run_tribe("run " + (dir / "k.toml").string() + " -q -o " + (dir / "ref.h5").string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    reference = all_datasets(dir / "ref.h5");
  }
  /// Starts `tribe run k.toml -o OUT` (one thread, parts of 1,000 rows) and returns once it
  /// holds after its first part, until `release` exists: certainly in the middle of its work.
  virtual int orgs_per_cell() const { return 2000; }
  std::uint64_t total() const { return 4u * static_cast<std::uint64_t>(orgs_per_cell()); }
  pid_t start_held_run(const std::string& out, const std::filesystem::path& release) {
    const pid_t pid = spawn_tribe({"run", (dir / "k.toml").string(), "-q", "-o", out, "--threads",
                                   "1", "--rows-per-part", "1000"},
                                  release.string());
    EXPECT_GE(wait_for_parts(out, 1), 1u);
    EXPECT_FALSE(std::filesystem::exists(out));
    return pid;
  }
  TempDir dir;
  std::map<std::string, std::vector<unsigned char>> reference;
};

class KillNineJobTest : public JobTest {
 protected:
  int orgs_per_cell() const override { return 6000; }
};

// The acceptance test of crash safety: kill -9 at several random moments, rerun the same
// command each time, and the final datasets equal those of an uninterrupted run.
TEST_F(KillNineJobTest, KillNineAtRandomPointsThenResumeGivesIdenticalDatasets) {
  // Kill points: after the k-th new part of an attempt appears, plus a random delay
  // (the timing is the test's own randomness; it never enters the results).
  std::mt19937 gen(20261126);
  std::uniform_int_distribution<int> delay_us(0, 30000);
  const std::string out = (dir / "out.h5").string();
  const std::vector<std::string> args = {
      "run", (dir / "k.toml").string(), "-q", "-o", out, "--threads",
      "2",   "--rows-per-part",         "300"};
  int interrupted = 0;
  for (std::size_t attempt = 1; attempt <= 5 && !std::filesystem::exists(out); ++attempt) {
    const std::size_t before = wait_for_parts(out, 0);
    const pid_t pid = spawn_tribe(args);
    wait_for_parts(out, before + 1 + gen() % 3);
    std::this_thread::sleep_for(std::chrono::microseconds(delay_us(gen)));
    kill(pid, SIGKILL);
    interrupted += wait_exit(pid) == 128 + SIGKILL;
    // Never a file that looks complete unless it is.
    if (std::filesystem::exists(out)) EXPECT_TRUE(all_datasets(out) == reference);
  }
  EXPECT_GE(interrupted, 3) << "the runs were too fast to be interrupted";
  if (!std::filesystem::exists(out)) {
    const auto r =
        run_tribe("run " + (dir / "k.toml").string() + " -o " + out + " --rows-per-part 300");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("resuming"), std::string::npos) << r.output;
  }
  ASSERT_TRUE(std::filesystem::exists(out));
  EXPECT_TRUE(all_datasets(out) == reference);
  EXPECT_FALSE(std::filesystem::exists(out + ".parts"));
}

TEST_F(JobTest, SigintStopsGracefullyAndTheRunResumes) {
  const std::string out = (dir / "out.h5").string();
  const pid_t pid = start_held_run(out, dir / "never");
  kill(pid, SIGINT);
  EXPECT_EQ(wait_exit(pid), 130);
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_TRUE(std::filesystem::exists(out + ".parts"));
  const auto again = run_tribe("run " + (dir / "k.toml").string() + " -o " + out + " --resume");
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("resuming"), std::string::npos) << again.output;
  EXPECT_TRUE(all_datasets(out) == reference);
}

// Issue 27, item 7: an interrupted --ci-width run said "rerun the same command" and the
// rerun refused. Now the rerun computes its rounds again (they are deterministic) and
// writes what an uninterrupted run writes.
TEST_F(JobTest, AnInterruptedPrecisionRunResumesToTheSameResult) {
  const std::string k = (dir / "k.toml").string();
  const std::string ci = " --ci-width 0.01 --ci-columns solve_rate --max-orgs-per-cell 24000";
  const auto whole = run_tribe("run " + k + " -q -o " + (dir / "whole.h5").string() + ci);
  ASSERT_EQ(whole.exit_code, 0) << whole.output;
  const std::string out = (dir / "out.h5").string();
  const pid_t pid = spawn_tribe(
      {"run", k, "-q", "-o", out, "--threads", "1", "--rows-per-part", "1000", "--ci-width", "0.01",
       "--ci-columns", "solve_rate", "--max-orgs-per-cell", "24000"},
      (dir / "never").string());
  ASSERT_GE(wait_for_parts(out, 1), 1u);
  kill(pid, SIGINT);
  EXPECT_EQ(wait_exit(pid), 130);
  ASSERT_TRUE(std::filesystem::exists(out + ".parts"));
  const auto again = run_tribe("run " + k + " -o " + out + ci);
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("computing its rounds again"), std::string::npos) << again.output;
  EXPECT_TRUE(all_datasets(out) == all_datasets(dir / "whole.h5"));
}

// Issue 27, item 15: a parts directory deleted mid-run was reported as damaged input
// (exit 2, "corrupt?"); it is a fault of the environment (exit 3), with one line.
TEST_F(JobTest, APartsDirectoryDeletedMidRunIsAnEnvironmentFault) {
  // Deleted while parts are still to be written (1,000 rows a part), and after the last part
  // (one part of all rows: the run holds once it is written, before assembly).
  for (const std::string& rows : {std::string("1000"), std::to_string(total())}) {
    SCOPED_TRACE(rows);
    const std::string out = (dir / ("out" + rows + ".h5")).string();
    const auto release = dir / ("go" + rows);
    const pid_t pid = spawn_tribe({"run", (dir / "k.toml").string(), "-q", "-o", out, "--threads",
                                   "1", "--rows-per-part", rows},
                                  release.string());
    ASSERT_GE(wait_for_parts(out, 1), 1u);
    std::filesystem::remove_all(out + ".parts");
    write_file(release, "");
    EXPECT_EQ(wait_exit(pid), 3);
    EXPECT_FALSE(std::filesystem::exists(out));
  }
}

TEST_F(JobTest, ShardsMergedInAnyOrderEqualASingleRun) {
  std::vector<std::string> shards;
  for (int i = 0; i < 3; ++i) {
    shards.push_back((dir / ("part_" + std::to_string(i) + ".h5")).string());
    const auto r = run_tribe("run " + (dir / "k.toml").string() + " -q --shard " +
                             std::to_string(i) + "/3 -o " + shards.back());
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  const auto m1 = run_tribe("merge " + shards[2] + " " + shards[0] + " " + shards[1] + " -o " +
                            (dir / "m1.h5").string());
  ASSERT_EQ(m1.exit_code, 0) << m1.output;
  EXPECT_TRUE(all_datasets(dir / "m1.h5") == reference);
  const auto m2 = run_tribe("merge " + shards[0] + " " + shards[1] + " " + shards[2] + " -o " +
                            (dir / "m2.h5").string());
  ASSERT_EQ(m2.exit_code, 0) << m2.output;
  EXPECT_TRUE(all_datasets(dir / "m2.h5") == reference);
  // A result file whose inspection works like any other.
  EXPECT_EQ(run_tribe("inspect " + (dir / "m1.h5").string()).exit_code, 0);
}

// A shard's file is streamed from its parts: however many organizations the shard holds,
// no more than a part's worth of rows (plus one block) is held in memory, while it runs
// or while its file is written, and the merged shards still equal a single run.
TEST_F(JobTest, ShardFilesAreWrittenWithBoundedMemory) {
  const auto x =
      tribe::design::parse_experiment(experiment(orgs_per_cell()), (dir / "k.toml").string());
  std::string shards;
  for (std::uint64_t i = 0; i < 2; ++i) {
    tribe::job::JobOptions o;
    o.output = dir / ("part_" + std::to_string(i) + ".h5");
    o.shard = tribe::job::Shard{i, 2};
    o.rows_per_part = 1000;
    const auto r = tribe::job::run_job(x, o);
    ASSERT_TRUE(r.complete);
    EXPECT_EQ(r.total, total() / 2);
    EXPECT_GT(r.peak_buffered_rows, 0u);
    EXPECT_LT(r.peak_buffered_rows, o.rows_per_part + tribe::design::RunPlan::kDefaultBlockSize);
    EXPECT_FALSE(std::filesystem::exists(tribe::job::parts_directory(o.output)));
    shards += o.output.string() + " ";
  }
  const auto m = run_tribe("merge " + shards + "-o " + (dir / "m.h5").string());
  ASSERT_EQ(m.exit_code, 0) << m.output;
  EXPECT_TRUE(all_datasets(dir / "m.h5") == reference);
}

TEST_F(JobTest, MergeRefusesMissingDuplicatedAndForeignShards) {
  std::vector<std::string> shards;
  for (int i = 0; i < 3; ++i) {
    shards.push_back((dir / ("part_" + std::to_string(i) + ".h5")).string());
    ASSERT_EQ(run_tribe("run " + (dir / "k.toml").string() + " -q --shard " + std::to_string(i) +
                        "/3 -o " + shards.back())
                  .exit_code,
              0);
  }
  const std::string out = (dir / "m.h5").string();
  const auto missing = run_tribe("merge " + shards[0] + " " + shards[2] + " -o " + out);
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.output.find("missing part"), std::string::npos) << missing.output;
  const auto dup = run_tribe("merge " + shards[0] + " " + shards[1] + " " + shards[1] + " " +
                             shards[2] + " -o " + out);
  EXPECT_NE(dup.exit_code, 0);
  EXPECT_NE(dup.output.find("twice"), std::string::npos) << dup.output;
  const auto foreign_path = (dir / "foreign.h5").string();
  ASSERT_EQ(
      run_tribe("run " + (dir / "k.toml").string() + " -q --seed 12 --shard 1/3 -o " + foreign_path)
          .exit_code,
      0);
  const auto foreign =
      run_tribe("merge " + shards[0] + " " + foreign_path + " " + shards[2] + " -o " + out);
  EXPECT_NE(foreign.exit_code, 0);
  EXPECT_NE(foreign.output.find("does not belong"), std::string::npos) << foreign.output;
  const auto overlap_path = (dir / "half.h5").string();
  ASSERT_EQ(run_tribe("run " + (dir / "k.toml").string() + " -q --shard 0/2 -o " + overlap_path)
                .exit_code,
            0);
  const auto overlap =
      run_tribe("merge " + overlap_path + " " + shards[1] + " " + shards[2] + " -o " + out);
  EXPECT_NE(overlap.exit_code, 0);
  EXPECT_NE(overlap.output.find("overlapping"), std::string::npos) << overlap.output;
  const auto not_shard = run_tribe("merge " + (dir / "ref.h5").string() + " -o " + out);
  EXPECT_NE(not_shard.exit_code, 0);
  EXPECT_NE(not_shard.output.find("not a tribe part or shard file"), std::string::npos)
      << not_shard.output;
  EXPECT_FALSE(std::filesystem::exists(out));
  for (const auto* r : {&missing, &dup, &foreign, &overlap, &not_shard})
    EXPECT_EQ(std::count(r->output.begin(), r->output.end(), '\n'), 1) << r->output;
}

TEST_F(JobTest, PartsOfAnotherRunAreNotMixedIn) {
  const std::string out = (dir / "out.h5").string();
  const pid_t pid = start_held_run(out, dir / "never");
  kill(pid, SIGKILL);
  wait_exit(pid);
  ASSERT_FALSE(std::filesystem::exists(out));
  const auto other = run_tribe("run " + (dir / "k.toml").string() + " -q --seed 99 -o " + out);
  EXPECT_NE(other.exit_code, 0);
  EXPECT_NE(other.output.find("holds parts of another run"), std::string::npos) << other.output;
  EXPECT_EQ(run_tribe("run " + (dir / "k.toml").string() + " -q --seed 99 --overwrite -o " + out)
                .exit_code,
            0);
}

// Parts that do not tile the plan (one missing, one overlapping another, one truncated)
// are repaired by the resume: the bad ones discarded with a line each, exactly the
// missing blocks computed, and the result is that of an uninterrupted run.
TEST_F(JobTest, ResumeRepairsPartsThatDoNotTileThePlan) {
  const std::string k = (dir / "k.toml").string();
  std::vector<std::filesystem::path> quarters, thirds;
  for (int i = 0; i < 4; ++i) {
    quarters.push_back(dir / ("q" + std::to_string(i) + ".h5"));
    ASSERT_EQ(run_tribe("run " + k + " -q --shard " + std::to_string(i) + "/4 -o " +
                        quarters.back().string())
                  .exit_code,
              0);
  }
  thirds.push_back(dir / "t1.h5");
  ASSERT_EQ(run_tribe("run " + k + " -q --shard 1/3 -o " + thirds.back().string()).exit_code, 0);
  const std::string out = (dir / "out.h5").string();
  const auto parts = dir / "out.h5.parts";
  shard_as_part(quarters[0], parts);  // quarter 1 is missing
  shard_as_part(thirds[0], parts);    // overlaps quarters 1 and 2
  shard_as_part(quarters[2], parts);
  const auto truncated = shard_as_part(quarters[3], parts);
  std::filesystem::resize_file(truncated, std::filesystem::file_size(truncated) / 2);

  const auto r = run_tribe("run " + k + " -o " + out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("discarded " + truncated.string()), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("overlap"), std::string::npos) << r.output;
  EXPECT_TRUE(all_datasets(out) == reference);
  EXPECT_FALSE(std::filesystem::exists(parts));
  EXPECT_FALSE(std::filesystem::exists(out + ".lock"));
}

// Two runs on one output: the second refuses at once with one line naming the first.
TEST_F(JobTest, ASecondRunOnTheSameOutputRefusesAtOnce) {
  const std::string out = (dir / "out.h5").string();
  const auto release = dir / "release";
  const pid_t first = start_held_run(out, release);
  const auto second = run_tribe("run " + (dir / "k.toml").string() + " -q -o " + out);
  EXPECT_EQ(second.exit_code, 2);
  EXPECT_EQ(std::count(second.output.begin(), second.output.end(), '\n'), 1) << second.output;
  EXPECT_NE(second.output.find("is being written by another tribe run (host "), std::string::npos)
      << second.output;
  write_file(release, "");
  EXPECT_EQ(wait_exit(first), 0);
  EXPECT_TRUE(all_datasets(out) == reference);
  EXPECT_FALSE(std::filesystem::exists(out + ".lock"));
}

TEST(JobLock, HeldOnceReleasedOnExitAndStaleLocksAreTakenOver) {
  TempDir dir;
  const auto out = dir / "x.h5";
  {
    tribe::job::OutputLock lock(out);
    EXPECT_TRUE(std::filesystem::exists(dir / "x.h5.lock"));
    EXPECT_THROW(tribe::job::OutputLock again(out), tribe::InputError);
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "x.h5.lock"));
  // A lock file nobody holds (its process crashed): taken over.
  write_file(dir / "x.h5.lock", "host elsewhere, PID 1\n");
  tribe::job::OutputLock taken(out);
  EXPECT_TRUE(std::filesystem::exists(dir / "x.h5.lock"));
}

// A run killed while a child process checks one of its files (io::contained_check forks
// one per part) leaves no lock behind: the child closes its copy of the lock first, so the
// rerun is not refused as "being written by another tribe run" (found by the fault suite).
TEST(JobLock, AChildCheckingAFileDoesNotKeepTheLockOfAKilledRun) {
  TempDir dir;
  const auto out = dir / "x.h5";
  const auto checking = dir / "checking";
  const pid_t run = fork();
  if (run == 0) {
    const tribe::job::OutputLock lock(out);
    tribe::io::contained_check("x", [&] {
      write_file(checking, std::to_string(getpid()));
      std::this_thread::sleep_for(std::chrono::seconds(20));
    });
    _exit(0);
  }
  ASSERT_GT(run, 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!std::filesystem::exists(checking) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(std::filesystem::exists(checking));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the pid is written
  kill(run, SIGKILL);
  EXPECT_EQ(wait_exit(run), 128 + SIGKILL);
  // The checking child is still alive (it sleeps): the lock must be free all the same.
  EXPECT_NO_THROW(tribe::job::OutputLock again(out));
  std::ifstream pid_file(checking);
  pid_t child = 0;
  if (pid_file >> child && child > 0) kill(child, SIGKILL);
}

}  // namespace

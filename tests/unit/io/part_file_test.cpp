// Part files: a shard's single file is streamed into place a few blocks at a time (the
// rows held in memory do not grow with the shard), and holds exactly what one part of
// all its blocks holds; an unfinished one leaves nothing behind.
#include "tribe/io/part_file.hpp"

#include <gtest/gtest.h>

#include "../support/test_functions.hpp"
#include "../support/test_support.hpp"
#include "tribe/design/experiment.hpp"
#include "tribe/design/plan.hpp"
#include "tribe/exec/runner.hpp"
#include "tribe/io/assembly.hpp"
#include "tribe/io/part_reader.hpp"

namespace {

using namespace tribe;
namespace fs = std::filesystem;

fs::path temporary_of(const fs::path& p) {
  fs::path t = p;
  t += ".tmp";
  return t;
}

TEST(IoPartFile, SingleFileIsStreamedAndHoldsWhatOnePartOfAllItsBlocksHolds) {
  test::TempDir dir;
  const auto x = design::parse_experiment(test::exact_experiment(600), "exact.toml");
  const design::RunPlan plan(x, x.organizations_per_cell, 16);  // 2 cells x 38 blocks, some short
  const std::uint64_t first = 10, end = 60;
  std::uint64_t rows = 0;
  for (std::uint64_t b = first; b < end; ++b) rows += plan.block(b).count;

  // The reference: blocks [first, end) buffered whole into one part (how a shard's file
  // was written before it was streamed).
  exec::RunOptions run;
  run.first_block = first;
  run.end_block = end;
  {
    io::PartWriter whole(dir / "whole", plan, 0, rows);
    exec::run(plan, run, whole);
    whole.flush();
    EXPECT_EQ(whole.peak_buffered_rows(), rows);
  }
  const auto parts = io::list_parts(dir / "whole");
  ASSERT_EQ(parts.size(), 1u);

  // Streamed, 50 rows at a time, from the same blocks.
  const auto path = dir / "shard.h5";
  const std::uint64_t rows_per_part = 50;
  {
    io::PartWriter single(io::PartWriter::SingleFile{path, first, end}, plan, rows_per_part);
    EXPECT_TRUE(fs::exists(temporary_of(path)));
    io::for_each_block(parts[0], plan, [&](const exec::BlockRows& r) { single.consume(r); });
    EXPECT_FALSE(fs::exists(path));  // visible only once finished
    single.finish();
    EXPECT_GT(single.peak_buffered_rows(), 0u);
    EXPECT_LT(single.peak_buffered_rows(), rows_per_part + plan.block_size());
    EXPECT_EQ(single.rows_written(), rows);
  }
  EXPECT_FALSE(fs::exists(temporary_of(path)));
  const auto info = io::read_part_info(path);
  EXPECT_EQ(info.round, 0u);
  EXPECT_EQ(info.first_block, first);
  EXPECT_EQ(info.end_block, end);
  EXPECT_EQ(info.rows, rows);
  EXPECT_NO_THROW(io::check_belongs(info, plan));
  EXPECT_TRUE(test::all_datasets(path) == test::all_datasets(parts[0].path));
}

TEST(IoPartFile, UnfinishedSingleFileLeavesNothingAndKeepsTheTarget) {
  test::TempDir dir;
  const auto x = design::parse_experiment(test::exact_experiment(32), "exact.toml");
  const design::RunPlan plan(x, x.organizations_per_cell, 16);
  const auto path = dir / "shard.h5";
  test::write_file(path, "an older shard");
  {
    io::PartWriter single(io::PartWriter::SingleFile{path, 0, plan.block_count()}, plan, 16);
    exec::RunOptions run;
    run.end_block = 3;
    exec::run(plan, run, single);
    // destroyed without finish(): as when the assembly throws or is interrupted
  }
  EXPECT_FALSE(fs::exists(temporary_of(path)));
  EXPECT_EQ(fs::file_size(path), std::string("an older shard").size());
}

}  // namespace

#pragma once
// Helpers shared by the tests: small experiments, temporary directories, running the CLI.
#include <cstdlib>
#include <filesystem>
#include <string>

namespace tribe::test {

/// A fresh empty directory under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

/// A small but complete leadership experiment (2 x 2 cells, 12 agents, 30 steps).
std::string small_experiment(const std::string& extra_parameters = "",
                             std::uint64_t orgs_per_cell = 40);

/// A small March (1991) experiment: two cells (p1 = 0.1, 0.9; p2 = 0.5), 10 dimensions and
/// 10 individuals, common random numbers. Its real outcome knowledge_code_equilibrium has
/// sd ~0.1 and ~0.2 in the two cells: a precision target needs rounds of several blocks.
std::string small_march_experiment(std::uint64_t seed, std::uint64_t orgs_per_cell = 20);

void write_file(const std::filesystem::path& p, const std::string& text);

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};
/// Runs the `tribe` binary with the given arguments (a shell string).
CommandResult run_tribe(const std::string& args);

}  // namespace tribe::test

#include <map>
#include <vector>

namespace tribe::test {
/// Every dataset of an HDF5 file by path, as raw bytes in its file type (vlen strings
/// as their concatenated text): two files are "identical in their datasets" when
/// these maps are equal. Attributes (provenance, timing) are not included.
std::map<std::string, std::vector<unsigned char>> all_datasets(const std::filesystem::path& file);

/// Copies a shard file into a parts directory under the name a part of its blocks has
/// (part-0-FIRST-END.h5), replacing a file of that name; returns the part's path.
std::filesystem::path shard_as_part(const std::filesystem::path& shard,
                                    const std::filesystem::path& parts);
}  // namespace tribe::test

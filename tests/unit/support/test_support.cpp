#include "test_support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace tribe::test {

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  path_ = std::filesystem::temp_directory_path() /
          ("tribe-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::permissions(path_, std::filesystem::perms::owner_all, ec);
  std::filesystem::remove_all(path_, ec);
}

std::string small_experiment(const std::string& extra_parameters, std::uint64_t orgs_per_cell) {
  return "[experiment]\n"
         "name = \"small\"\n"
         "model = \"leadership\"\n"
         "seed = 7\n"
         "organizations_per_cell = " +
         std::to_string(orgs_per_cell) +
         "\n"
         "\n[parameters]\n"
         "agents = 12\n"
         "steps = 30\n"
         "span = 3\n" +
         extra_parameters +
         "\n[factors]\n"
         "structure = [\"flat\", \"hierarchy\"]\n"
         "control = [0.1, 0.9]\n";
}

std::string small_march_experiment(std::uint64_t seed, std::uint64_t orgs_per_cell) {
  return "[experiment]\n"
         "name = \"march_precision\"\n"
         "model = \"march\"\n"
         "seed = " +
         std::to_string(seed) +
         "\n"
         "organizations_per_cell = " +
         std::to_string(orgs_per_cell) +
         "\n"
         "common_random_numbers = true\n"
         "[parameters]\n"
         "p2 = 0.5\n"
         "dimensions = 10\n"
         "individuals = 10\n"
         "[factors]\n"
         "p1 = [0.1, 0.9]\n";
}

void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + p.string());
}

CommandResult run_tribe(const std::string& args) {
  const std::string cmd = std::string(TRIBE_BINARY) + " " + args + " 2>&1";
  CommandResult r;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run " + cmd);
  std::array<char, 4096> buf;
  while (std::fgets(buf.data(), buf.size(), pipe)) r.output += buf.data();
  const int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace tribe::test

#include <hdf5.h>

#include "tribe/io/part_reader.hpp"

namespace tribe::test {
namespace {

herr_t visit(hid_t root, const char* name, const H5O_info_t* info, void* data) {
  if (info->type != H5O_TYPE_DATASET) return 0;
  auto& out = *static_cast<std::map<std::string, std::vector<unsigned char>>*>(data);
  const hid_t ds = H5Dopen2(root, name, H5P_DEFAULT);
  const hid_t type = H5Dget_type(ds);
  const hid_t space = H5Dget_space(ds);
  const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
  std::vector<unsigned char> bytes;
  if (H5Tis_variable_str(type) > 0) {
    std::vector<char*> ptrs(n);
    if (n) H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data());
    for (char* p : ptrs) {
      const std::string s = p ? p : "";
      bytes.insert(bytes.end(), s.begin(), s.end());
      bytes.push_back(0);
    }
    if (n) H5Dvlen_reclaim(type, space, H5P_DEFAULT, ptrs.data());
  } else {
    const hid_t native = H5Tget_native_type(type, H5T_DIR_ASCEND);
    bytes.resize(n * H5Tget_size(native));
    if (n) H5Dread(ds, native, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data());
    H5Tclose(native);
  }
  out[name] = std::move(bytes);
  H5Sclose(space);
  H5Tclose(type);
  H5Dclose(ds);
  return 0;
}

}  // namespace

std::map<std::string, std::vector<unsigned char>> all_datasets(const std::filesystem::path& file) {
  std::map<std::string, std::vector<unsigned char>> out;
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) throw std::runtime_error("cannot open " + file.string());
  H5Ovisit(f, H5_INDEX_NAME, H5_ITER_INC, visit, &out);
  H5Fclose(f);
  return out;
}

std::filesystem::path shard_as_part(const std::filesystem::path& shard,
                                    const std::filesystem::path& parts) {
  const auto info = io::read_part_info(shard);
  char name[80];
  std::snprintf(name, sizeof name, "part-0-%012llu-%012llu.h5",
                static_cast<unsigned long long>(info.first_block),
                static_cast<unsigned long long>(info.end_block));
  std::filesystem::create_directories(parts);
  std::filesystem::copy_file(shard, parts / name,
                             std::filesystem::copy_options::overwrite_existing);
  return parts / name;
}

}  // namespace tribe::test

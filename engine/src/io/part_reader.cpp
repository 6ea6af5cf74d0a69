#include "tribe/io/part_reader.hpp"

#include <algorithm>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>

#include "tribe/core/error.hpp"
#include "tribe/core/version.hpp"
#include "tribe/io/validate.hpp"

namespace tribe::io {
namespace fs = std::filesystem;

namespace {

PartInfo read_part_header(const fs::path& path) {
  const std::string ctx = path.string();
  const h5::Handle f = open_checked(
      path, FileKind{kPartFiletype, "part or shard file", "part", {version::kResultFormat[0]}});
  const hid_t root = f.get();
  validate_part_header(root, ctx);
  verify_string_digest(root, ctx);
  PartInfo p;
  p.path = path;
  // The header's attributes, as PartWriter and write_run_header write them.
  static constexpr std::pair<const char*, std::uint64_t PartInfo::*> kNumbers[] = {
      {"round", &PartInfo::round},
      {"first_block", &PartInfo::first_block},
      {"end_block", &PartInfo::end_block},
      {"rows", &PartInfo::rows},
      {"seed", &PartInfo::seed},
      {"organizations_per_cell", &PartInfo::organizations_per_cell},
      {"block_size", &PartInfo::block_size},
      {"cells", &PartInfo::cells}};
  static constexpr std::pair<const char*, std::string PartInfo::*> kTexts[] = {
      {"experiment", &PartInfo::experiment},
      {"engine_version", &PartInfo::engine_version},
      {"model", &PartInfo::model},
      {"model_version", &PartInfo::model_version}};
  for (const auto& [name, field] : kNumbers) p.*field = h5::read_u64_attribute(root, name, ctx);
  for (const auto& [name, field] : kTexts) p.*field = h5::read_string_attribute(root, name, ctx);
  if (h5::has_attribute(root, "model_library"))
    p.model_library = h5::read_string_attribute(root, "model_library", ctx);
  if (p.end_block <= p.first_block)
    damaged(ctx, "attributes first_block = " + std::to_string(p.first_block) +
                     " and end_block = " + std::to_string(p.end_block) + " hold no blocks");
  validate_part_layout(root, ctx, p.rows, p.end_block - p.first_block);
  return p;
}

}  // namespace

PartInfo read_part_info(const fs::path& path) {
  // First in a child process: a part or shard whose metadata crashes HDF5 is refused as
  // damaged (resume computes its blocks again; merge names it), not a crash.
  contained_check(path.string(), [&] { read_part_header(path); });
  return read_part_header(path);
}

std::vector<PartInfo> list_parts(const fs::path& directory, bool remove_temporaries,
                                 std::vector<DamagedPart>* damaged_parts) {
  std::vector<PartInfo> parts;
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) return parts;
  for (const auto& e : fs::directory_iterator(directory)) {
    const auto name = e.path().filename().string();
    if (name.ends_with(".tmp")) {
      if (remove_temporaries)
        fs::remove(e.path(), ec);  // an interrupted write: its blocks are recomputed
      continue;
    }
    if (!name.starts_with("part-") || !name.ends_with(".h5")) continue;
    try {
      parts.push_back(read_part_info(e.path()));
    } catch (const InputError& err) {
      if (!damaged_parts) throw;
      damaged_parts->push_back({e.path(), err.what()});
    }
  }
  std::sort(parts.begin(), parts.end(), [](const PartInfo& a, const PartInfo& b) {
    return a.round != b.round ? a.round < b.round : a.first_block < b.first_block;
  });
  return parts;
}

void for_each_block(const PartInfo& part, const design::RunPlan& plan,
                    const std::function<void(const exec::BlockRows&)>& f) {
  h5::quiet_errors();
  const std::string ctx = part.path.string();
  const auto specs = plan.experiment().model->columns();
  const std::size_t columns = specs.size();
  h5::Handle file(H5Fopen(part.path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!file) {
    // A part that was listed and is gone (its directory deleted or moved during the run) is
    // a fault of the environment, not damaged input (issue 27, item 15).
    std::error_code ec;
    if (!std::filesystem::exists(part.path, ec))
      throw EnvironmentError(ctx +
                             ": the part file vanished during the run (its directory "
                             "deleted or moved?); rerun the same command to compute "
                             "its blocks again");
    throw DamagedFileError(ctx + ": cannot open part file (truncated or corrupt?)" +
                           h5::error_detail());
  }
  // The layout was validated against the header when the part was listed: read, then
  // check the values that address the plan.
  validate_part_layout(file.get(), ctx, part.rows, part.end_block - part.first_block);
  h5::Handle blocks = h5::open_group(file.get(), "blocks", ctx);
  const auto index = h5::read_doubles(blocks.get(), "index", ctx + ": /blocks");
  const auto cell = h5::read_doubles(blocks.get(), "cell", ctx + ": /blocks");
  const auto first = h5::read_doubles(blocks.get(), "first", ctx + ": /blocks");
  const auto count = h5::read_doubles(blocks.get(), "count", ctx + ": /blocks");
  const std::size_t nb = index.size();
  std::uint64_t total = 0;
  for (std::size_t k = 0; k < nb; ++k) {
    const std::uint64_t b = part.first_block + k;
    bool fits = index[k] == static_cast<double>(b);
    if (fits && part.round == 0) {
      // Round 0 follows the plan; later rounds (precision targets) have plans of their own.
      fits = b < plan.block_count();
      if (fits) {
        const design::Block blk = plan.block(b);
        fits = cell[k] == static_cast<double>(blk.cell) &&
               first[k] == static_cast<double>(blk.first) &&
               count[k] == static_cast<double>(blk.count);
      }
    } else if (fits) {
      fits = cell[k] >= 0 && cell[k] < static_cast<double>(plan.cells().size()) && count[k] >= 1 &&
             count[k] <= static_cast<double>(plan.block_size()) && first[k] >= 0;
    }
    if (!fits)
      damaged(ctx, "/blocks row " + std::to_string(k) + " (index " + std::to_string(index[k]) +
                       ", cell " + std::to_string(cell[k]) + ", first " + std::to_string(first[k]) +
                       ", count " + std::to_string(count[k]) + ") is not block " +
                       std::to_string(b) + " of the plan");
    total += static_cast<std::uint64_t>(count[k]);
  }
  if (total != part.rows)
    damaged(ctx, "/blocks/count adds up to " + std::to_string(total) + ", expected " +
                     std::to_string(part.rows) + " (the attribute rows)");
  h5::Handle orgs = h5::open_group(file.get(), "organizations", ctx);
  for (const auto& c : specs) {
    if (!h5::exists(orgs.get(), c.name))
      damaged(ctx,
              "dataset /organizations/" + c.name + " of model column " + c.name + " is missing");
    // Stored as its kind is (io/result_file.hpp): reals as floats, counts and 0/1 as integers.
    h5::Handle ds(H5Dopen2(orgs.get(), c.name.c_str(), H5P_DEFAULT), H5Dclose);
    h5::Handle type(ds ? H5Dget_type(ds.get()) : H5I_INVALID_HID, H5Tclose);
    const H5T_class_t expected = H5Tget_class(storage_type(c.kind));
    if (!type || H5Tget_class(type.get()) != expected)
      damaged(ctx, "dataset /organizations/" + c.name + " does not hold " +
                       (expected == H5T_FLOAT ? "floating-point numbers" : "integers") +
                       " (column kind " + std::string(model::to_string(c.kind)) + ")");
  }
  // Accumulators of every block.
  h5::Handle accg = h5::open_group(blocks.get(), "accumulators", ctx);
  std::vector<stats::Accumulator> acc(nb * columns);
  for (std::size_t c = 0; c < columns; ++c) {
    h5::Handle g = h5::open_group(accg.get(), specs[c].name, ctx);
    std::vector<std::vector<double>> fields;
    for (const char* fname : kPartAccumulatorFields)
      fields.push_back(
          h5::read_doubles(g.get(), fname, ctx + ": /blocks/accumulators/" + specs[c].name));
    for (std::size_t b = 0; b < nb; ++b) {
      auto& a = acc[b * columns + c];
      if (!(fields[0][b] >= 0 && fields[1][b] >= 0 && fields[0][b] + fields[1][b] == count[b]))
        damaged(ctx, "/blocks/accumulators/" + specs[c].name + " of block " +
                         std::to_string(part.first_block + b) + " does not count the block's " +
                         std::to_string(count[b]) + " organizations");
      a.n = static_cast<std::uint64_t>(fields[0][b]);
      a.missing = static_cast<std::uint64_t>(fields[1][b]);
      a.mean = fields[2][b];
      a.m2 = fields[3][b];
      a.sum = fields[4][b];
      a.min = fields[5][b];
      a.max = fields[6][b];
    }
  }
  // Rows, read a window of blocks at a time.
  std::vector<h5::Handle> ds;
  for (std::size_t c = 0; c < columns; ++c)
    ds.push_back(h5::checked(H5Dopen2(orgs.get(), specs[c].name.c_str(), H5P_DEFAULT), H5Dclose,
                             ctx, "missing dataset " + specs[c].name));
  std::uint64_t row = 0;
  std::size_t b = 0;
  std::vector<double> col, rows;
  while (b < nb) {
    std::size_t e = b;
    std::uint64_t n = 0;
    while (e < nb && (n == 0 || n + static_cast<std::uint64_t>(count[e]) <= 65536))
      n += static_cast<std::uint64_t>(count[e++]);
    rows.assign(n * columns, 0.0);
    col.resize(n);
    for (std::size_t c = 0; c < columns; ++c) {
      const hsize_t start = row, cnt = n;
      h5::Handle fs = h5::checked(H5Dget_space(ds[c].get()), H5Sclose, ctx, "cannot get dataspace");
      h5::check(H5Sselect_hyperslab(fs.get(), H5S_SELECT_SET, &start, nullptr, &cnt, nullptr), ctx,
                "cannot select rows");
      h5::Handle ms =
          h5::checked(H5Screate_simple(1, &cnt, nullptr), H5Sclose, ctx, "cannot create dataspace");
      if (H5Dread(ds[c].get(), H5T_NATIVE_DOUBLE, ms.get(), fs.get(), H5P_DEFAULT, col.data()) < 0)
        damaged(ctx, "dataset /organizations/" + specs[c].name +
                         " cannot be read (corrupt data or checksum mismatch)");
      for (std::uint64_t r = 0; r < n; ++r) rows[r * columns + c] = col[r];
    }
    std::uint64_t offset = 0;
    for (std::size_t k = b; k < e; ++k) {
      design::Block blk{static_cast<std::uint64_t>(cell[k]), static_cast<std::uint64_t>(first[k]),
                        static_cast<std::uint64_t>(count[k]), 0};
      f(exec::BlockRows{
          blk, columns,
          std::span<const double>(rows.data() + offset * columns, blk.count * columns),
          static_cast<std::uint64_t>(index[k]),
          std::span<const stats::Accumulator>(acc.data() + k * columns, columns)});
      offset += blk.count;
    }
    row += n;
    b = e;
  }
}

void verify_part(const PartInfo& part, const design::RunPlan& plan) {
  for_each_block(part, plan, [](const exec::BlockRows&) {});
}

}  // namespace tribe::io

#include "tribe/io/part_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "tribe/core/error.hpp"
#include "tribe/core/version.hpp"

namespace tribe::io {
namespace fs = std::filesystem;

namespace {

constexpr const char* kAccFields[] = {"n", "missing", "mean", "m2", "sum", "min", "max"};

}  // namespace

void sync_path(const fs::path& p) {
  const int fd = ::open(p.c_str(), O_RDONLY);
  if (fd < 0) return;
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  // Directories may refuse fsync on some file systems (EINVAL): only data errors count.
  if (rc != 0 && (err == EIO || err == ENOSPC || err == EDQUOT || err == EFBIG))
    throw EnvironmentError(p.string() + ": cannot write to disk (" + std::strerror(err) + ")");
}

void close_file_checked(h5::Handle& file, const fs::path& path, const std::string& ctx) {
  h5::check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), ctx, "cannot write file (disk full?)");
  h5::close_checked(file, ctx, "cannot write file (disk full?)");
  // Some write failures are not reported by close: read the file back before trusting it.
  h5::Handle check = h5::checked(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, ctx,
                                 "the file just written cannot be read back (disk full?)");
  if (!h5::has_attribute(check.get(), "filetype"))
    throw EnvironmentError(ctx + ": the file just written cannot be read back (disk full?)");
}

namespace {

std::string part_name(std::uint64_t round, std::uint64_t first, std::uint64_t end) {
  char buf[80];
  std::snprintf(buf, sizeof buf, "part-%llu-%012llu-%012llu.h5", static_cast<unsigned long long>(round),
                static_cast<unsigned long long>(first), static_cast<unsigned long long>(end));
  return buf;
}

}  // namespace

PartWriter::PartWriter(fs::path directory, const design::RunPlan& plan, std::uint64_t round,
                       std::uint64_t rows_per_part)
    : directory_(std::move(directory)), plan_(plan), round_(round), rows_per_part_(rows_per_part) {
  h5::quiet_errors();
  if (!directory_.empty()) {
    std::error_code ec;
    fs::create_directories(directory_, ec);
    if (ec) throw EnvironmentError(directory_.string() + ": cannot create the directory of part files: " + ec.message());
  }
}

PartWriter::~PartWriter() = default;

void PartWriter::consume(const exec::BlockRows& rows) {
  TRIBE_CHECK(blocks_.empty() || rows.index == blocks_.back().index + 1, "blocks reach a part out of order");
  TRIBE_CHECK(rows.accumulators.size() == rows.columns, "a block without accumulators");
  blocks_.push_back({rows.block, rows.index});
  rows_.insert(rows_.end(), rows.values.begin(), rows.values.end());
  acc_.insert(acc_.end(), rows.accumulators.begin(), rows.accumulators.end());
  std::uint64_t buffered = rows_.size() / rows.columns;
  if (!directory_.empty() && buffered >= rows_per_part_) flush();
}

void PartWriter::flush() {
  if (blocks_.empty()) return;
  flush_to(directory_ / part_name(round_, blocks_.front().index, blocks_.back().index + 1));
}

void PartWriter::flush_to(const fs::path& path) {
  const auto& x = plan_.experiment();
  const auto columns = x.model->columns();
  const std::size_t ncol = columns.size();
  const std::uint64_t nrows = ncol ? rows_.size() / ncol : 0;
  fs::path tmp = path;
  tmp += ".tmp";
  const std::string ctx = path.string();
  {
    h5::Handle file = h5::checked(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose, ctx,
                                  "cannot create part file (directory missing or not writable?)");
    const hid_t root = file.get();
    h5::write_attribute(root, "filetype", kPartFiletype, ctx);
    h5::write_attribute(root, "format_version",
                        std::vector<std::uint32_t>(version::kResultFormat.begin(), version::kResultFormat.end()), ctx);
    h5::write_attribute(root, "engine_version", version::engine(), ctx);
    h5::write_attribute(root, "git_sha1", version::git_sha1(), ctx);
    h5::write_attribute(root, "experiment", x.source_text, ctx);
    h5::write_attribute(root, "experiment_path", x.source_path, ctx);
    h5::write_attribute(root, "seed", x.seed, ctx);
    h5::write_attribute(root, "organizations_per_cell", plan_.organizations_per_cell(), ctx);
    h5::write_attribute(root, "block_size", plan_.block_size(), ctx);
    h5::write_attribute(root, "cells", static_cast<std::uint64_t>(plan_.cells().size()), ctx);
    h5::write_attribute(root, "model", x.model->name(), ctx);
    h5::write_attribute(root, "model_version", x.model->version(), ctx);
    h5::write_attribute(root, "round", round_, ctx);
    h5::write_attribute(root, "first_block", blocks_.empty() ? 0 : blocks_.front().index, ctx);
    h5::write_attribute(root, "end_block", blocks_.empty() ? 0 : blocks_.back().index + 1, ctx);
    h5::write_attribute(root, "rows", nrows, ctx);

    h5::Handle orgs = h5::create_group(root, "organizations", ctx);
    std::vector<double> col(nrows);
    std::vector<double> cell_col, org_col;
    for (const auto& b : blocks_)
      for (std::uint64_t i = 0; i < b.block.count; ++i) {
        cell_col.push_back(static_cast<double>(b.block.cell));
        org_col.push_back(static_cast<double>(b.block.first + i));
      }
    // Parts of a running job are temporary: stored uncompressed (cheap for the writer
    // thread, which shares the cores with the workers); a shard, which is kept, is compressed.
    const bool compress = directory_.empty();
    write_typed_column(orgs.get(), "cell", model::ColumnKind::Count, cell_col, ctx, compress);
    std::vector<std::uint64_t> org_u64(org_col.begin(), org_col.end());
    h5::write_dataset(orgs.get(), "organization", H5T_STD_U64LE, H5T_NATIVE_UINT64, org_u64.data(), nrows, ctx,
                      compress);
    for (std::size_t c = 0; c < ncol; ++c) {
      for (std::uint64_t r = 0; r < nrows; ++r) col[r] = rows_[r * ncol + c];
      write_typed_column(orgs.get(), columns[c].name, columns[c].kind, col, ctx, compress);
    }

    h5::Handle blocks = h5::create_group(root, "blocks", ctx);
    const std::size_t nb = blocks_.size();
    std::vector<std::uint64_t> idx, cell, first, count;
    for (const auto& b : blocks_) {
      idx.push_back(b.index);
      cell.push_back(b.block.cell);
      first.push_back(b.block.first);
      count.push_back(b.block.count);
    }
    h5::write_dataset(blocks.get(), "index", H5T_STD_U64LE, H5T_NATIVE_UINT64, idx.data(), nb, ctx);
    h5::write_dataset(blocks.get(), "cell", H5T_STD_U64LE, H5T_NATIVE_UINT64, cell.data(), nb, ctx);
    h5::write_dataset(blocks.get(), "first", H5T_STD_U64LE, H5T_NATIVE_UINT64, first.data(), nb, ctx);
    h5::write_dataset(blocks.get(), "count", H5T_STD_U64LE, H5T_NATIVE_UINT64, count.data(), nb, ctx);
    h5::Handle acc = h5::create_group(blocks.get(), "accumulators", ctx);
    std::vector<double> field(nb);
    for (std::size_t c = 0; c < ncol; ++c) {
      h5::Handle g = h5::create_group(acc.get(), columns[c].name, ctx);
      for (std::size_t f = 0; f < 7; ++f) {
        for (std::size_t b = 0; b < nb; ++b) {
          const auto& a = acc_[b * ncol + c];
          const double v[7] = {static_cast<double>(a.n), static_cast<double>(a.missing), a.mean, a.m2, a.sum, a.min, a.max};
          field[b] = v[f];
        }
        h5::write_dataset(g.get(), kAccFields[f], H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, field.data(), nb, ctx);
      }
    }
    orgs.reset();
    blocks.reset();
    acc.reset();
    close_file_checked(file, tmp, ctx);
    // Every column must be there, whole (metadata only: the data itself was checked
    // when each dataset was closed).
    h5::Handle back = h5::checked(H5Fopen(tmp.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, ctx,
                                  "the part just written cannot be read back (disk full?)");
    h5::Handle g = h5::open_group(back.get(), "organizations", ctx);
    for (const auto& name : h5::list(g.get(), ctx)) {
      h5::Handle ds = h5::checked(H5Dopen2(g.get(), name.c_str(), H5P_DEFAULT), H5Dclose, ctx,
                                  "the part just written cannot be read back (disk full?)");
      if (h5::length(ds.get(), ctx) != nrows)
        throw EnvironmentError(ctx + ": the part just written is short (disk full?)");
    }
  }
  // Durable before it becomes visible under its final name.
  sync_path(tmp);
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) throw EnvironmentError(ctx + ": cannot rename part file: " + ec.message());
  if (path.has_parent_path()) sync_path(path.parent_path());
  rows_written_ += nrows;
  blocks_.clear();
  rows_.clear();
  acc_.clear();
}

PartInfo read_part_info(const fs::path& path) {
  h5::quiet_errors();
  const std::string ctx = path.string();
  std::error_code ec;
  if (!fs::exists(path, ec)) throw EnvironmentError(ctx + ": no such file");
  if (H5Fis_hdf5(path.c_str()) <= 0) throw EnvironmentError(ctx + ": not an HDF5 file (or truncated/corrupt)");
  h5::Handle f = h5::checked(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, ctx,
                             "cannot open HDF5 file (truncated or corrupt?)");
  const hid_t root = f.get();
  if (!h5::has_attribute(root, "filetype") || h5::read_string_attribute(root, "filetype", ctx) != kPartFiletype)
    throw EnvironmentError(ctx + ": not a tribe part or shard file (no filetype = \"tribe-part\" attribute)");
  const auto v = h5::read_u32s_attribute(root, "format_version", ctx);
  if (v.size() != 2 || v[0] != version::kResultFormat[0])
    throw EnvironmentError(ctx + ": part format version " + (v.empty() ? std::string("?") : std::to_string(v[0])) +
                           ".x is not supported (this tribe reads " + std::to_string(version::kResultFormat[0]) + ".x)");
  PartInfo p;
  p.path = path;
  p.round = h5::read_u64_attribute(root, "round", ctx);
  p.first_block = h5::read_u64_attribute(root, "first_block", ctx);
  p.end_block = h5::read_u64_attribute(root, "end_block", ctx);
  p.rows = h5::read_u64_attribute(root, "rows", ctx);
  p.experiment = h5::read_string_attribute(root, "experiment", ctx);
  p.seed = h5::read_u64_attribute(root, "seed", ctx);
  p.organizations_per_cell = h5::read_u64_attribute(root, "organizations_per_cell", ctx);
  p.block_size = h5::read_u64_attribute(root, "block_size", ctx);
  p.cells = h5::read_u64_attribute(root, "cells", ctx);
  p.engine_version = h5::read_string_attribute(root, "engine_version", ctx);
  p.model = h5::read_string_attribute(root, "model", ctx);
  p.model_version = h5::read_string_attribute(root, "model_version", ctx);
  return p;
}

std::vector<PartInfo> list_parts(const fs::path& directory, bool remove_temporaries) {
  std::vector<PartInfo> parts;
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) return parts;
  for (const auto& e : fs::directory_iterator(directory)) {
    const auto name = e.path().filename().string();
    if (name.ends_with(".tmp")) {
      if (remove_temporaries) fs::remove(e.path(), ec);  // an interrupted write: its blocks are recomputed
      continue;
    }
    if (name.starts_with("part-") && name.ends_with(".h5")) parts.push_back(read_part_info(e.path()));
  }
  std::sort(parts.begin(), parts.end(), [](const PartInfo& a, const PartInfo& b) {
    return a.round != b.round ? a.round < b.round : a.first_block < b.first_block;
  });
  return parts;
}

void check_belongs(const PartInfo& p, const design::RunPlan& plan) {
  const auto& x = plan.experiment();
  const std::string who = p.path.string() + " does not belong to this run: ";
  if (p.experiment != x.source_text) throw InputError(who + "it was made from another experiment file");
  if (p.seed != x.seed)
    throw InputError(who + "seed " + std::to_string(p.seed) + " vs " + std::to_string(x.seed));
  if (p.organizations_per_cell != plan.organizations_per_cell())
    throw InputError(who + "organizations per cell " + std::to_string(p.organizations_per_cell) + " vs " +
                     std::to_string(plan.organizations_per_cell()));
  if (p.block_size != plan.block_size() || p.cells != plan.cells().size())
    throw InputError(who + "another block size or number of cells");
  if (p.engine_version != version::engine())
    throw InputError(who + "engine version " + p.engine_version + " vs " + std::string(version::engine()));
  if (p.model != x.model->name() || p.model_version != x.model->version())
    throw InputError(who + "model " + p.model + " " + p.model_version + " vs " + std::string(x.model->name()) + " " +
                     std::string(x.model->version()));
}

void check_coverage(const std::vector<PartInfo>& parts, const design::RunPlan& plan) {
  std::vector<const PartInfo*> round0;
  for (const auto& p : parts)
    if (p.round == 0) round0.push_back(&p);
  std::sort(round0.begin(), round0.end(), [](auto a, auto b) { return a->first_block < b->first_block; });
  auto describe = [&](std::uint64_t a, std::uint64_t b) {
    const auto first = plan.block(a), last = plan.block(b - 1);
    return "blocks [" + std::to_string(a) + ", " + std::to_string(b) + ") (organizations " + std::to_string(first.first) +
           " of cell " + std::to_string(first.cell) + " to " + std::to_string(last.first + last.count - 1) + " of cell " +
           std::to_string(last.cell) + ")";
  };
  std::uint64_t next = 0;
  const PartInfo* previous = nullptr;
  for (const auto* p : round0) {
    if (p->first_block < next)
      throw InputError("overlapping parts: " + describe(p->first_block, std::min(next, p->end_block)) + " are in both " +
                       previous->path.string() + " and " + p->path.string());
    if (p->first_block > next)
      throw InputError("missing part: " + describe(next, p->first_block) + " are in none of the files (before " +
                       p->path.string() + ")");
    next = p->end_block;
    previous = p;
  }
  if (next < plan.block_count())
    throw InputError("missing part: " + describe(next, plan.block_count()) + " are in none of the files");
}

std::uint64_t completed_prefix(const std::vector<PartInfo>& parts, std::uint64_t first) {
  std::uint64_t next = first;
  bool advanced = true;
  while (advanced) {
    advanced = false;
    for (const auto& p : parts)
      if (p.round == 0 && p.first_block == next && p.end_block > next) {
        next = p.end_block;
        advanced = true;
      }
  }
  return next;
}

void for_each_block(const PartInfo& part, std::size_t columns, const std::function<void(const exec::BlockRows&)>& f) {
  const std::string ctx = part.path.string();
  h5::Handle file = h5::checked(H5Fopen(part.path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, ctx,
                                "cannot open part file (truncated or corrupt?)");
  h5::Handle blocks = h5::open_group(file.get(), "blocks", ctx);
  const auto index = h5::read_doubles(blocks.get(), "index", ctx);
  const auto cell = h5::read_doubles(blocks.get(), "cell", ctx);
  const auto first = h5::read_doubles(blocks.get(), "first", ctx);
  const auto count = h5::read_doubles(blocks.get(), "count", ctx);
  const std::size_t nb = index.size();
  h5::Handle orgs = h5::open_group(file.get(), "organizations", ctx);
  const auto names = h5::list(orgs.get(), ctx);  // cell, organization, then the model's columns
  if (names.size() != columns + 2) throw EnvironmentError(ctx + ": part has another set of columns than the model");
  // Accumulators of every block.
  h5::Handle accg = h5::open_group(blocks.get(), "accumulators", ctx);
  std::vector<stats::Accumulator> acc(nb * columns);
  for (std::size_t c = 0; c < columns; ++c) {
    h5::Handle g = h5::open_group(accg.get(), names[c + 2], ctx);
    std::vector<std::vector<double>> fields;
    for (const char* fname : kAccFields) fields.push_back(h5::read_doubles(g.get(), fname, ctx));
    for (std::size_t b = 0; b < nb; ++b) {
      auto& a = acc[b * columns + c];
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
    ds.push_back(h5::checked(H5Dopen2(orgs.get(), names[c + 2].c_str(), H5P_DEFAULT), H5Dclose, ctx,
                             "missing dataset " + names[c + 2]));
  std::uint64_t row = 0;
  std::size_t b = 0;
  std::vector<double> col, rows;
  while (b < nb) {
    std::size_t e = b;
    std::uint64_t n = 0;
    while (e < nb && (n == 0 || n + static_cast<std::uint64_t>(count[e]) <= 65536)) n += static_cast<std::uint64_t>(count[e++]);
    rows.assign(n * columns, 0.0);
    col.resize(n);
    for (std::size_t c = 0; c < columns; ++c) {
      const hsize_t start = row, cnt = n;
      h5::Handle fs = h5::checked(H5Dget_space(ds[c].get()), H5Sclose, ctx, "cannot get dataspace");
      h5::check(H5Sselect_hyperslab(fs.get(), H5S_SELECT_SET, &start, nullptr, &cnt, nullptr), ctx, "cannot select rows");
      h5::Handle ms = h5::checked(H5Screate_simple(1, &cnt, nullptr), H5Sclose, ctx, "cannot create dataspace");
      h5::check(H5Dread(ds[c].get(), H5T_NATIVE_DOUBLE, ms.get(), fs.get(), H5P_DEFAULT, col.data()), ctx,
                "cannot read rows (truncated or corrupt part?)");
      for (std::uint64_t r = 0; r < n; ++r) rows[r * columns + c] = col[r];
    }
    std::uint64_t offset = 0;
    for (std::size_t k = b; k < e; ++k) {
      design::Block blk{static_cast<std::uint64_t>(cell[k]), static_cast<std::uint64_t>(first[k]),
                        static_cast<std::uint64_t>(count[k]), 0};
      f(exec::BlockRows{blk, columns, std::span<const double>(rows.data() + offset * columns, blk.count * columns),
                        static_cast<std::uint64_t>(index[k]),
                        std::span<const stats::Accumulator>(acc.data() + k * columns, columns)});
      offset += blk.count;
    }
    row += n;
    b = e;
  }
}

void assemble(const std::vector<PartInfo>& parts, const design::RunPlan& plan, const fs::path& target, bool overwrite,
              const RunInfo& info) {
  const std::size_t columns = plan.experiment().model->columns().size();
  ResultWriter writer(target, plan, overwrite);
  exec::RunResult result;
  result.cells.resize(plan.cells().size());
  for (auto& c : result.cells) c.columns.resize(columns);
  for (const auto& p : parts) {
    check_belongs(p, plan);
    for_each_block(p, columns, [&](const exec::BlockRows& rows) {
      // The same ordered reduction as a single uninterrupted run: block by block.
      auto& cell = result.cells.at(rows.block.cell).columns;
      for (std::size_t c = 0; c < columns; ++c) cell[c].merge(rows.accumulators[c]);
      auto& segs = result.segments;
      if (!segs.empty() && segs.back().cell == rows.block.cell &&
          segs.back().first + segs.back().count == rows.block.first)
        segs.back().count += rows.block.count;
      else
        segs.push_back({rows.block.cell, rows.block.first, rows.block.count});
      result.organizations += rows.block.count;
      writer.consume(rows);
    });
  }
  writer.finish(result, info);
}

}  // namespace tribe::io

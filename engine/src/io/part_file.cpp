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
#include "tribe/io/file_sync.hpp"
#include "tribe/io/validate.hpp"

namespace tribe::io {
namespace fs = std::filesystem;

namespace {

constexpr const char* kAccFields[] = {"n", "missing", "mean", "m2", "sum", "min", "max"};

}  // namespace

namespace {

std::string part_name(std::uint64_t round, std::uint64_t first, std::uint64_t end) {
  char buf[80];
  std::snprintf(buf, sizeof buf, "part-%llu-%012llu-%012llu.h5",
                static_cast<unsigned long long>(round), static_cast<unsigned long long>(first),
                static_cast<unsigned long long>(end));
  return buf;
}

}  // namespace

// One part file being written: created under a temporary name with its header and every
// dataset sized for its rows and blocks, filled block by block, then closed, checked, synced
// and renamed, so that a file under the final name is always complete.
class PartWriter::File {
 public:
  File(fs::path path, const design::RunPlan& plan, std::uint64_t round, std::uint64_t first_block,
       std::uint64_t end_block, std::uint64_t rows, bool compress);
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  ~File();

  /// Writes the next blocks (in block order), their rows (row-major) and accumulators.
  void write(const std::vector<Buffered>& blocks, const std::vector<double>& rows,
             const std::vector<stats::Accumulator>& acc);
  /// Closes (checked), reads back, syncs and renames: once all its blocks are written.
  void finish();

 private:
  void create(const design::RunPlan& plan, std::uint64_t round, bool compress);
  void discard() noexcept;  // closes everything and removes the temporary file

  fs::path path_, tmp_;
  std::string ctx_;
  std::span<const model::ColumnSpec> columns_;  // the model's, which outlives the writer
  std::uint64_t first_block_, end_block_, rows_;
  std::uint64_t blocks_done_ = 0, rows_done_ = 0;
  h5::Handle file_, orgs_, blocks_, acc_;
  std::vector<h5::Handle> row_ds_;    // cell, organization, then one per model column
  std::vector<h5::Handle> block_ds_;  // index, cell, first, count
  std::vector<h5::Handle> acc_ds_;    // columns x accumulator fields
  bool finished_ = false;
};

namespace {

constexpr const char* kBlockFields[] = {"index", "cell", "first", "count"};
// Chunks of the per-block datasets of a file with many blocks (a large shard): small, so
// that the partly filled chunk of each of them, cached while the file is written, stays small.
constexpr std::uint64_t kBlockChunk = 2048;

double field(const stats::Accumulator& a, std::size_t f) {
  const double v[7] = {
      static_cast<double>(a.n), static_cast<double>(a.missing), a.mean, a.m2, a.sum, a.min, a.max};
  return v[f];
}

}  // namespace

PartWriter::File::File(fs::path path, const design::RunPlan& plan, std::uint64_t round,
                       std::uint64_t first_block, std::uint64_t end_block, std::uint64_t rows,
                       bool compress)
    : path_(std::move(path)),
      ctx_(path_.string()),
      first_block_(first_block),
      end_block_(end_block),
      rows_(rows) {
  h5::quiet_errors();  // the writer thread
  columns_ = plan.experiment().model->columns();
  tmp_ = path_;
  tmp_ += ".tmp";
  file_ = h5::checked(H5Fcreate(tmp_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
                      ctx_, "cannot create part file (directory missing or not writable?)");
  try {
    create(plan, round, compress);
  } catch (...) {
    discard();
    throw;
  }
}

void PartWriter::File::create(const design::RunPlan& plan, std::uint64_t round, bool compress) {
  const auto& x = plan.experiment();
  const hid_t root = file_.get();
  h5::write_attribute(root, "filetype", kPartFiletype, ctx_);
  h5::write_attribute(
      root, "format_version",
      std::vector<std::uint32_t>(version::kResultFormat.begin(), version::kResultFormat.end()),
      ctx_);
  h5::write_attribute(root, "engine_version", version::engine(), ctx_);
  h5::write_attribute(root, "git_sha1", version::git_sha1(), ctx_);
  h5::write_attribute(root, "experiment", x.source_text, ctx_);
  h5::write_attribute(root, "experiment_path", x.source_path, ctx_);
  h5::write_attribute(root, "seed", x.seed, ctx_);
  h5::write_attribute(root, "organizations_per_cell", plan.organizations_per_cell(), ctx_);
  h5::write_attribute(root, "block_size", plan.block_size(), ctx_);
  h5::write_attribute(root, "cells", static_cast<std::uint64_t>(plan.cells().size()), ctx_);
  h5::write_attribute(root, "model", x.model->name(), ctx_);
  h5::write_attribute(root, "model_version", x.model->version(), ctx_);
  h5::write_attribute(root, "round", round, ctx_);
  h5::write_attribute(root, "first_block", first_block_, ctx_);
  h5::write_attribute(root, "end_block", end_block_, ctx_);
  h5::write_attribute(root, "rows", rows_, ctx_);

  // Parts of a running job are temporary: stored uncompressed (cheap for the writer
  // thread, which shares the cores with the workers); a shard, which is kept, is compressed.
  // Every dataset is checksummed (Fletcher-32 per chunk): a part damaged on disk fails to
  // read, and a resume recomputes its blocks instead of using wrong values.
  const h5::Storage rows_storage{compress, true};
  orgs_ = h5::create_group(root, "organizations", ctx_);
  row_ds_.push_back(h5::create_dataset(orgs_.get(), "cell", storage_type(model::ColumnKind::Count),
                                       rows_, ctx_, rows_storage));
  row_ds_.push_back(
      h5::create_dataset(orgs_.get(), "organization", H5T_STD_U64LE, rows_, ctx_, rows_storage));
  for (const auto& c : columns_)
    row_ds_.push_back(
        h5::create_dataset(orgs_.get(), c.name, storage_type(c.kind), rows_, ctx_, rows_storage));
  const h5::Storage block_storage{true, true, kBlockChunk};

  const std::uint64_t nb = end_block_ - first_block_;
  blocks_ = h5::create_group(root, "blocks", ctx_);
  for (const char* name : kBlockFields)
    block_ds_.push_back(
        h5::create_dataset(blocks_.get(), name, H5T_STD_U64LE, nb, ctx_, block_storage));
  acc_ = h5::create_group(blocks_.get(), "accumulators", ctx_);
  for (const auto& c : columns_) {
    h5::Handle g = h5::create_group(acc_.get(), c.name, ctx_);
    for (const char* name : kAccFields)
      acc_ds_.push_back(h5::create_dataset(g.get(), name, H5T_IEEE_F64LE, nb, ctx_, block_storage));
  }
}

PartWriter::File::~File() {
  if (!finished_) discard();
}

void PartWriter::File::discard() noexcept {
  acc_ds_.clear();
  block_ds_.clear();
  row_ds_.clear();
  acc_.reset();
  blocks_.reset();
  orgs_.reset();
  file_.reset();
  std::error_code ec;
  fs::remove(tmp_, ec);
}

void PartWriter::File::write(const std::vector<Buffered>& blocks, const std::vector<double>& rows,
                             const std::vector<stats::Accumulator>& acc) {
  TRIBE_CHECK(!finished_, "blocks reach a part file already finished");
  h5::quiet_errors();  // the writer thread
  if (blocks.empty()) return;
  TRIBE_CHECK(
      blocks.front().index == first_block_ + blocks_done_ && blocks.back().index < end_block_,
      "blocks reach a part out of order");
  const std::size_t ncol = columns_.size(), nb = blocks.size();
  std::uint64_t n = 0;
  for (const auto& b : blocks) n += b.block.count;
  TRIBE_CHECK(rows_done_ + n <= rows_ && rows.size() == n * ncol && acc.size() == nb * ncol,
              "blocks do not fit their part file");
  // Rows, one column at a time.
  std::vector<double> col(n);
  std::vector<std::uint64_t> org(n);
  std::uint64_t r = 0;
  for (const auto& b : blocks)
    for (std::uint64_t i = 0; i < b.block.count; ++i, ++r) {
      col[r] = static_cast<double>(b.block.cell);
      org[r] = b.block.first + i;
    }
  write_column_rows(row_ds_[0].get(), model::ColumnKind::Count, col, rows_done_, ctx_);
  h5::write_rows(row_ds_[1].get(), H5T_NATIVE_UINT64, org.data(), rows_done_, n, ctx_);
  for (std::size_t c = 0; c < ncol; ++c) {
    for (r = 0; r < n; ++r) col[r] = rows[r * ncol + c];
    write_column_rows(row_ds_[2 + c].get(), columns_[c].kind, col, rows_done_, ctx_);
  }
  // Each block's place in the plan and its accumulators.
  std::vector<std::uint64_t> u(nb);
  for (std::size_t f = 0; f < block_ds_.size(); ++f) {
    for (std::size_t b = 0; b < nb; ++b) {
      const auto& bl = blocks[b];
      const std::uint64_t v[4] = {bl.index, bl.block.cell, bl.block.first, bl.block.count};
      u[b] = v[f];
    }
    h5::write_rows(block_ds_[f].get(), H5T_NATIVE_UINT64, u.data(), blocks_done_, nb, ctx_);
  }
  std::vector<double> d(nb);
  for (std::size_t c = 0; c < ncol; ++c)
    for (std::size_t f = 0; f < 7; ++f) {
      for (std::size_t b = 0; b < nb; ++b) d[b] = field(acc[b * ncol + c], f);
      h5::write_rows(acc_ds_[c * 7 + f].get(), H5T_NATIVE_DOUBLE, d.data(), blocks_done_, nb, ctx_);
    }
  rows_done_ += n;
  blocks_done_ += nb;
}

void PartWriter::File::finish() {
  TRIBE_CHECK(!finished_, "a part file finished twice");
  TRIBE_CHECK(blocks_done_ == end_block_ - first_block_ && rows_done_ == rows_,
              "a part file is finished without all its blocks");
  const std::string what = "cannot write part file (disk full?)";
  for (auto* group : {&row_ds_, &block_ds_, &acc_ds_})
    for (auto& ds : *group) h5::close_checked(ds, ctx_, what);
  h5::close_checked(acc_, ctx_, what);
  h5::close_checked(blocks_, ctx_, what);
  h5::close_checked(orgs_, ctx_, what);
  close_file_checked(file_, tmp_, ctx_);
  {
    // Every column must be there, whole (metadata only: the data itself was checked
    // when each dataset was closed).
    h5::Handle back = h5::checked(H5Fopen(tmp_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose,
                                  ctx_, "the part just written cannot be read back (disk full?)");
    h5::Handle g = h5::open_group(back.get(), "organizations", ctx_);
    for (const auto& name : h5::list(g.get(), ctx_)) {
      h5::Handle ds = h5::checked(H5Dopen2(g.get(), name.c_str(), H5P_DEFAULT), H5Dclose, ctx_,
                                  "the part just written cannot be read back (disk full?)");
      if (h5::length(ds.get(), ctx_) != rows_)
        throw EnvironmentError(ctx_ + ": the part just written is short (disk full?)");
    }
  }
  // Durable before it becomes visible under its final name.
  sync_path(tmp_);
  std::error_code ec;
  fs::rename(tmp_, path_, ec);
  if (ec) throw EnvironmentError(ctx_ + ": cannot rename part file: " + ec.message());
  if (path_.has_parent_path()) sync_path(path_.parent_path());
  finished_ = true;
}

PartWriter::PartWriter(fs::path directory, const design::RunPlan& plan, std::uint64_t round,
                       std::uint64_t rows_per_part)
    : directory_(std::move(directory)), plan_(plan), round_(round), rows_per_part_(rows_per_part) {
  h5::quiet_errors();
  if (!directory_.empty()) {
    std::error_code ec;
    fs::create_directories(directory_, ec);
    if (ec)
      throw EnvironmentError(directory_.string() +
                             ": cannot create the directory of part files: " + ec.message());
  }
}

PartWriter::PartWriter(const SingleFile& target, const design::RunPlan& plan,
                       std::uint64_t rows_per_part)
    : plan_(plan), round_(0), rows_per_part_(rows_per_part) {
  h5::quiet_errors();
  std::uint64_t rows = 0;
  rows = plan.organizations_in(target.first_block, target.end_block);
  single_ = std::make_unique<File>(target.path, plan, 0, target.first_block, target.end_block, rows,
                                   true);
}

PartWriter::~PartWriter() = default;

void PartWriter::consume(const exec::BlockRows& rows) {
  TRIBE_CHECK(blocks_.empty() || rows.index == blocks_.back().index + 1,
              "blocks reach a part out of order");
  TRIBE_CHECK(rows.accumulators.size() == rows.columns, "a block without accumulators");
  blocks_.push_back({rows.block, rows.index});
  rows_.insert(rows_.end(), rows.values.begin(), rows.values.end());
  acc_.insert(acc_.end(), rows.accumulators.begin(), rows.accumulators.end());
  buffered_rows_ += rows.block.count;
  peak_buffered_rows_ = std::max(peak_buffered_rows_, buffered_rows_);
  if (buffered_rows_ >= rows_per_part_) flush();
}

void PartWriter::flush() {
  if (blocks_.empty()) return;
  if (single_) {
    single_->write(blocks_, rows_, acc_);
  } else {
    const std::uint64_t first = blocks_.front().index, end = blocks_.back().index + 1;
    File part(directory_ / part_name(round_, first, end), plan_, round_, first, end, buffered_rows_,
              false);
    part.write(blocks_, rows_, acc_);
    part.finish();
  }
  rows_written_ += buffered_rows_;
  buffered_rows_ = 0;
  blocks_.clear();
  rows_.clear();
  acc_.clear();
}

void PartWriter::finish() {
  flush();
  if (single_) single_->finish();
}

PartInfo read_part_info(const fs::path& path) {
  const std::string ctx = path.string();
  const h5::Handle f = open_checked(
      path, FileKind{kPartFiletype, "part or shard file", "part", {version::kResultFormat[0]}});
  const hid_t root = f.get();
  validate_part_header(root, ctx);
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
  if (p.end_block <= p.first_block)
    damaged(ctx, "attributes first_block = " + std::to_string(p.first_block) +
                     " and end_block = " + std::to_string(p.end_block) + " hold no blocks");
  validate_part_layout(root, ctx, p.rows, p.end_block - p.first_block);
  return p;
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
    if (!damaged_parts) {
      parts.push_back(read_part_info(e.path()));
      continue;
    }
    try {
      parts.push_back(read_part_info(e.path()));
    } catch (const InputError& err) {
      damaged_parts->push_back({e.path(), err.what()});
    }
  }
  std::sort(parts.begin(), parts.end(), [](const PartInfo& a, const PartInfo& b) {
    return a.round != b.round ? a.round < b.round : a.first_block < b.first_block;
  });
  return parts;
}

void check_belongs(const PartInfo& p, const design::RunPlan& plan) {
  const auto& x = plan.experiment();
  const std::string who = p.path.string() + " does not belong to this run: ";
  if (p.experiment != x.source_text)
    throw InputError(who + "it was made from another experiment file");
  if (p.seed != x.seed)
    throw InputError(who + "seed " + std::to_string(p.seed) + " vs " + std::to_string(x.seed));
  if (p.organizations_per_cell != plan.organizations_per_cell())
    throw InputError(who + "organizations per cell " + std::to_string(p.organizations_per_cell) +
                     " vs " + std::to_string(plan.organizations_per_cell()));
  if (p.block_size != plan.block_size() || p.cells != plan.cells().size())
    throw InputError(who + "another block size or number of cells");
  if (p.engine_version != version::engine())
    throw InputError(who + "engine version " + p.engine_version + " vs " +
                     std::string(version::engine()));
  if (p.model != x.model->name() || p.model_version != x.model->version())
    throw InputError(who + "model " + p.model + " " + p.model_version + " vs " +
                     std::string(x.model->name()) + " " + std::string(x.model->version()));
}

void check_coverage(const std::vector<PartInfo>& parts, const design::RunPlan& plan) {
  std::vector<const PartInfo*> round0;
  for (const auto& p : parts)
    if (p.round == 0) round0.push_back(&p);
  std::sort(round0.begin(), round0.end(),
            [](auto a, auto b) { return a->first_block < b->first_block; });
  auto describe = [&](std::uint64_t a, std::uint64_t b) {
    const auto first = plan.block(a), last = plan.block(b - 1);
    return "blocks [" + std::to_string(a) + ", " + std::to_string(b) + ") (organizations " +
           std::to_string(first.first) + " of cell " + std::to_string(first.cell) + " to " +
           std::to_string(last.first + last.count - 1) + " of cell " + std::to_string(last.cell) +
           ")";
  };
  std::uint64_t next = 0;
  const PartInfo* previous = nullptr;
  for (const auto* p : round0) {
    if (p->first_block < next)
      throw InputError(
          "overlapping parts: " + describe(p->first_block, std::min(next, p->end_block)) +
          " are in both " + previous->path.string() + " and " + p->path.string());
    if (p->first_block > next)
      throw InputError("missing part: " + describe(next, p->first_block) +
                       " are in none of the files (before " + p->path.string() + ")");
    next = p->end_block;
    previous = p;
  }
  if (next < plan.block_count())
    throw InputError("missing part: " + describe(next, plan.block_count()) +
                     " are in none of the files");
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

void for_each_block(const PartInfo& part, const design::RunPlan& plan,
                    const std::function<void(const exec::BlockRows&)>& f) {
  h5::quiet_errors();
  const std::string ctx = part.path.string();
  const auto specs = plan.experiment().model->columns();
  const std::size_t columns = specs.size();
  h5::Handle file(H5Fopen(part.path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!file)
    throw DamagedFileError(ctx + ": cannot open part file (truncated or corrupt?)" +
                           h5::error_detail());
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
    for (const char* fname : kAccFields)
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

exec::RunResult assemble(const std::vector<PartInfo>& parts, const design::RunPlan& plan,
                         ResultWriter& writer) {
  const std::size_t columns = plan.experiment().model->columns().size();
  exec::RunResult result;
  result.cells.resize(plan.cells().size());
  for (auto& c : result.cells) c.columns.resize(columns);
  for (const auto& p : parts) {
    check_belongs(p, plan);
    for_each_block(p, plan, [&](const exec::BlockRows& rows) {
      // The same ordered reduction as a single uninterrupted run: block by block.
      exec::merge_block(result.cells, rows.block, rows.accumulators);
      exec::append_segment(result.segments, rows.block);
      result.organizations += rows.block.count;
      writer.consume(rows);
    });
  }
  return result;
}

}  // namespace tribe::io

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

namespace tribe::io {
namespace fs = std::filesystem;

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
  file_ = h5::create_file(tmp_.string(), ctx_,
                          "cannot create part file (directory missing or not writable?)");
  try {
    create(plan, round, compress);
  } catch (...) {
    discard();
    throw;
  }
}

void PartWriter::File::create(const design::RunPlan& plan, std::uint64_t round, bool compress) {
  const hid_t root = file_.get();
  write_run_header(root, kPartFiletype, version::kResultFormat, plan, ctx_);
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
  for (const char* name : kPartBlockFields)
    block_ds_.push_back(
        h5::create_dataset(blocks_.get(), name, H5T_STD_U64LE, nb, ctx_, block_storage));
  acc_ = h5::create_group(blocks_.get(), "accumulators", ctx_);
  for (const auto& c : columns_) {
    h5::Handle g = h5::create_group(acc_.get(), c.name, ctx_);
    for (const char* name : kPartAccumulatorFields)
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
  // The digest of the header's strings (the experiment, the model): outside the
  // checksummed chunks, a flipped bit in them must not pass for another run's part.
  std::uint64_t digest = 0;
  if (!h5::string_digest(file_.get(), digest))
    throw EnvironmentError(ctx_ + ": cannot read back the strings just written");
  h5::write_attribute(file_.get(), "string_digest", digest, ctx_);
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
    refuse_symlink(directory_, "directory of part files");
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

}  // namespace tribe::io

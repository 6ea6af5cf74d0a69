#include "tribe/io/result_file.hpp"

#include <fcntl.h>
#include <hdf5_hl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <fstream>
#include <system_error>

#include "tribe/catalog/library.hpp"
#include "tribe/core/error.hpp"
#include "tribe/core/provenance.hpp"
#include "tribe/core/version.hpp"
#include "tribe/io/file_sync.hpp"
#include "tribe/io/validate.hpp"
#include "tribe/stats/intervals.hpp"

namespace tribe::io {
namespace fs = std::filesystem;
using model::ColumnKind;
using model::ParamType;

namespace {

constexpr std::uint64_t kChunkRows = 65536;

/// Values of a column kind in its storage type (0/1 and 32-bit counts checked), for H5Dwrite.
struct Converted {
  hid_t mem_type = H5T_NATIVE_DOUBLE;
  std::vector<std::uint8_t> u8;
  std::vector<std::uint32_t> u32;
  const void* data = nullptr;
};

/// Copies `values` into `out` as T, checking each with `fits` (integers and 0/1 pass
/// through doubles exactly).
template <class T, class Fits>
const void* narrow(std::span<const double> values, std::vector<T>& out, Fits fits,
                   const char* what) {
  out.resize(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    TRIBE_CHECK(fits(values[i]), what);
    out[i] = static_cast<T>(values[i]);
  }
  return out.data();
}

Converted convert(ColumnKind kind, std::span<const double> values) {
  Converted c;
  switch (kind) {
    case ColumnKind::Binary:
      c.mem_type = H5T_NATIVE_UINT8;
      c.data = narrow(
          values, c.u8, [](double v) { return v == 0.0 || v == 1.0; },
          "binary column holds a value other than 0/1");
      break;
    case ColumnKind::Count:
      c.mem_type = H5T_NATIVE_UINT32;
      c.data = narrow(
          values, c.u32,
          [](double v) { return v >= 0.0 && v <= 4294967295.0 && v == std::floor(v); },
          "count column holds a value that is not a 32-bit count");
      break;
    case ColumnKind::Real:
      c.data = values.data();
      break;
  }
  return c;
}

/// An organizations x time dataset of a series: chunked by whole rows (about kChunkRows
/// values a chunk), byte-shuffled and deflated like the columns.
h5::Handle create_series(hid_t parent, const std::string& name, hid_t file_type,
                         std::uint64_t times, const std::string& ctx) {
  const hsize_t dims[2] = {0, times}, maxdims[2] = {H5S_UNLIMITED, times};
  const hsize_t chunk[2] = {std::max<hsize_t>(1, kChunkRows / times), times};
  h5::Handle space =
      h5::checked(H5Screate_simple(2, dims, maxdims), H5Sclose, ctx, "cannot create dataspace");
  h5::Handle dcpl =
      h5::checked(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, ctx, "cannot create property list");
  H5Pset_chunk(dcpl.get(), 2, chunk);
  H5Pset_shuffle(dcpl.get());
  H5Pset_deflate(dcpl.get(), 1);
  return h5::checked(H5Dcreate2(parent, name.c_str(), file_type, space.get(), H5P_DEFAULT,
                                dcpl.get(), H5P_DEFAULT),
                     H5Dclose, ctx, "cannot create dataset " + name);
}

/// Writes rows [start, start + n) of a 2-D dataset from row-major values (n x columns).
void write_matrix(hid_t dataset, hid_t mem_type, const void* data, std::uint64_t start,
                  std::uint64_t n, std::uint64_t columns, bool extend, const std::string& ctx) {
  if (extend) {
    const hsize_t size[2] = {start + n, columns};
    h5::check(H5Dset_extent(dataset, size), ctx, "cannot extend dataset (disk full?)");
  }
  if (n == 0) return;
  const hsize_t first[2] = {start, 0}, count[2] = {n, columns};
  h5::Handle fspace = h5::checked(H5Dget_space(dataset), H5Sclose, ctx, "cannot get dataspace");
  h5::check(H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, first, nullptr, count, nullptr), ctx,
            "cannot select rows");
  h5::Handle mspace =
      h5::checked(H5Screate_simple(2, count, nullptr), H5Sclose, ctx, "cannot create dataspace");
  h5::check(H5Dwrite(dataset, mem_type, mspace.get(), fspace.get(), H5P_DEFAULT, data), ctx,
            "cannot write rows (disk full?)");
}

/// A small contiguous 2-D dataset (a series' statistics: cells x time).
void write_matrix_dataset(hid_t parent, const std::string& name, hid_t file_type, hid_t mem_type,
                          const void* data, std::uint64_t rows, std::uint64_t columns,
                          const std::string& ctx) {
  const hsize_t dims[2] = {rows, columns};
  h5::Handle space =
      h5::checked(H5Screate_simple(2, dims, nullptr), H5Sclose, ctx, "cannot create dataspace");
  h5::Handle ds = h5::checked(H5Dcreate2(parent, name.c_str(), file_type, space.get(), H5P_DEFAULT,
                                         H5P_DEFAULT, H5P_DEFAULT),
                              H5Dclose, ctx, "cannot create dataset " + name);
  if (rows * columns > 0)
    h5::check(H5Dwrite(ds.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), ctx,
              "cannot write " + name);
}

/// Makes /time/<series> a dimension scale (once) and attaches it to dimension 1 of `dataset`.
void attach_time_scale(hid_t file, hid_t dataset, const std::string& series,
                       const std::string& ctx) {
  h5::Handle scale = h5::checked(H5Dopen2(file, ("time/" + series).c_str(), H5P_DEFAULT), H5Dclose,
                                 ctx, "cannot open /time/" + series);
  if (H5DSis_scale(scale.get()) <= 0)
    h5::check(H5DSset_scale(scale.get(), "t"), ctx, "cannot make a dimension scale");
  h5::check(H5DSattach_scale(dataset, scale.get(), 1), ctx,
            "cannot attach the time axis of " + series);
  h5::check(H5DSset_label(dataset, 1, "t"), ctx, "cannot label a dimension");
}

/// Statistics of one column over the organizations of each cell, as /cells/stats holds them.
struct ColumnStatistics {
  std::vector<std::uint64_t> n, missing, successes;
  std::vector<double> mean, sd, ci_low, ci_high, min, max, rate, rate_low, rate_high;
};

ColumnStatistics column_statistics(const exec::RunResult& result, std::size_t col,
                                   ColumnKind kind) {
  const std::size_t cells = result.cells.size();
  ColumnStatistics s;
  for (auto* v : {&s.n, &s.missing, &s.successes}) v->resize(cells);
  for (auto* v :
       {&s.mean, &s.sd, &s.ci_low, &s.ci_high, &s.min, &s.max, &s.rate, &s.rate_low, &s.rate_high})
    v->resize(cells);
  for (std::size_t c = 0; c < cells; ++c) {
    const stats::Accumulator& a = result.cells[c].columns[col];
    s.n[c] = a.n;
    s.missing[c] = a.missing;
    s.mean[c] = a.n ? a.mean : NAN;
    s.sd[c] = a.sd();
    const auto ci = stats::mean_interval(s.mean[c], s.sd[c], a.n, kConfidence);
    s.ci_low[c] = ci.low;
    s.ci_high[c] = ci.high;
    s.min[c] = a.n ? a.min : NAN;
    s.max[c] = a.n ? a.max : NAN;
    if (kind == ColumnKind::Binary) {
      s.successes[c] = static_cast<std::uint64_t>(a.sum);
      const auto w = stats::wilson(s.successes[c], a.n, kConfidence);
      s.rate[c] = w.estimate;
      s.rate_low[c] = w.low;
      s.rate_high[c] = w.high;
    }
  }
  return s;
}

}  // namespace

std::vector<StoredColumn> stored_columns(std::span<const model::ColumnSpec> columns) {
  std::vector<StoredColumn> out;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const auto& col = columns[c];
    if (!col.series.empty() && !out.empty() && out.back().series() &&
        out.back().name == col.series && out.back().first + out.back().count == c) {
      out.back().count += 1;
      out.back().times.push_back(col.time);
      continue;
    }
    if (col.series.empty())
      out.push_back({col.name, c, 1, {}});
    else
      out.push_back({col.series, c, 1, {col.time}});
  }
  return out;
}

hid_t storage_type(ColumnKind k) {
  switch (k) {
    case ColumnKind::Binary:
      return H5T_STD_U8LE;
    case ColumnKind::Count:
      return H5T_STD_U32LE;
    case ColumnKind::Real:
      return H5T_IEEE_F64LE;
  }
  return H5T_IEEE_F64LE;
}

void check_output_target(const fs::path& target, bool overwrite) {
  const std::string p = target.string();
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::exists(dir, ec))
    throw EnvironmentError(p + ": output directory " + dir.string() + " does not exist");
  if (!fs::is_directory(dir, ec))
    throw EnvironmentError(p + ": " + dir.string() + " is not a directory");
  {
    // Probe by creating a file: access(2) says yes to root even on read-only or
    // pseudo file systems.
    const fs::path probe = dir / (".tribe-probe-" + std::to_string(::getpid()));
    const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
      throw EnvironmentError(p + ": output directory " + dir.string() + " is not writable (" +
                             std::strerror(errno) + ")");
    ::close(fd);
    ::unlink(probe.c_str());
  }
  if (fs::exists(target, ec)) {
    if (fs::is_directory(target, ec)) throw EnvironmentError(p + ": is a directory");
    if (!overwrite)
      throw EnvironmentError(p + ": file already exists; pass --overwrite to replace it");
  }
}

void write_column_rows(hid_t dataset, ColumnKind kind, std::span<const double> values,
                       std::uint64_t start, const std::string& ctx) {
  // Integers and 0/1 pass through doubles exactly.
  const std::uint64_t n = values.size();
  switch (kind) {
    case ColumnKind::Binary: {
      std::vector<std::uint8_t> v(n);
      for (std::uint64_t i = 0; i < n; ++i) {
        TRIBE_CHECK(values[i] == 0.0 || values[i] == 1.0,
                    "binary column holds a value other than 0/1");
        v[i] = static_cast<std::uint8_t>(values[i]);
      }
      h5::write_rows(dataset, H5T_NATIVE_UINT8, v.data(), start, n, ctx);
      return;
    }
    case ColumnKind::Count: {
      std::vector<std::uint32_t> v(n);
      for (std::uint64_t i = 0; i < n; ++i) {
        TRIBE_CHECK(
            values[i] >= 0.0 && values[i] <= 4294967295.0 && values[i] == std::floor(values[i]),
            "count column holds a value that is not a 32-bit count");
        v[i] = static_cast<std::uint32_t>(values[i]);
      }
      h5::write_rows(dataset, H5T_NATIVE_UINT32, v.data(), start, n, ctx);
      return;
    }
    case ColumnKind::Real:
      h5::write_rows(dataset, H5T_NATIVE_DOUBLE, values.data(), start, n, ctx);
      return;
  }
}

void write_run_header(hid_t root, std::string_view filetype,
                      std::span<const std::uint32_t> format_version, const design::RunPlan& plan,
                      const std::string& ctx) {
  const auto& x = plan.experiment();
  h5::write_attribute(root, "filetype", filetype, ctx);
  h5::write_attribute(root, "format_version",
                      std::vector<std::uint32_t>(format_version.begin(), format_version.end()),
                      ctx);
  h5::write_attribute(root, "engine_version", version::engine(), ctx);
  h5::write_attribute(root, "git_sha1", version::git_sha1(), ctx);
  h5::write_attribute(root, "seed", x.seed, ctx);
  h5::write_attribute(root, "experiment", x.source_text, ctx);
  h5::write_attribute(root, "experiment_path", x.source_path, ctx);
  h5::write_attribute(root, "model", x.model->name(), ctx);
  h5::write_attribute(root, "model_version", x.model->version(), ctx);
  // A model loaded at run time: which library, which bytes, built against which engine.
  if (const catalog::ModelLibrary* library = catalog::library_of(*x.model)) {
    h5::write_attribute(root, "model_library", library->path, ctx);
    h5::write_attribute(root, "model_library_checksum", library->checksum, ctx);
    h5::write_attribute(root, "model_library_engine_version", library->engine_version, ctx);
  }
  h5::write_attribute(root, "organizations_per_cell", plan.organizations_per_cell(), ctx);
  h5::write_attribute(root, "cells", static_cast<std::uint64_t>(plan.cells().size()), ctx);
  h5::write_attribute(root, "block_size", plan.block_size(), ctx);
}

ResultWriter::ResultWriter(fs::path target, const design::RunPlan& plan, bool overwrite)
    : target_(std::move(target)), plan_(plan), ctx_(target_.string()) {
  h5::quiet_errors();
  check_output_target(target_, overwrite);
  temp_ = target_;
  temp_ += ".partial";
  refuse_symlink(temp_, "temporary file of the output");
  file_ = h5::create_file(temp_.string(), ctx_,
                          "cannot create temporary file " + temp_.string() +
                              " (locked by another process, or not writable?)");
  const hid_t root = file_.get();
  const auto& x = plan.experiment();
  const auto& model = *x.model;
  stored_ = stored_columns(model.columns());
  bool has_series = false;
  for (const auto& s : stored_) has_series = has_series || s.series();
  write_run_header(root, version::kResultFiletype,
                   has_series ? version::kResultFormatSeries : version::kResultFormat, plan, ctx_);
  h5::write_attribute(root, "compiler", version::compiler(), ctx_);
  h5::write_attribute(root, "build_flags", version::build_flags(), ctx_);
  h5::write_attribute(root, "created", provenance::utc_now(), ctx_);
  h5::write_attribute(root, "hostname", provenance::hostname(), ctx_);
  h5::write_attribute(root, "rng_scheme", version::kRngScheme, ctx_);
  h5::write_attribute(root, "common_random_numbers", std::uint64_t{x.common_random_numbers}, ctx_);
  h5::write_attribute(root, "experiment_name", x.name, ctx_);
  h5::write_attribute(root, "complete", std::uint64_t{0}, ctx_);

  org_group_ = h5::create_group(root, "organizations", ctx_);
  h5::write_attribute(org_group_.get(), "description",
                      "one row per organization, cell-major, in organization order", ctx_);
  datasets_.push_back(
      h5::create_extendible(org_group_.get(), "cell", H5T_STD_U32LE, kChunkRows, ctx_));
  h5::write_attribute(datasets_.back().get(), "description", "index of the organization's cell",
                      ctx_);
  datasets_.push_back(
      h5::create_extendible(org_group_.get(), "organization", H5T_STD_U64LE, kChunkRows, ctx_));
  h5::write_attribute(datasets_.back().get(), "description",
                      "index of the organization within its cell (its random-stream index)", ctx_);
  const auto columns = model.columns();
  h5::Handle time_group;
  for (const auto& st : stored_) {
    const auto& col = columns[st.first];
    if (!st.series()) {
      datasets_.push_back(h5::create_extendible(org_group_.get(), st.name, storage_type(col.kind),
                                                kChunkRows, ctx_));
    } else {
      // One organizations x time dataset; its time axis is the dimension scale /time/<series>.
      datasets_.push_back(
          create_series(org_group_.get(), st.name, storage_type(col.kind), st.count, ctx_));
      if (!time_group) {
        time_group = h5::create_group(root, "time", ctx_);
        h5::write_attribute(
            time_group.get(), "description",
            "time axes of the series in /organizations and /cells/stats (dimension scales)", ctx_);
      }
      h5::write_dataset(time_group.get(), st.name, H5T_STD_U32LE, H5T_NATIVE_UINT32,
                        st.times.data(), st.count, ctx_);
      attach_time_scale(file_.get(), datasets_.back().get(), st.name, ctx_);
      h5::check(H5DSset_label(datasets_.back().get(), 0, "organization"), ctx_,
                "cannot label a dimension");
    }
    h5::write_attribute(datasets_.back().get(), "description", col.description, ctx_);
    h5::write_attribute(datasets_.back().get(), "kind", model::to_string(col.kind), ctx_);
    h5::write_attribute(datasets_.back().get(), "role", model::to_string(col.role), ctx_);
  }
  buffers_.resize(2 + columns.size());
  for (auto& b : buffers_) b.reserve(kChunkRows);
  // The header and the "complete = 0" mark reach the disk before any work starts.
  h5::check(H5Fflush(root, H5F_SCOPE_GLOBAL), ctx_, "cannot write file (disk full?)");
}

ResultWriter::~ResultWriter() {
  if (finished_) return;
  datasets_.clear();
  org_group_.reset();
  file_.reset();
  std::error_code ec;
  fs::remove(temp_, ec);
}

void ResultWriter::consume(const exec::BlockRows& rows) {
  const std::size_t columns = rows.columns;
  for (std::uint64_t i = 0; i < rows.block.count; ++i) {
    buffers_[0].push_back(static_cast<double>(rows.block.cell));
    buffers_[1].push_back(static_cast<double>(rows.block.first + i));
    const double* row = rows.values.data() + i * columns;
    for (std::size_t c = 0; c < columns; ++c) buffers_[2 + c].push_back(row[c]);
    if (buffers_[0].size() == kChunkRows) flush_rows();
  }
}

void ResultWriter::flush_rows() {
  const std::uint64_t n = buffers_[0].size();
  if (n == 0) return;
  const auto columns = plan_.experiment().model->columns();
  const std::string ctx = ctx_ + ": /organizations";
  // A whole, aligned chunk of each 1-D dataset is filtered on several threads and written
  // directly (h5::write_chunks); a partial one (the last) goes through HDF5's pipeline.
  const bool whole = n == kChunkRows && written_ % kChunkRows == 0;
  std::vector<h5::ChunkWrite> chunks;
  std::vector<Converted> converted;  // kept alive until the chunks are written
  converted.reserve(2 + stored_.size());
  const auto write_column = [&](hid_t ds, hid_t mem_type, const void* data) {
    h5::extend(ds, written_ + n, ctx);
    if (whole)
      chunks.push_back(h5::ChunkWrite{ds, mem_type, data, n, written_});
    else
      h5::write_rows(ds, mem_type, data, written_, n, ctx);
  };
  converted.push_back(convert(ColumnKind::Count, buffers_[0]));
  write_column(datasets_[0].get(), converted.back().mem_type, converted.back().data);
  const std::vector<std::uint64_t> u64(buffers_[1].begin(), buffers_[1].end());
  write_column(datasets_[1].get(), H5T_NATIVE_UINT64, u64.data());
  std::vector<double> matrix;
  for (std::size_t k = 0; k < stored_.size(); ++k) {
    const auto& st = stored_[k];
    const hid_t ds = datasets_[2 + k].get();
    const ColumnKind kind = columns[st.first].kind;
    if (!st.series()) {
      converted.push_back(convert(kind, buffers_[2 + st.first]));
      write_column(ds, converted.back().mem_type, converted.back().data);
      continue;
    }
    matrix.resize(n * st.count);  // row-major: organization by organization
    for (std::size_t j = 0; j < st.count; ++j) {
      const auto& buf = buffers_[2 + st.first + j];
      for (std::uint64_t r = 0; r < n; ++r) matrix[r * st.count + j] = buf[r];
    }
    const Converted v = convert(kind, matrix);
    write_matrix(ds, v.mem_type, v.data, written_, n, st.count, true, ctx);
  }
  if (!chunks.empty()) h5::write_chunks(chunks, compression_threads_, ctx);
  written_ += n;
  for (auto& b : buffers_) b.clear();
}

void ResultWriter::write_cells(const exec::RunResult& result) {
  TRIBE_CHECK(!cells_written_ && !finished_, "the cell table written twice");
  flush_rows();
  const auto& x = plan_.experiment();
  const auto specs = x.model->parameters();
  const auto columns = x.model->columns();
  const auto& cells = plan_.cells();
  const std::size_t n = cells.size();
  const std::string ctx = ctx_ + ": /cells";
  h5::Handle group = h5::create_group(file_.get(), "cells", ctx_);
  std::vector<std::string> factor_names;
  for (const auto& f : x.factors) factor_names.push_back(f.name);
  h5::write_attribute(group.get(), "factors", factor_names, ctx);
  h5::write_attribute(group.get(), "confidence", kConfidence, ctx);

  std::vector<std::string> labels;
  std::vector<std::uint64_t> orgs;
  for (std::size_t c = 0; c < n; ++c) {
    labels.push_back(cells[c].label(x));
    const auto& acc = result.cells[c].columns;
    orgs.push_back(acc.empty() ? 0 : acc[0].n + acc[0].missing);
  }
  h5::write_strings(group.get(), "label", labels, ctx);
  h5::write_dataset(group.get(), "organizations", H5T_STD_U64LE, H5T_NATIVE_UINT64, orgs.data(), n,
                    ctx);
  {  // which organizations of which cell each run of rows holds, in row order
    h5::Handle sg = h5::create_group(group.get(), "segments", ctx);
    h5::write_attribute(
        sg.get(), "description",
        "rows of /organizations come in segments: organizations [first, first + count) of cell, "
        "in this order",
        ctx);
    std::vector<std::uint64_t> sc, sf, sn;
    for (const auto& s : result.segments) {
      sc.push_back(s.cell);
      sf.push_back(s.first);
      sn.push_back(s.count);
    }
    h5::write_dataset(sg.get(), "cell", H5T_STD_U64LE, H5T_NATIVE_UINT64, sc.data(), sc.size(),
                      ctx);
    h5::write_dataset(sg.get(), "first", H5T_STD_U64LE, H5T_NATIVE_UINT64, sf.data(), sf.size(),
                      ctx);
    h5::write_dataset(sg.get(), "count", H5T_STD_U64LE, H5T_NATIVE_UINT64, sn.data(), sn.size(),
                      ctx);
  }

  {  // every parameter of every cell: the full specification of what was simulated
    h5::Handle params = h5::create_group(group.get(), "parameters", ctx);
    for (std::size_t p = 0; p < specs.size(); ++p) {
      const auto& s = specs[p];
      if (s.type == ParamType::Choice) {
        std::vector<std::string> v;
        for (const auto& cell : cells) v.push_back(model::format_value(s, cell.values[p]));
        h5::write_strings(params.get(), s.name, v, ctx);
      } else {
        std::vector<double> v;
        for (const auto& cell : cells) v.push_back(cell.values[p]);
        h5::write_dataset(params.get(), s.name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v.data(), n,
                          ctx);
      }
      h5::write_attribute(params.get(), s.name, s.description, ctx);
      // The parameter's type (1.3): readers give integers and booleans back as such.
      h5::Handle ds = h5::checked(H5Dopen2(params.get(), s.name.c_str(), H5P_DEFAULT), H5Dclose,
                                  ctx, "cannot open /cells/parameters/" + s.name);
      h5::write_attribute(ds.get(), "type", std::string(model::to_string(s.type)), ctx);
    }
  }

  h5::Handle stats_group = h5::create_group(group.get(), "stats", ctx);
  for (const auto& st : stored_) {
    const auto& spec = columns[st.first];
    const bool binary = spec.kind == ColumnKind::Binary;
    h5::Handle g = h5::create_group(stats_group.get(), st.name, ctx);
    h5::write_attribute(g.get(), "kind", model::to_string(spec.kind), ctx);
    h5::write_attribute(g.get(), "description", spec.description, ctx);
    std::vector<ColumnStatistics> points;  // one per column the stored dataset holds
    for (std::size_t j = 0; j < st.count; ++j)
      points.push_back(column_statistics(result, st.first + j, spec.kind));
    // A plain column's statistics are 1-D (cells); a series' 2-D (cells x time, row-major).
    auto gather = [&](auto member) {
      using T = typename std::remove_reference_t<decltype(points[0].*member)>::value_type;
      std::vector<T> v(n * st.count);
      for (std::size_t c = 0; c < n; ++c)
        for (std::size_t j = 0; j < st.count; ++j) v[c * st.count + j] = (points[j].*member)[c];
      return v;
    };
    auto write = [&](const char* name, hid_t file_type, hid_t mem_type, const void* data) {
      if (!st.series()) {
        h5::write_dataset(g.get(), name, file_type, mem_type, data, n, ctx);
        return;
      }
      write_matrix_dataset(g.get(), name, file_type, mem_type, data, n, st.count, ctx);
      h5::Handle ds = h5::checked(H5Dopen2(g.get(), name, H5P_DEFAULT), H5Dclose, ctx,
                                  "cannot reopen a statistic");
      attach_time_scale(file_.get(), ds.get(), st.name, ctx);
      h5::check(H5DSset_label(ds.get(), 0, "cell"), ctx, "cannot label a dimension");
    };
    auto u64 = [&](const char* name, std::vector<std::uint64_t> ColumnStatistics::*member) {
      const auto v = gather(member);
      write(name, H5T_STD_U64LE, H5T_NATIVE_UINT64, v.data());
    };
    auto f64 = [&](const char* name, std::vector<double> ColumnStatistics::*member) {
      const auto v = gather(member);
      write(name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v.data());
    };
    u64("n", &ColumnStatistics::n);
    u64("missing", &ColumnStatistics::missing);
    f64("mean", &ColumnStatistics::mean);
    f64("sd", &ColumnStatistics::sd);
    f64("ci_low", &ColumnStatistics::ci_low);
    f64("ci_high", &ColumnStatistics::ci_high);
    f64("min", &ColumnStatistics::min);
    f64("max", &ColumnStatistics::max);
    if (binary) {
      u64("successes", &ColumnStatistics::successes);
      f64("rate", &ColumnStatistics::rate);
      f64("rate_low", &ColumnStatistics::rate_low);
      f64("rate_high", &ColumnStatistics::rate_high);
    }
  }
  cells_written_ = true;
}

hid_t ResultWriter::file() const {
  TRIBE_CHECK(cells_written_ && !finished_, "the result file is not open for its other groups");
  return file_.get();
}

void ResultWriter::finish(const RunInfo& info) {
  TRIBE_CHECK(cells_written_ && !finished_, "finish() before write_cells(), or twice");
  const hid_t root = file_.get();
  h5::write_attribute(root, "organizations", written_, ctx_);
  h5::write_attribute(root, "command_line", info.command_line, ctx_);
  h5::write_attribute(root, "backend", info.backend, ctx_);
  h5::write_attribute(root, "threads", std::uint64_t{info.threads}, ctx_);
  h5::write_attribute(root, "wall_seconds", info.wall_seconds, ctx_);
  for (const auto& [name, text] : info.sources) h5::write_attribute(root, name, text, ctx_);
  // Every string is written: their digest, then the mark that the file is complete (both
  // integers, in the root's checksummed object header).
  std::uint64_t digest = 0;
  if (!h5::string_digest(root, digest))
    throw EnvironmentError(ctx_ + ": cannot read back the strings just written");
  h5::write_attribute(root, "string_digest", digest, ctx_);
  h5::write_attribute(root, "complete", std::uint64_t{1}, ctx_);
  for (auto& d : datasets_) h5::close_checked(d, ctx_, "cannot write /organizations (disk full?)");
  datasets_.clear();
  h5::close_checked(org_group_, ctx_, "cannot write /organizations (disk full?)");
  close_file_checked(file_, temp_, ctx_);
  sync_path(temp_);
  std::error_code ec;
  fs::rename(temp_, target_, ec);
  if (ec) throw EnvironmentError(ctx_ + ": cannot rename " + temp_.string() + ": " + ec.message());
  finished_ = true;
}

}  // namespace tribe::io

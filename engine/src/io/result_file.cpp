#include "tribe/io/result_file.hpp"

#include "tribe/io/claims_file.hpp"
#include "tribe/io/part_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <fstream>
#include <system_error>

#include "tribe/core/error.hpp"
#include "tribe/core/provenance.hpp"
#include "tribe/core/version.hpp"
#include "tribe/stats/intervals.hpp"

namespace tribe::io {
namespace fs = std::filesystem;
using model::ColumnKind;
using model::ParamType;

namespace {

constexpr std::uint64_t kChunkRows = 65536;

}  // namespace

hid_t storage_type(ColumnKind k) {
  switch (k) {
    case ColumnKind::Binary: return H5T_STD_U8LE;
    case ColumnKind::Count: return H5T_STD_U32LE;
    case ColumnKind::Real: return H5T_IEEE_F64LE;
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


void write_column_rows(hid_t dataset, ColumnKind kind, std::span<const double> values, std::uint64_t start,
                       const std::string& ctx) {
  // Integers and 0/1 pass through doubles exactly.
  const std::uint64_t n = values.size();
  switch (kind) {
    case ColumnKind::Binary: {
      std::vector<std::uint8_t> v(n);
      for (std::uint64_t i = 0; i < n; ++i) {
        TRIBE_CHECK(values[i] == 0.0 || values[i] == 1.0, "binary column holds a value other than 0/1");
        v[i] = static_cast<std::uint8_t>(values[i]);
      }
      h5::write_rows(dataset, H5T_NATIVE_UINT8, v.data(), start, n, ctx);
      return;
    }
    case ColumnKind::Count: {
      std::vector<std::uint32_t> v(n);
      for (std::uint64_t i = 0; i < n; ++i) {
        TRIBE_CHECK(values[i] >= 0.0 && values[i] <= 4294967295.0 && values[i] == std::floor(values[i]),
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

ResultWriter::ResultWriter(fs::path target, const design::RunPlan& plan, bool overwrite)
    : target_(std::move(target)), plan_(plan), ctx_(target_.string()) {
  h5::quiet_errors();
  check_output_target(target_, overwrite);
  temp_ = target_;
  temp_ += ".partial";
  file_ = h5::checked(H5Fcreate(temp_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
                      ctx_, "cannot create temporary file " + temp_.string() +
                                " (locked by another process, or not writable?)");
  const hid_t root = file_.get();
  const auto& x = plan.experiment();
  const auto& model = *x.model;
  h5::write_attribute(root, "filetype", version::kResultFiletype, ctx_);
  h5::write_attribute(root, "format_version",
                      std::vector<std::uint32_t>(version::kResultFormat.begin(), version::kResultFormat.end()),
                      ctx_);
  h5::write_attribute(root, "engine_version", version::engine(), ctx_);
  h5::write_attribute(root, "git_sha1", version::git_sha1(), ctx_);
  h5::write_attribute(root, "compiler", version::compiler(), ctx_);
  h5::write_attribute(root, "build_flags", version::build_flags(), ctx_);
  h5::write_attribute(root, "created", provenance::utc_now(), ctx_);
  h5::write_attribute(root, "hostname", provenance::hostname(), ctx_);
  h5::write_attribute(root, "seed", x.seed, ctx_);
  h5::write_attribute(root, "rng_scheme", version::kRngScheme, ctx_);
  h5::write_attribute(root, "common_random_numbers", std::uint64_t{x.common_random_numbers}, ctx_);
  h5::write_attribute(root, "experiment", x.source_text, ctx_);
  h5::write_attribute(root, "experiment_name", x.name, ctx_);
  h5::write_attribute(root, "experiment_path", x.source_path, ctx_);
  h5::write_attribute(root, "model", model.name(), ctx_);
  h5::write_attribute(root, "model_version", model.version(), ctx_);
  h5::write_attribute(root, "organizations_per_cell", plan.organizations_per_cell(), ctx_);
  h5::write_attribute(root, "cells", static_cast<std::uint64_t>(plan.cells().size()), ctx_);
  h5::write_attribute(root, "block_size", plan.block_size(), ctx_);
  h5::write_attribute(root, "complete", std::uint64_t{0}, ctx_);

  org_group_ = h5::create_group(root, "organizations", ctx_);
  h5::write_attribute(org_group_.get(), "description",
                      "one row per organization, cell-major, in organization order", ctx_);
  datasets_.push_back(h5::create_extendible(org_group_.get(), "cell", H5T_STD_U32LE, kChunkRows, ctx_));
  h5::write_attribute(datasets_.back().get(), "description", "index of the organization's cell", ctx_);
  datasets_.push_back(h5::create_extendible(org_group_.get(), "organization", H5T_STD_U64LE, kChunkRows, ctx_));
  h5::write_attribute(datasets_.back().get(), "description",
                      "index of the organization within its cell (its random-stream index)", ctx_);
  for (const auto& col : model.columns()) {
    datasets_.push_back(h5::create_extendible(org_group_.get(), col.name, storage_type(col.kind), kChunkRows, ctx_));
    h5::write_attribute(datasets_.back().get(), "description", col.description, ctx_);
    h5::write_attribute(datasets_.back().get(), "kind", model::to_string(col.kind), ctx_);
    h5::write_attribute(datasets_.back().get(), "role", model::to_string(col.role), ctx_);
  }
  buffers_.resize(datasets_.size());
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
  std::vector<std::uint64_t> u64;
  for (std::size_t d = 0; d < datasets_.size(); ++d) {
    const auto& buf = buffers_[d];
    h5::extend(datasets_[d].get(), written_ + n, ctx);
    if (d == 1) {
      u64.assign(buf.begin(), buf.end());
      h5::write_rows(datasets_[d].get(), H5T_NATIVE_UINT64, u64.data(), written_, n, ctx);
    } else {
      write_column_rows(datasets_[d].get(), d == 0 ? ColumnKind::Count : columns[d - 2].kind, buf, written_, ctx);
    }
  }
  written_ += n;
  for (auto& b : buffers_) b.clear();
}

void ResultWriter::write_cells(const exec::RunResult& result) {
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
  h5::write_dataset(group.get(), "organizations", H5T_STD_U64LE, H5T_NATIVE_UINT64, orgs.data(), n, ctx);
  {  // which organizations of which cell each run of rows holds, in row order
    h5::Handle sg = h5::create_group(group.get(), "segments", ctx);
    h5::write_attribute(sg.get(), "description",
                        "rows of /organizations come in segments: organizations [first, first + count) of cell, "
                        "in this order",
                        ctx);
    std::vector<std::uint64_t> sc, sf, sn;
    for (const auto& s : result.segments) {
      sc.push_back(s.cell);
      sf.push_back(s.first);
      sn.push_back(s.count);
    }
    h5::write_dataset(sg.get(), "cell", H5T_STD_U64LE, H5T_NATIVE_UINT64, sc.data(), sc.size(), ctx);
    h5::write_dataset(sg.get(), "first", H5T_STD_U64LE, H5T_NATIVE_UINT64, sf.data(), sf.size(), ctx);
    h5::write_dataset(sg.get(), "count", H5T_STD_U64LE, H5T_NATIVE_UINT64, sn.data(), sn.size(), ctx);
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
        h5::write_dataset(params.get(), s.name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v.data(), n, ctx);
      }
      h5::write_attribute(params.get(), s.name, s.description, ctx);
    }
  }

  h5::Handle stats_group = h5::create_group(group.get(), "stats", ctx);
  for (std::size_t col = 0; col < columns.size(); ++col) {
    h5::Handle g = h5::create_group(stats_group.get(), columns[col].name, ctx);
    h5::write_attribute(g.get(), "kind", model::to_string(columns[col].kind), ctx);
    h5::write_attribute(g.get(), "description", columns[col].description, ctx);
    std::vector<std::uint64_t> cnt(n), missing(n), successes(n);
    std::vector<double> mean(n), sd(n), lo(n), hi(n), mn(n), mx(n), rate(n), rlo(n), rhi(n);
    for (std::size_t c = 0; c < n; ++c) {
      const stats::Accumulator& a = result.cells[c].columns[col];
      cnt[c] = a.n;
      missing[c] = a.missing;
      mean[c] = a.n ? a.mean : NAN;
      sd[c] = a.sd();
      const auto ci = stats::mean_interval(mean[c], sd[c], a.n, kConfidence);
      lo[c] = ci.low;
      hi[c] = ci.high;
      mn[c] = a.n ? a.min : NAN;
      mx[c] = a.n ? a.max : NAN;
      if (columns[col].kind == ColumnKind::Binary) {
        successes[c] = static_cast<std::uint64_t>(a.sum);
        const auto w = stats::wilson(successes[c], a.n, kConfidence);
        rate[c] = w.estimate;
        rlo[c] = w.low;
        rhi[c] = w.high;
      }
    }
    auto u64 = [&](const char* name, const std::vector<std::uint64_t>& v) {
      h5::write_dataset(g.get(), name, H5T_STD_U64LE, H5T_NATIVE_UINT64, v.data(), n, ctx);
    };
    auto f64 = [&](const char* name, const std::vector<double>& v) {
      h5::write_dataset(g.get(), name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, v.data(), n, ctx);
    };
    u64("n", cnt);
    u64("missing", missing);
    f64("mean", mean);
    f64("sd", sd);
    f64("ci_low", lo);
    f64("ci_high", hi);
    f64("min", mn);
    f64("max", mx);
    if (columns[col].kind == ColumnKind::Binary) {
      u64("successes", successes);
      f64("rate", rate);
      f64("rate_low", rlo);
      f64("rate_high", rhi);
    }
  }
}

void ResultWriter::finish(const exec::RunResult& result, const RunInfo& info) {
  TRIBE_CHECK(!finished_, "finish() called twice");
  flush_rows();
  write_cells(result);
  if (!result.stopped) write_sensitivity(file_.get(), plan_, result, ctx_);
  if (!plan_.experiment().claims.empty() && !result.stopped) {
    // Claims are evaluated on the rows just written, read back cell by cell.
    const FileCellData data(file_.get(), result.segments, ctx_);
    write_report(file_.get(), plan_, claims::build_report(plan_, data), ctx_);
  }
  const hid_t root = file_.get();
  h5::write_attribute(root, "organizations", written_, ctx_);
  h5::write_attribute(root, "command_line", info.command_line, ctx_);
  h5::write_attribute(root, "backend", info.backend, ctx_);
  h5::write_attribute(root, "threads", std::uint64_t{info.threads}, ctx_);
  h5::write_attribute(root, "wall_seconds", info.wall_seconds, ctx_);
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

// ---------------------------------------------------------------------------------------------

ResultReader::ResultReader(const fs::path& path, bool allow_incomplete) : ctx_(path.string()) {
  h5::quiet_errors();
  std::error_code ec;
  if (!fs::exists(path, ec)) throw EnvironmentError(ctx_ + ": no such file");
  if (fs::is_directory(path, ec)) throw EnvironmentError(ctx_ + ": is a directory, not a result file");
  if (H5Fis_hdf5(path.c_str()) <= 0)
    throw EnvironmentError(ctx_ + ": not an HDF5 file (or truncated/corrupt)");
  file_ = h5::checked(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, ctx_,
                      "cannot open HDF5 file (truncated, corrupt or locked?)");
  const hid_t root = file_.get();
  if (!h5::has_attribute(root, "filetype") ||
      h5::read_string_attribute(root, "filetype", ctx_) != version::kResultFiletype)
    throw EnvironmentError(ctx_ + ": not a tribe result file (no filetype = \"" +
                           std::string(version::kResultFiletype) + "\" attribute)");
  const auto v = h5::read_u32s_attribute(root, "format_version", ctx_);
  if (v.size() != 2 || v[0] != version::kResultFormat[0])
    throw EnvironmentError(ctx_ + ": result format version " +
                           (v.empty() ? std::string("?") : std::to_string(v[0])) +
                           ".x is not supported (this tribe reads " +
                           std::to_string(version::kResultFormat[0]) + ".x)");
  complete_ = h5::has_attribute(root, "complete") && h5::read_u64_attribute(root, "complete", ctx_) == 1;
  if (!complete_ && !allow_incomplete)
    throw EnvironmentError(ctx_ + ": incomplete result file (the run did not finish); "
                           "pass --allow-incomplete to show what is there");
}

std::string ResultReader::attribute(const std::string& name) const {
  return h5::read_string_attribute(file_.get(), name, ctx_);
}
std::uint64_t ResultReader::attribute_u64(const std::string& name) const {
  return h5::read_u64_attribute(file_.get(), name, ctx_);
}
bool ResultReader::has_attribute(const std::string& name) const {
  return h5::has_attribute(file_.get(), name);
}
std::vector<std::uint32_t> ResultReader::format_version() const {
  return h5::read_u32s_attribute(file_.get(), "format_version", ctx_);
}
std::vector<double> ResultReader::column(const std::string& path) const {
  return h5::read_doubles(file_.get(), path, ctx_);
}
std::vector<std::string> ResultReader::strings(const std::string& path) const {
  return h5::read_strings(file_.get(), path, ctx_);
}
std::vector<std::string> ResultReader::list(const std::string& group) const {
  h5::Handle g = h5::open_group(file_.get(), group, ctx_);
  return h5::list(g.get(), ctx_);
}
bool ResultReader::exists(const std::string& path) const { return h5::exists(file_.get(), path); }
std::vector<std::string> ResultReader::group_strings_attribute(const std::string& group,
                                                               const std::string& name) const {
  h5::Handle g = h5::open_group(file_.get(), group, ctx_);
  return h5::read_strings_attribute(g.get(), name, ctx_);
}

}  // namespace tribe::io

namespace tribe::io {
double ResultReader::column_attribute_double(const std::string& group, const std::string& name) const {
  h5::Handle g = h5::open_group(file_.get(), group, ctx_);
  return h5::read_double_attribute(g.get(), name, ctx_);
}
}  // namespace tribe::io

namespace tribe::io {
std::string ResultReader::group_string_attribute(const std::string& group, const std::string& name) const {
  h5::Handle g = h5::open_group(file_.get(), group, ctx_);
  return h5::read_string_attribute(g.get(), name, ctx_);
}
}  // namespace tribe::io

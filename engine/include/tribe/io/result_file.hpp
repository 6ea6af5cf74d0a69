#pragma once
// The tribe result file (HDF5), format version in tribe/core/version.hpp and
// documented in docs/hdf5-format.md.
//
// ResultWriter streams organizations into a temporary file beside the target
// (`OUT.h5.partial`), writes the cell table at the end (and whatever the job layer
// computed from the result: sensitivity indices, the claims report), marks the file
// complete and only then renames it to its final name. A run that fails or is interrupted
// never leaves a file under the final name.
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tribe/design/plan.hpp"
#include "tribe/exec/runner.hpp"
#include "tribe/io/hdf5.hpp"

namespace tribe::io {

/// Provenance of one run, stored as root attributes.
struct RunInfo {
  std::string command_line;
  std::string backend;
  unsigned threads = 0;
  double wall_seconds = 0.0;
  /// More provenance of the rows, as (name, text) root attributes: where a result made
  /// from another tool's table came from (`tribe import`: imported_from, ...).
  std::vector<std::pair<std::string, std::string>> sources;
};

/// The storage type of a column of per-organization values: uint8 for binary, uint32 for
/// counts, float64 for reals.
hid_t storage_type(model::ColumnKind kind);
/// Writes per-organization values into rows [start, start + values.size()) of a column
/// dataset, converted to the storage type of its kind (0/1 and 32-bit counts checked).
void write_column_rows(hid_t dataset, model::ColumnKind kind, std::span<const double> values,
                       std::uint64_t start, const std::string& ctx);

/// How the model's columns are stored in /organizations and /cells/stats: one dataset per
/// column, or one organizations x time dataset per series (whose points are consecutive
/// columns of the model), with its time axis in /time/<series> (a dimension scale).
struct StoredColumn {
  std::string name;                  // the dataset: the column's name, or the series'
  std::size_t first = 0;             // its first model column
  std::size_t count = 1;             // model columns it holds (time points of a series)
  std::vector<std::uint32_t> times;  // a series' time points; empty for a plain column
  bool series() const { return !times.empty(); }
};
std::vector<StoredColumn> stored_columns(std::span<const model::ColumnSpec> columns);

/// Writes the root attributes that every file of a run carries, result, part and shard
/// files alike (docs/hdf5-format.md): filetype, format_version, engine_version, git_sha1,
/// seed, experiment, experiment_path, model, model_version, organizations_per_cell, cells
/// and block_size.
void write_run_header(hid_t root, std::string_view filetype,
                      std::span<const std::uint32_t> format_version, const design::RunPlan& plan,
                      const std::string& ctx);

/// Confidence level of every interval in the cell table.
inline constexpr double kConfidence = 0.95;

/// Checks the place a result file will go (directory exists and is writable; no existing
/// file unless `overwrite`). Throws EnvironmentError naming the path and the problem.
void check_output_target(const std::filesystem::path& target, bool overwrite);

class ResultWriter final : public exec::BlockSink {
 public:
  /// Checks the target (directory exists and is writable; no existing file unless
  /// `overwrite`) and creates the temporary file. Throws EnvironmentError naming the path.
  ResultWriter(std::filesystem::path target, const design::RunPlan& plan, bool overwrite);
  ~ResultWriter() override;  // removes the temporary file unless finish() succeeded

  void consume(const exec::BlockRows& rows) override;

  /// Writes the rows still buffered and the cell table (/cells) of the run's result.
  void write_cells(const exec::RunResult& result);
  /// The open temporary file, once write_cells() is done: for the groups stored beside
  /// the cells (/sensitivity and /claims, io/claims_store.hpp).
  hid_t file() const;
  /// Writes run provenance, marks the file complete, renames it (after write_cells()).
  void finish(const RunInfo& info);
  /// write_cells(result), then finish(info): a file of rows and cells alone, with no
  /// /sensitivity or /claims (what a benchmark of the writer measures).
  void finish(const exec::RunResult& result, const RunInfo& info) {
    write_cells(result);
    finish(info);
  }

  /// Threads that compress the organization chunks (0: all cores).
  void set_compression_threads(unsigned threads) { compression_threads_ = threads; }

  const std::filesystem::path& target() const { return target_; }
  const std::filesystem::path& temporary() const { return temp_; }
  const design::RunPlan& plan() const { return plan_; }

 private:
  void flush_rows();

  std::filesystem::path target_, temp_;
  const design::RunPlan& plan_;
  std::string ctx_;
  h5::Handle file_;
  h5::Handle org_group_;
  std::vector<StoredColumn> stored_;          // the model's columns as datasets
  std::vector<h5::Handle> datasets_;          // cell, organization, then one per stored column
  std::vector<std::vector<double>> buffers_;  // cell, organization, then one per model column
  std::uint64_t written_ = 0;
  bool cells_written_ = false, finished_ = false;
  unsigned compression_threads_ = 0;
};

/// Read access to a result file, checked on open: HDF5 signature, filetype,
/// major format version, and completeness (unless `allow_incomplete`).
class ResultReader {
 public:
  explicit ResultReader(const std::filesystem::path& path, bool allow_incomplete = false);

  bool complete() const { return complete_; }
  std::string attribute(const std::string& name) const;  // string attribute of the root
  std::uint64_t attribute_u64(const std::string& name) const;
  bool has_attribute(const std::string& name) const;
  std::vector<std::uint32_t> format_version() const;

  /// A whole 1-D numeric dataset ("organizations/solve_rate", "cells/stats/x/mean").
  std::vector<double> column(const std::string& path) const;
  /// The number of dimensions of a dataset, and a 2-D one (rows x columns, row-major).
  int rank(const std::string& path) const;
  std::vector<double> matrix(const std::string& path, std::size_t& columns) const;
  std::vector<std::string> strings(const std::string& path) const;
  std::vector<std::string> list(const std::string& group) const;
  bool exists(const std::string& path) const;
  std::vector<std::string> group_strings_attribute(const std::string& group,
                                                   const std::string& name) const;
  double column_attribute_double(const std::string& group, const std::string& name) const;
  std::string group_string_attribute(const std::string& group, const std::string& name) const;

 private:
  std::string ctx_;
  h5::Handle file_;
  bool complete_ = false;
};

}  // namespace tribe::io

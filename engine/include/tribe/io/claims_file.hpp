#pragma once
// Claims in the result file: per-organization data read back cell by cell for the
// evaluation, and the evaluated report written to /claims (docs/hdf5-format.md).
#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>

#include "tribe/claims/evaluate.hpp"
#include "tribe/claims/sensitivity.hpp"
#include "tribe/exec/runner.hpp"
#include "tribe/io/hdf5.hpp"
#include "tribe/io/result_file.hpp"

namespace tribe::io {

/// Reads one cell's organizations of an /organizations column from an open file,
/// given the segments in row order (see /cells/segments). With the model's columns, a
/// point of a series (`mean_score[t=5]` or its column name) is read from the series'
/// organizations x time dataset.
class FileCellData final : public claims::CellData {
 public:
  FileCellData(hid_t file, const std::vector<design::Segment>& segments, std::string context,
               std::span<const model::ColumnSpec> columns = {});
  std::vector<double> read(const std::string& column, std::uint64_t cell) const override;

 private:
  struct Piece {
    std::uint64_t first, count, row;
  };
  hid_t file_;
  std::span<const model::ColumnSpec> columns_;
  std::vector<std::vector<Piece>> pieces_;  // per cell, in organization order
  std::string ctx_;
};

/// The segments of a result file (/cells/segments), in row order.
std::vector<design::Segment> read_segments(const ResultReader& file);

/// Writes /claims (and /claims/robustness, /variance) into an open result file.
void write_report(hid_t file, const design::RunPlan& plan, const claims::Report& report, const std::string& ctx);

/// Writes /sensitivity (first- and total-order Sobol indices of every column, with their
/// intervals) into an open result file when the experiment's design is a Sobol design.
void write_sensitivity(hid_t file, const design::RunPlan& plan, const exec::RunResult& result, const std::string& ctx);

enum class ReportFormat { Text, Markdown };

/// Prints the /sensitivity tables of a result file (nothing when it has none).
void print_sensitivity(const ResultReader& file, std::ostream& out, ReportFormat format);

/// Prints the claims report stored in a result file: sensitivity indices, claims (Holm over
/// the claims of the file), and the assumption-space scenarios of the claims that have them.
void print_report(const ResultReader& file, std::ostream& out, ReportFormat format);

/// Prints the claims of several result files as one study: Holm over every claim of every
/// file (one family, named in the report), each verdict decided anew from the stored
/// unadjusted p-values. Files with claims must share one report confidence (else InputError).
void print_study(const std::vector<std::filesystem::path>& files, std::ostream& out, ReportFormat format);

/// Prints the assumption-space map and scenario of each claim that has one (nothing otherwise).
void print_scenarios(const ResultReader& file, std::ostream& out, ReportFormat format);

}  // namespace tribe::io

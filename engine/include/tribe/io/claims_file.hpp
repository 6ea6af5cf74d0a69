#pragma once
// Claims in the result file: per-organization data read back cell by cell for the
// evaluation, and the report the job layer evaluated written to /claims
// (docs/hdf5-format.md). io/ stores and prints claims; it never evaluates them
// (claims/evaluate.hpp, called by job/).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "tribe/claims/report.hpp"
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

/// The rows a writer has written, read back cell by cell (once its cell table is written).
FileCellData read_back(const ResultWriter& writer, const std::vector<design::Segment>& segments);

/// Writes /claims (and /claims/robustness, /variance) into a result file being written:
/// the report of `claims` (the experiment's, claims/parse.hpp).
void write_report(ResultWriter& writer, const design::RunPlan& plan,
                  const std::vector<claims::ClaimSpec>& claims, const claims::Report& report);

/// Writes /sensitivity (first- and total-order Sobol indices of every column, with their
/// intervals) into a result file being written when the experiment's design is a Sobol design.
void write_sensitivity(ResultWriter& writer, const design::RunPlan& plan,
                       const std::vector<claims::ColumnSensitivity>& indices);

enum class ReportFormat { Text, Markdown };

/// Prints the /sensitivity tables of a result file (nothing when it has none).
void print_sensitivity(const ResultReader& file, std::ostream& out, ReportFormat format);

/// Prints the claims report stored in a result file: sensitivity indices, claims (Holm over
/// the claims of the file), and the assumption-space scenarios of the claims that have them.
void print_report(const ResultReader& file, std::ostream& out, ReportFormat format);

/// Decides the verdicts of one family of claims at a confidence (claims::decide).
using DecideVerdicts = std::function<void(std::vector<claims::ClaimResult>&, double confidence)>;

/// Prints the claims of several result files as one study: Holm over every claim of every
/// file (one family, named in the report), each verdict decided anew by `decide` from the
/// stored unadjusted p-values. Files with claims must share one report confidence (else
/// InputError).
void print_study(const std::vector<std::filesystem::path>& files, std::ostream& out,
                 ReportFormat format, const DecideVerdicts& decide);

/// Prints the assumption-space map and scenario of each claim that has one (nothing otherwise).
void print_scenarios(const ResultReader& file, std::ostream& out, ReportFormat format);

}  // namespace tribe::io

#pragma once
// Claims in the result file: per-organization data read back cell by cell for the
// evaluation, and the evaluated report written to /claims (docs/hdf5-format.md).
#include <cstdint>
#include <ostream>
#include <string>

#include "tribe/claims/evaluate.hpp"
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

enum class ReportFormat { Text, Markdown };

/// Prints the claims report stored in a result file.
void print_report(const ResultReader& file, std::ostream& out, ReportFormat format);

}  // namespace tribe::io

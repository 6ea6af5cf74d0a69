#pragma once
// Per-organization rows read back from a result file cell by cell, for the evaluation of
// the claims (claims::CellData). io/ reads the rows; the job layer evaluates the claims.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tribe/claims/report.hpp"
#include "tribe/design/plan.hpp"
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

/// The rows a writer has written, read back cell by cell (once its cell table is written).
FileCellData read_back(const ResultWriter& writer, const std::vector<design::Segment>& segments);

}  // namespace tribe::io

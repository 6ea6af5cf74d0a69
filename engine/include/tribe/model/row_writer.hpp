#pragma once
// How a model plug-in writes one organization's row: value by value, each under the name of
// its column,
//
//   out("depth", r.depth);
//   out.series(score_column, r.mean_score);   // a run of columns named by their index
//
// Writing a row ignores the names (they cost a pointer each). The plug-in base (plugin.hpp)
// also runs the same code once in naming mode, when the model is built, and refuses a model
// whose values do not come in the order of its columns(): a column added, removed or moved
// in one place and not the other cannot shift values silently into the wrong column.
// Write every column unconditionally (no `if` around a value), so that both modes see the
// same sequence.
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tribe/core/error.hpp"

namespace tribe::model {

class RowWriter {
 public:
  /// Writes values into `row` (one organization).
  explicit RowWriter(std::span<double> row) noexcept : row_(row) {}

  /// Records the column names in the order they are written, and writes no value.
  static RowWriter naming(std::vector<std::string>& names) noexcept { return RowWriter(names); }

  void operator()(std::string_view column, double value) {
    if (names_) [[unlikely]] {
      names_->emplace_back(column);
      return;
    }
    TRIBE_CHECK(written_ < row_.size(), "a model writes more values than it has columns");
    row_[written_++] = value;
  }

  /// Columns name_of(0), name_of(1), ... holding values[0], values[1], ...
  template <class NameOf>
  void series(const NameOf& name_of, std::span<const double> values) {
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (names_) [[unlikely]]
        names_->emplace_back(name_of(i));
      else
        (*this)(std::string_view{}, values[i]);
    }
  }

  /// Values written so far (writing mode).
  std::size_t written() const noexcept { return written_; }

 private:
  explicit RowWriter(std::vector<std::string>& names) noexcept : names_(&names) {}

  std::span<double> row_;
  std::size_t written_ = 0;
  std::vector<std::string>* names_ = nullptr;
};

}  // namespace tribe::model

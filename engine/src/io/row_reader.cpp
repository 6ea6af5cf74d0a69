#include "tribe/io/row_reader.hpp"

#include <algorithm>

#include "tribe/core/error.hpp"

namespace tribe::io {

FileCellData::FileCellData(hid_t file, const std::vector<design::Segment>& segments,
                           std::string context, std::span<const model::ColumnSpec> columns)
    : file_(file), columns_(columns), ctx_(std::move(context)) {
  std::uint64_t row = 0;
  for (const auto& s : segments) {
    if (pieces_.size() <= s.cell) pieces_.resize(s.cell + 1);
    pieces_[s.cell].push_back({s.first, s.count, row});
    row += s.count;
  }
  for (auto& p : pieces_)
    std::sort(p.begin(), p.end(), [](const Piece& a, const Piece& b) { return a.first < b.first; });
}

std::vector<double> FileCellData::read(const std::string& column, std::uint64_t cell) const {
  // A point of a series is column `at` of the series' 2-D dataset.
  std::string dataset = column;
  hsize_t at_time = 0;
  bool series = false;
  if (const auto k = model::find_column(columns_, column);
      k != model::npos && !columns_[k].series.empty()) {
    for (const auto& st : stored_columns(columns_))
      if (st.series() && k >= st.first && k < st.first + st.count) {
        dataset = st.name;
        at_time = k - st.first;
        series = true;
      }
  }
  h5::Handle ds = h5::checked(H5Dopen2(file_, ("organizations/" + dataset).c_str(), H5P_DEFAULT),
                              H5Dclose, ctx_, "missing dataset /organizations/" + dataset);
  std::vector<double> v;
  if (cell >= pieces_.size()) return v;
  h5::Handle space = h5::checked(H5Dget_space(ds.get()), H5Sclose, ctx_, "cannot get dataspace");
  hsize_t dims[2] = {0, 0};
  if (H5Sget_simple_extent_ndims(space.get()) != (series ? 2 : 1))
    throw EnvironmentError(ctx_ + ": /organizations/" + dataset +
                           " has another shape than its model declares");
  H5Sget_simple_extent_dims(space.get(), dims, nullptr);
  const std::uint64_t rows = dims[0];
  for (const auto& p : pieces_[cell]) {
    const hsize_t start = p.row, count = p.count;
    if (rows < start + count)
      throw EnvironmentError(ctx_ + ": /organizations/" + column +
                             " is shorter than its segments (truncated file?)");
    const std::size_t at = v.size();
    v.resize(at + count);
    h5::Handle fspace = h5::checked(H5Dget_space(ds.get()), H5Sclose, ctx_, "cannot get dataspace");
    const hsize_t start2[2] = {start, at_time}, count2[2] = {count, 1};
    h5::check(
        series
            ? H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, start2, nullptr, count2, nullptr)
            : H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr),
        ctx_, "cannot select rows");
    h5::Handle mspace = h5::checked(H5Screate_simple(1, &count, nullptr), H5Sclose, ctx_,
                                    "cannot create dataspace");
    h5::check(H5Dread(ds.get(), H5T_NATIVE_DOUBLE, mspace.get(), fspace.get(), H5P_DEFAULT,
                      v.data() + at),
              ctx_, "cannot read /organizations/" + column + " (corrupt file?)");
  }
  return v;
}

FileCellData read_back(const ResultWriter& writer, const std::vector<design::Segment>& segments) {
  return FileCellData(writer.file(), segments, writer.target().string(),
                      writer.plan().experiment().model->columns());
}

}  // namespace tribe::io

// Reading a result file (io/result_file.hpp: ResultReader): opened only after it has been
// checked, first in a child process (containment), then here.
#include <hdf5_hl.h>

#include "tribe/core/error.hpp"
#include "tribe/core/version.hpp"
#include "tribe/io/result_file.hpp"
#include "tribe/io/validate.hpp"

namespace tribe::io {
namespace fs = std::filesystem;

namespace {

// Opens a result file and checks everything a reader uses, once, before anything is read
// or printed (io/validate.hpp).
h5::Handle open_validated(const fs::path& path, bool allow_incomplete, const std::string& ctx,
                          bool& complete) {
  h5::Handle file =
      open_checked(path, FileKind{version::kResultFiletype,
                                  "result file",
                                  "result",
                                  {version::kResultFormat[0], version::kResultFormatSeries[0]}});
  const hid_t root = file.get();
  if (!h5::has_attribute(root, "complete") || h5::attribute_class(root, "complete") != H5T_INTEGER)
    damaged(ctx, "attribute complete of the root is missing or not an integer");
  complete = h5::read_u64_attribute(root, "complete", ctx) == 1;
  if (!complete && !allow_incomplete)
    throw InputError(ctx +
                     ": incomplete result file (the run did not finish); "
                     "pass --allow-incomplete (tribe.open: allow_incomplete=True) to show what "
                     "is there");
  validate_result(root, ctx, complete);
  verify_string_digest(root, ctx);
  return file;
}

}  // namespace

ResultReader::ResultReader(const fs::path& path, bool allow_incomplete) : ctx_(path.string()) {
  // First in a child process: a file whose metadata crashes HDF5 is refused, not a crash.
  contained_check(ctx_, [&] {
    bool complete = false;
    open_validated(path, allow_incomplete, ctx_, complete);
  });
  file_ = open_validated(path, allow_incomplete, ctx_, complete_);
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
int ResultReader::rank(const std::string& path) const {
  h5::Handle ds = h5::checked(H5Dopen2(file_.get(), path.c_str(), H5P_DEFAULT), H5Dclose, ctx_,
                              "missing dataset " + path);
  h5::Handle space = h5::checked(H5Dget_space(ds.get()), H5Sclose, ctx_, "cannot get dataspace");
  return H5Sget_simple_extent_ndims(space.get());
}
std::vector<double> ResultReader::matrix(const std::string& path, std::size_t& columns) const {
  h5::Handle ds = h5::checked(H5Dopen2(file_.get(), path.c_str(), H5P_DEFAULT), H5Dclose, ctx_,
                              "missing dataset " + path);
  h5::Handle space = h5::checked(H5Dget_space(ds.get()), H5Sclose, ctx_, "cannot get dataspace");
  hsize_t dims[2] = {0, 0};
  if (H5Sget_simple_extent_ndims(space.get()) != 2)
    throw EnvironmentError(ctx_ + ": " + path + " is not two-dimensional");
  H5Sget_simple_extent_dims(space.get(), dims, nullptr);
  columns = dims[1];
  std::vector<double> v(dims[0] * dims[1]);
  if (!v.empty())
    h5::check(H5Dread(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), ctx_,
              "cannot read " + path + " (corrupt file?)");
  return v;
}
std::vector<std::string> ResultReader::strings(const std::string& path) const {
  return h5::read_strings(file_.get(), path, ctx_);
}
std::vector<std::string> ResultReader::list(const std::string& group) const {
  h5::Handle g = h5::open_group(file_.get(), group, ctx_);
  return h5::list(g.get(), ctx_);
}
bool ResultReader::exists(const std::string& path) const {
  return h5::exists(file_.get(), path);
}
std::vector<std::string> ResultReader::group_strings_attribute(const std::string& group,
                                                               const std::string& name) const {
  h5::Handle g = h5::open_group(file_.get(), group, ctx_);
  return h5::read_strings_attribute(g.get(), name, ctx_);
}

double ResultReader::column_attribute_double(const std::string& group,
                                             const std::string& name) const {
  h5::Handle g = h5::open_group(file_.get(), group, ctx_);
  return h5::read_double_attribute(g.get(), name, ctx_);
}

std::string ResultReader::group_string_attribute(const std::string& group,
                                                 const std::string& name) const {
  h5::Handle g = h5::open_group(file_.get(), group, ctx_);
  return h5::read_string_attribute(g.get(), name, ctx_);
}

}  // namespace tribe::io

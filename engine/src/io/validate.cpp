#include "tribe/io/validate.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <set>
#include <stdexcept>
#include <vector>

#include "tribe/core/error.hpp"
#include "tribe/io/hdf5.hpp"
#include "tribe/io/part_file.hpp"

namespace tribe::io {

void damaged(const std::string& ctx, const std::string& what) {
  throw DamagedFileError(ctx + ": damaged file: " + what);
}

void verify_string_digest(hid_t file, const std::string& ctx) {
  if (!h5::has_attribute(file, "string_digest")) return;
  if (h5::attribute_class(file, "string_digest") != H5T_INTEGER)
    damaged(ctx, "attribute string_digest of the root is not an integer");
  const std::uint64_t stored = h5::read_u64_attribute(file, "string_digest", ctx);
  std::uint64_t now = 0;
  if (!h5::string_digest(file, now))
    damaged(ctx,
            "a variable-length string (a label, a claim's text, the experiment) cannot be read");
  if (now != stored)
    damaged(ctx,
            "its variable-length strings (labels, claims' text, the experiment) do not match "
            "their digest: the text of the file has been changed");
}

h5::Handle open_checked(const std::filesystem::path& path, const FileKind& kind) {
  h5::quiet_errors();
  const std::string ctx = path.string();
  const std::string noun(kind.noun);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw EnvironmentError(ctx + ": no such file");
  if (std::filesystem::is_directory(path, ec))
    throw InputError(ctx + ": is a directory, not a " + noun);
  if (!std::filesystem::is_regular_file(path, ec))
    throw InputError(ctx + ": not a regular file, not a " + noun);
  if (H5Fis_hdf5(path.c_str()) <= 0)
    throw DamagedFileError(ctx + ": not an HDF5 file (or truncated/corrupt)");
  h5::Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!file) {
    const std::string detail = h5::error_detail();
    // HDF5's 1.10 format marks a file open for writing until its writer closes it.
    if (h5::error_stack_contains("already open for write"))
      throw InputError(ctx + ": an unfinished " + noun +
                       ": the run writing it has not closed it (it is still running, or it "
                       "stopped before it finished); rerun that run's command to resume it");
    throw DamagedFileError(ctx + ": cannot open HDF5 file (truncated or corrupt?)" + detail);
  }
  const hid_t root = file.get();
  if (!h5::has_attribute(root, "filetype") || h5::attribute_class(root, "filetype") != H5T_STRING ||
      h5::read_string_attribute(root, "filetype", ctx) != kind.filetype)
    throw DamagedFileError(ctx + ": not a tribe " + noun + " (no filetype = \"" +
                           std::string(kind.filetype) + "\" attribute)");
  if (!h5::has_attribute(root, "format_version") ||
      h5::attribute_class(root, "format_version") != H5T_INTEGER)
    damaged(ctx, "attribute format_version of the root is missing or not integers");
  const auto v = h5::read_u32s_attribute(root, "format_version", ctx);
  const bool known =
      v.size() == 2 && std::find(kind.majors.begin(), kind.majors.end(), v[0]) != kind.majors.end();
  if (!known) {
    std::string reads;
    for (const auto major : kind.majors)
      reads += (reads.empty() ? "" : " and ") + std::to_string(major) + ".x";
    throw InputError(ctx + ": " + std::string(kind.format) + " format version " +
                     (v.empty() ? std::string("?") : std::to_string(v[0])) +
                     ".x is not supported (this tribe reads " + reads + ")");
  }
  return file;
}

namespace {

enum class Kind { Text, Integer, Real, Number, TextOrNumber };

const char* describe(Kind k) {
  switch (k) {
    case Kind::Text:
      return "strings";
    case Kind::Integer:
      return "integers";
    case Kind::Real:
      return "floating-point numbers";
    case Kind::Number:
      return "numbers";
    case Kind::TextOrNumber:
      return "strings or numbers";
  }
  return "values";
}

bool matches(hid_t type, Kind k) {
  const H5T_class_t c = H5Tget_class(type);
  switch (k) {
    case Kind::Text:
      return c == H5T_STRING && H5Tis_variable_str(type) > 0;
    case Kind::Integer:
      return c == H5T_INTEGER;
    case Kind::Real:
      return c == H5T_FLOAT;
    case Kind::Number:
      return c == H5T_INTEGER || c == H5T_FLOAT;
    case Kind::TextOrNumber:
      return matches(type, Kind::Text) || matches(type, Kind::Number);
  }
  return false;
}

/// Checks one file; every failure names the object as /path.
class Checker {
 public:
  Checker(hid_t file, std::string ctx) : file_(file), ctx_(std::move(ctx)) {}

  /// H5I_DATASET, H5I_GROUP, or H5I_BADID when `path` (or one of its parents) is missing.
  H5I_type_t type_of(const std::string& path) const {
    std::string prefix;
    std::size_t from = 0;
    while (true) {
      const std::size_t slash = path.find('/', from);
      prefix = path.substr(0, slash);
      if (H5Lexists(file_, prefix.c_str(), H5P_DEFAULT) <= 0) return H5I_BADID;
      const hid_t o = H5Oopen(file_, prefix.c_str(), H5P_DEFAULT);
      if (o < 0) fail("/" + prefix + " cannot be opened");
      const H5I_type_t t = H5Iget_type(o);
      H5Oclose(o);
      if (slash == std::string::npos) return t;
      if (t != H5I_GROUP) fail("/" + prefix + " is not a group");
      from = slash + 1;
    }
  }

  bool has_group(const std::string& path) const {
    const H5I_type_t t = type_of(path);
    if (t == H5I_BADID) return false;
    if (t != H5I_GROUP) fail("/" + path + " is not a group");
    return true;
  }

  void require_group(const std::string& path, const std::string& why) const {
    if (!has_group(path)) fail("group /" + path + " is missing (" + why + ")");
  }

  bool has_dataset(const std::string& path) const { return type_of(path) != H5I_BADID; }

  /// Checks that `path` is a 1-D dataset of `kind`; returns its length.
  std::uint64_t dataset(const std::string& path, Kind kind) const {
    const H5I_type_t t = type_of(path);
    if (t == H5I_BADID) fail("dataset /" + path + " is missing");
    if (t != H5I_DATASET) fail("/" + path + " is not a dataset");
    h5::Handle ds(H5Dopen2(file_, path.c_str(), H5P_DEFAULT), H5Dclose);
    if (!ds) fail("dataset /" + path + " cannot be opened");
    h5::Handle type(H5Dget_type(ds.get()), H5Tclose);
    if (!type || !matches(type.get(), kind))
      fail("dataset /" + path + " does not hold " + describe(kind) + " (another type)");
    h5::Handle space(H5Dget_space(ds.get()), H5Sclose);
    const int rank = space ? H5Sget_simple_extent_ndims(space.get()) : -1;
    if (rank == 1 || rank == 2) stored_completely(ds.get(), space.get(), rank, path);
    if (rank == 2) {
      // A time series (format 2.x): rows x time, its time axis in /time/<series>, where
      // <series> is the dataset's name or its statistics' group.
      hsize_t dims[2] = {0, 0};
      H5Sget_simple_extent_dims(space.get(), dims, nullptr);
      const std::string series = series_of(path);
      if (series.empty()) fail("dataset /" + path + " is not one-dimensional");
      const std::uint64_t times = dataset("time/" + series, Kind::Integer);
      if (dims[1] != times)
        fail("dataset /" + path + " has " + std::to_string(dims[1]) + " time points, expected " +
             std::to_string(times) + " (as /time/" + series + ")");
      return dims[0];
    }
    if (rank != 1) fail("dataset /" + path + " is not one-dimensional");
    hsize_t n = 0;
    H5Sget_simple_extent_dims(space.get(), &n, nullptr);
    return n;
  }

  /// Every chunk of a chunked dataset is in its index, and the index reads (its blocks
  /// carry checksums in the 1.10 format). tribe writes every chunk of every dataset; a chunk
  /// missing from a damaged index would read as the fill value, silently (issue 27).
  void stored_completely(hid_t ds, hid_t space, int rank, const std::string& path) const {
    h5::Handle dcpl(H5Dget_create_plist(ds), H5Pclose);
    if (!dcpl || H5Pget_layout(dcpl.get()) != H5D_CHUNKED) return;
    hsize_t dims[2] = {0, 0}, chunk[2] = {0, 0};
    H5Sget_simple_extent_dims(space, dims, nullptr);
    if (H5Pget_chunk(dcpl.get(), rank, chunk) != rank) fail("dataset /" + path + ": no chunk size");
    hsize_t expected = 1;
    for (int i = 0; i < rank; ++i) {
      if (chunk[i] == 0) fail("dataset /" + path + ": a chunk size of 0");
      expected *= (dims[i] + chunk[i] - 1) / chunk[i];
    }
    hsize_t stored = 0;
    if (H5Dget_num_chunks(ds, space, &stored) < 0)
      fail("the chunk index of dataset /" + path + " cannot be read (its metadata is corrupt)");
    if (stored != expected)
      fail("dataset /" + path + " has " + std::to_string(stored) + " of its " +
           std::to_string(expected) + " chunks in its index (a damaged index: the missing " +
           "chunks would read as fill values)");
  }

  /// The series a 2-D dataset belongs to: /organizations/<s> or /cells/stats/<s>/..., when
  /// /time/<s> exists; "" otherwise.
  std::string series_of(const std::string& path) const {
    std::string name;
    if (path.starts_with("organizations/"))
      name = path.substr(14);
    else if (path.starts_with("cells/stats/"))
      name = path.substr(12, path.find('/', 12) - 12);
    if (name.empty() || name.find('/') != std::string::npos) return "";
    return type_of("time/" + name) == H5I_DATASET ? name : "";
  }

  /// Checks kind and that the length is `expected` ("one per <what>").
  void dataset(const std::string& path, Kind kind, std::uint64_t expected,
               const std::string& what) const {
    const std::uint64_t n = dataset(path, kind);
    if (n != expected)
      fail("dataset /" + path + " has " + std::to_string(n) + " values, expected " +
           std::to_string(expected) + " (" + what + ")");
  }

  /// Reads a validated integer dataset.
  std::vector<std::uint64_t> integers(const std::string& path) const {
    const std::uint64_t n = dataset(path, Kind::Integer);
    std::vector<std::uint64_t> v(n);
    if (n == 0) return v;
    h5::Handle ds(H5Dopen2(file_, path.c_str(), H5P_DEFAULT), H5Dclose);
    if (!ds || H5Dread(ds.get(), H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()) < 0)
      fail("dataset /" + path + " cannot be read (corrupt data or checksum mismatch)");
    return v;
  }

  /// Reads a validated string dataset.
  std::vector<std::string> strings(const std::string& path) const {
    dataset(path, Kind::Text);
    try {
      return h5::read_strings(file_, path, ctx_);
    } catch (const std::runtime_error&) {
      fail("dataset /" + path + " cannot be read (corrupt data)");
    }
  }

  /// Checks that `obj` (a group path, "" for the root) has attribute `name` of `kind`,
  /// a single value unless `list`.
  void attribute(const std::string& obj, const std::string& name, Kind kind,
                 bool list = false) const {
    const std::string where = obj.empty() ? "the root" : "/" + obj;
    h5::Handle o(H5Oopen(file_, obj.empty() ? "/" : obj.c_str(), H5P_DEFAULT), H5Oclose);
    if (!o) fail(where + " cannot be opened");
    if (H5Aexists(o.get(), name.c_str()) <= 0)
      fail("attribute " + name + " of " + where + " is missing");
    h5::Handle a(H5Aopen(o.get(), name.c_str(), H5P_DEFAULT), H5Aclose);
    if (!a) fail("attribute " + name + " of " + where + " cannot be opened");
    h5::Handle type(H5Aget_type(a.get()), H5Tclose);
    const bool text_ok = kind == Kind::Text && type && H5Tget_class(type.get()) == H5T_STRING;
    if (!type || (!text_ok && !matches(type.get(), kind)))
      fail("attribute " + name + " of " + where + " does not hold " + describe(kind));
    h5::Handle space(H5Aget_space(a.get()), H5Sclose);
    const hssize_t n = space ? H5Sget_simple_extent_npoints(space.get()) : -1;
    if (n < 0 || (!list && n != 1))
      fail("attribute " + name + " of " + where + " is not a single value");
  }

  std::uint64_t u64_attribute(const std::string& name) const {
    attribute("", name, Kind::Integer);
    std::uint64_t v = 0;
    h5::Handle a(H5Aopen(file_, name.c_str(), H5P_DEFAULT), H5Aclose);
    if (!a || H5Aread(a.get(), H5T_NATIVE_UINT64, &v) < 0)
      fail("attribute " + name + " cannot be read");
    return v;
  }

  std::vector<std::string> list(const std::string& group) const {
    h5::Handle g(H5Gopen2(file_, group.c_str(), H5P_DEFAULT), H5Gclose);
    if (!g) fail("group /" + group + " cannot be opened");
    try {
      return h5::list(g.get(), ctx_);
    } catch (const EnvironmentError&) {
      fail("group /" + group + " cannot be listed");
    }
  }

  [[noreturn]] void fail(const std::string& what) const { damaged(ctx_, what); }

 private:
  hid_t file_;
  std::string ctx_;
};

constexpr const char* kStatCounts[] = {"n", "missing"};
constexpr const char* kStatReals[] = {"mean", "sd", "ci_low", "ci_high", "min", "max"};
constexpr const char* kBinaryReals[] = {"rate", "rate_low", "rate_high"};
constexpr const char* kClaimTexts[] = {"statement", "test",      "column",    "a",
                                       "b",         "factors_a", "factors_b", "description",
                                       "method",    "verdict"};
constexpr const char* kClaimReals[] = {"value",        "estimate",        "ci_low",
                                       "ci_high",      "p_claim",         "p_opposite",
                                       "p_claim_holm", "p_opposite_holm", "robustness_share"};
constexpr const char* kClaimCounts[] = {"n_a", "n_b", "paired"};

/// The root attributes that every file of a run carries (write_run_header) and readers use.
void validate_run_header(const Checker& k) {
  for (const char* s : {"experiment", "model", "model_version", "engine_version"})
    k.attribute("", s, Kind::Text);
  for (const char* s : {"seed", "organizations_per_cell", "block_size"})
    k.attribute("", s, Kind::Integer);
}

void validate_claims(const Checker& k) {
  const std::uint64_t n = k.dataset("claims/id", Kind::Text);
  const std::string per_claim = "one per claim, as /claims/id";
  for (const char* s : kClaimTexts) k.dataset(std::string("claims/") + s, Kind::Text, n, per_claim);
  for (const char* s : kClaimReals) k.dataset(std::string("claims/") + s, Kind::Real, n, per_claim);
  for (const char* s : kClaimCounts)
    k.dataset(std::string("claims/") + s, Kind::Integer, n, per_claim);
  k.attribute("claims", "confidence", Kind::Real);
  k.require_group("claims/robustness", "the robustness grid of the claims");
  k.attribute("claims/robustness", "thresholds", Kind::Text, true);
  // The grid: one row per combination of threshold offsets, in every offset_ and verdict_ dataset.
  std::uint64_t combos = 0;
  bool first = true;
  const std::string one_per =
      "one per combination of threshold offsets, as the other robustness datasets";
  for (const auto& name : k.list("claims/robustness")) {
    const std::string path = "claims/robustness/" + name;
    const Kind kind = name.starts_with("verdict_") ? Kind::Integer : Kind::Real;
    if (first) {
      combos = k.dataset(path, kind);
      first = false;
    } else {
      k.dataset(path, kind, combos, one_per);
    }
  }
  // Swept claims and reasons (format 1.1), band ends and controls (band tests): where present.
  for (const char* s : {"sweep_of", "sweep_level", "reason", "controls"})
    if (k.has_dataset(std::string("claims/") + s))
      k.dataset(std::string("claims/") + s, Kind::Text, n, per_claim);
  if (k.has_dataset("claims/value_high")) k.dataset("claims/value_high", Kind::Real, n, per_claim);
  // Threshold curves (format 1.1): per threshold, a grid and a verdict and estimate per claim.
  if (k.has_group("claims/threshold_curves"))
    for (const auto& t : k.list("claims/threshold_curves")) {
      const std::string g = "claims/threshold_curves/" + t;
      if (!k.has_group(g)) k.fail("/" + g + " is not a group");
      const std::uint64_t points = k.dataset(g + "/value", Kind::Real);
      for (const auto& id : k.strings("claims/id")) {
        k.dataset(g + "/verdict_" + id, Kind::Integer, points, "one per value of " + g + "/value");
        k.dataset(g + "/estimate_" + id, Kind::Real, points, "one per value of " + g + "/value");
      }
    }
  // Every claim has its row of verdicts.
  for (const auto& id : k.strings("claims/id"))
    if (!k.has_dataset("claims/robustness/verdict_" + id))
      k.fail("dataset /claims/robustness/verdict_" + id +
             " is missing (the robustness verdicts of claim " + id + ")");
}

/// /patterns (experiments with [[patterns]]): the table of /claims, one entry per pattern,
/// no robustness grid.
void validate_patterns(const Checker& k) {
  const std::uint64_t n = k.dataset("patterns/id", Kind::Text);
  const std::string per = "one per pattern, as /patterns/id";
  for (const char* s : kClaimTexts) k.dataset(std::string("patterns/") + s, Kind::Text, n, per);
  for (const char* s : {"reason", "controls", "sweep_of", "sweep_level"})
    k.dataset(std::string("patterns/") + s, Kind::Text, n, per);
  for (const char* s : kClaimReals) k.dataset(std::string("patterns/") + s, Kind::Real, n, per);
  k.dataset("patterns/value_high", Kind::Real, n, per);
  for (const char* s : kClaimCounts) k.dataset(std::string("patterns/") + s, Kind::Integer, n, per);
  k.attribute("patterns", "confidence", Kind::Real);
}

}  // namespace

void validate_result(hid_t file, const std::string& ctx, bool complete) {
  const Checker k(file, ctx);
  validate_run_header(k);
  for (const char* s : {"experiment_name", "experiment_path", "git_sha1"})
    k.attribute("", s, Kind::Text);
  // Provenance written at the end of a run: checked where present (readers print them).
  for (const char* s :
       {"compiler", "build_flags", "created", "hostname", "rng_scheme", "backend", "command_line"})
    if (h5::has_attribute(file, s)) k.attribute("", s, Kind::Text);
  for (const char* s : {"threads", "common_random_numbers"})
    if (h5::has_attribute(file, s)) k.attribute("", s, Kind::Integer);
  if (h5::has_attribute(file, "wall_seconds")) k.attribute("", "wall_seconds", Kind::Real);
  const std::uint64_t cells = k.u64_attribute("cells");

  // /organizations: one row per organization in every column.
  k.require_group("organizations", "the per-organization rows");
  const auto columns = k.list("organizations");
  for (const char* s : {"cell", "organization"})
    if (std::find(columns.begin(), columns.end(), s) == columns.end())
      k.fail("dataset /organizations/" + std::string(s) + " is missing");
  std::uint64_t rows = 0;
  if (complete) {
    rows = k.u64_attribute("organizations");
    for (const auto& c : columns)
      k.dataset("organizations/" + c,
                c == "cell" || c == "organization" ? Kind::Integer : Kind::Number, rows,
                "one per organization, as the root attribute organizations");
  } else {
    rows = k.dataset("organizations/cell", Kind::Integer);
    for (const auto& c : columns)
      k.dataset("organizations/" + c, c == "organization" ? Kind::Integer : Kind::Number, rows,
                "one per organization, as /organizations/cell");
  }
  if (!complete && !k.has_group("cells")) return;  // a run that did not finish: rows only

  // /cells: one value per cell; segments address the rows.
  k.require_group("cells", "the cell table");
  k.attribute("cells", "factors", Kind::Text, true);
  k.attribute("cells", "confidence", Kind::Real);
  const std::string per_cell = "one per cell, as the root attribute cells";
  k.dataset("cells/label", Kind::Text, cells, per_cell);
  const auto orgs = k.integers("cells/organizations");
  if (orgs.size() != cells)
    k.fail("dataset /cells/organizations has " + std::to_string(orgs.size()) +
           " values, expected " + std::to_string(cells) + " (" + per_cell + ")");
  const std::uint64_t segments = k.dataset("cells/segments/cell", Kind::Integer);
  const std::string per_segment = "one per segment, as /cells/segments/cell";
  k.dataset("cells/segments/first", Kind::Integer, segments, per_segment);
  k.dataset("cells/segments/count", Kind::Integer, segments, per_segment);
  {
    const auto seg_cell = k.integers("cells/segments/cell");
    const auto seg_count = k.integers("cells/segments/count");
    std::vector<std::uint64_t> in_cell(cells, 0);
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < seg_cell.size(); ++i) {
      if (seg_cell[i] >= cells)
        k.fail("/cells/segments/cell[" + std::to_string(i) + "] = " + std::to_string(seg_cell[i]) +
               " is not a cell (expected < " + std::to_string(cells) + ")");
      if (seg_count[i] > rows - std::min(rows, total))
        k.fail("/cells/segments/count adds up to more than the " + std::to_string(rows) +
               " rows of /organizations");
      total += seg_count[i];
      in_cell[seg_cell[i]] += seg_count[i];
    }
    if (total != rows)
      k.fail("/cells/segments/count adds up to " + std::to_string(total) + ", expected " +
             std::to_string(rows) + " (the rows of /organizations)");
    for (std::uint64_t c = 0; c < cells; ++c)
      if (in_cell[c] != orgs[c])
        k.fail("/cells/organizations[" + std::to_string(c) + "] = " + std::to_string(orgs[c]) +
               ", but its segments hold " + std::to_string(in_cell[c]) + " rows");
  }
  if (k.has_group("cells/parameters"))
    for (const auto& p : k.list("cells/parameters")) {
      const std::string path = "cells/parameters/" + p;
      k.dataset(path, Kind::TextOrNumber, cells, per_cell);
    }
  k.require_group("cells/stats", "the statistics of each column");
  const auto stats = k.list("cells/stats");
  for (const auto& c : columns)
    if (c != "cell" && c != "organization" &&
        std::find(stats.begin(), stats.end(), c) == stats.end())
      k.fail("group /cells/stats/" + c + " is missing (the statistics of column /organizations/" +
             c + ")");
  for (const auto& s : stats) {
    const std::string g = "cells/stats/" + s + "/";
    if (std::find(columns.begin(), columns.end(), s) == columns.end())
      k.fail("/cells/stats/" + s + " has no column /organizations/" + s);
    for (const char* f : kStatCounts) k.dataset(g + f, Kind::Integer, cells, per_cell);
    for (const char* f : kStatReals) k.dataset(g + f, Kind::Real, cells, per_cell);
    bool binary = k.has_dataset(g + "successes");
    for (const char* f : kBinaryReals) binary = binary || k.has_dataset(g + f);
    if (binary) {
      k.dataset(g + "successes", Kind::Integer, cells, per_cell);
      for (const char* f : kBinaryReals) k.dataset(g + f, Kind::Real, cells, per_cell);
    }
  }

  if (k.has_group("claims")) validate_claims(k);
  if (k.has_group("patterns")) validate_patterns(k);
  if (k.has_group("variance"))
    for (const auto& c : k.list("variance")) {
      const std::string g = "variance/" + c;
      if (!k.has_group(g)) k.fail("/" + g + " is not a group");
      const std::uint64_t n = k.dataset(g + "/factor", Kind::Text);
      k.dataset(g + "/eta_squared", Kind::Real, n, "one per factor, as " + g + "/factor");
    }
}

void validate_part_header(hid_t file, const std::string& ctx) {
  const Checker k(file, ctx);
  validate_run_header(k);
  for (const char* s : {"round", "first_block", "end_block", "rows", "cells"})
    k.attribute("", s, Kind::Integer);
}

void validate_part_layout(hid_t file, const std::string& ctx, std::uint64_t rows,
                          std::uint64_t blocks) {
  const Checker k(file, ctx);
  k.require_group("organizations", "the per-organization rows");
  const auto columns = k.list("organizations");
  if (columns.size() < 2 || columns[0] != "cell" || columns[1] != "organization")
    k.fail("/organizations does not start with the datasets cell and organization");
  const std::string per_row = "one per organization, as the attribute rows";
  for (const auto& c : columns)
    k.dataset("organizations/" + c,
              c == "cell" || c == "organization" ? Kind::Integer : Kind::Number, rows, per_row);
  k.require_group("blocks", "the blocks of the part");
  const std::string per_block = "one per block, as the attributes first_block and end_block";
  for (const char* f : kPartBlockFields)
    k.dataset(std::string("blocks/") + f, Kind::Integer, blocks, per_block);
  k.require_group("blocks/accumulators", "the accumulators of each block");
  std::set<std::string> expected(columns.begin() + 2, columns.end());
  for (const auto& a : k.list("blocks/accumulators"))
    if (!expected.count(a))
      k.fail("/blocks/accumulators/" + a + " has no column /organizations/" + a);
  for (const auto& c : expected) {
    k.require_group("blocks/accumulators/" + c, "the accumulators of column " + c);
    for (const char* f : kPartAccumulatorFields)
      k.dataset("blocks/accumulators/" + c + "/" + f, Kind::Real, blocks, per_block);
  }
}

}  // namespace tribe::io

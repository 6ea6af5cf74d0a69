#include "tribe/io/hdf5.hpp"

#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstring>
#include <mutex>
#include <thread>

#include "tribe/core/error.hpp"

namespace tribe::io::h5 {

void quiet_errors() {
  thread_local bool quiet = false;
  if (quiet) return;
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  quiet = true;
}

namespace {

// The file drivers put the system's words into the stack's descriptions:
// "... errno = 28, error message = 'No space left on device', ...".
herr_t find_errno_text(unsigned, const H5E_error2_t* e, void* out) {
  auto& text = *static_cast<std::string*>(out);
  if (!text.empty() || !e->desc) return 0;
  const std::string desc = e->desc;
  const std::string key = "error message = '";
  const auto at = desc.find(key);
  if (at == std::string::npos) return 0;
  const auto end = desc.find('\'', at + key.size());
  if (end != std::string::npos) text = desc.substr(at + key.size(), end - at - key.size());
  return 0;
}

}  // namespace

namespace {
herr_t find_text(unsigned, const H5E_error2_t* e, void* data) {
  auto& [needle, found] = *static_cast<std::pair<std::string_view, bool>*>(data);
  if (e->desc && std::string_view(e->desc).find(needle) != std::string_view::npos) found = true;
  return 0;
}
}  // namespace

bool error_stack_contains(std::string_view needle) {
  std::pair<std::string_view, bool> data{needle, false};
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, find_text, &data);
  return data.second;
}

std::string error_detail() {
  std::string text;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, find_errno_text, &text);
  return text.empty() ? std::string() : " (" + text + ")";
}

namespace {

/// "<context>: <what>", with the system's reason when HDF5 recorded one.
std::string failure(const std::string& context, std::string_view what) {
  std::string text;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, find_errno_text, &text);
  return context + ": " + std::string(what) + (text.empty() ? "" : ": " + text);
}

}  // namespace

Handle checked(hid_t id, Handle::Closer closer, const std::string& context, std::string_view what) {
  if (id < 0) throw EnvironmentError(failure(context, what));
  return Handle(id, closer);
}

void close_checked(Handle& h, const std::string& context, std::string_view what) {
  if (h.close() < 0) throw EnvironmentError(failure(context, what));
}

void check(herr_t status, const std::string& context, std::string_view what) {
  if (status < 0) throw EnvironmentError(failure(context, what));
}

Handle create_file(const std::string& path, const std::string& ctx, std::string_view what) {
  Handle fapl =
      checked(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, ctx, "cannot create a file access list");
  check(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_V110, H5F_LIBVER_V110), ctx,
        "cannot select HDF5's 1.10 file format");
  return checked(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get()), H5Fclose, ctx,
                 what);
}

namespace {

struct Digest {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a 64
  bool ok = true;
  void add(const void* data, std::size_t n) {
    const auto* b = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ULL;
  }
  void add(std::string_view s) {
    const std::uint64_t n = s.size();
    add(&n, sizeof n);  // length first: ("ab", "c") and ("a", "bc") differ
    add(s.data(), s.size());
  }
};

/// Adds the strings of a variable-length string dataset or attribute (`is_attr`), after
/// `name`; other types add nothing (their bytes are in checksummed storage already).
void digest_strings(hid_t obj, bool is_attr, std::string_view name, Digest& d) {
  Handle type(is_attr ? H5Aget_type(obj) : H5Dget_type(obj), H5Tclose);
  if (!type || H5Tget_class(type.get()) != H5T_STRING || H5Tis_variable_str(type.get()) <= 0)
    return;
  d.add(name);
  Handle space(is_attr ? H5Aget_space(obj) : H5Dget_space(obj), H5Sclose);
  if (!space) {
    d.ok = false;
    return;
  }
  const hssize_t n = H5Sget_simple_extent_npoints(space.get());
  if (n < 0 || n > (hssize_t{1} << 40)) {
    d.ok = false;
    return;
  }
  std::vector<char*> ptrs(static_cast<std::size_t>(n), nullptr);
  Handle mem(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(mem.get(), H5T_VARIABLE);
  H5Tset_cset(mem.get(), H5T_CSET_UTF8);
  const herr_t status = n == 0 ? 0
                        : is_attr
                            ? H5Aread(obj, mem.get(), ptrs.data())
                            : H5Dread(obj, mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data());
  if (status < 0) {
    d.ok = false;
    return;
  }
  for (char* p : ptrs) d.add(p ? std::string_view(p) : std::string_view());
  if (n > 0) H5Dvlen_reclaim(mem.get(), space.get(), H5P_DEFAULT, ptrs.data());
}

herr_t digest_attribute(hid_t obj, const char* name, const H5A_info_t*, void* data) {
  auto& d = *static_cast<Digest*>(data);
  Handle a(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose);
  if (!a) {
    d.ok = false;
    return 0;
  }
  digest_strings(a.get(), true, name, d);
  return 0;
}

herr_t digest_object(hid_t root, const char* name, const H5O_info_t* info, void* data) {
  auto& d = *static_cast<Digest*>(data);
  d.add(std::string_view(name));  // every object, in name order
  Handle obj(H5Oopen(root, name, H5P_DEFAULT), H5Oclose);
  if (!obj) {
    d.ok = false;
    return 0;
  }
  hsize_t at = 0;
  if (H5Aiterate2(obj.get(), H5_INDEX_NAME, H5_ITER_INC, &at, digest_attribute, &d) < 0)
    d.ok = false;
  if (info->type == H5O_TYPE_DATASET) digest_strings(obj.get(), false, ".", d);
  return 0;
}

}  // namespace

bool string_digest(hid_t file, std::uint64_t& digest) {
  Digest d;
  if (H5Ovisit(file, H5_INDEX_NAME, H5_ITER_INC, digest_object, &d) < 0) return false;
  if (!d.ok) return false;
  digest = d.h;
  return true;
}

Handle create_group(hid_t parent, const std::string& name, const std::string& ctx) {
  Handle gcpl = checked(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, ctx, "cannot create property list");
  // Track creation order so readers list datasets in the order they were written.
  H5Pset_link_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
  return checked(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), H5Gclose,
                 ctx, "cannot create group " + name);
}

Handle open_group(hid_t parent, const std::string& name, const std::string& ctx) {
  return checked(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), H5Gclose, ctx,
                 "missing group " + name + " (not a complete tribe result file?)");
}

bool exists(hid_t parent, const std::string& path) {
  return H5Lexists(parent, path.c_str(), H5P_DEFAULT) > 0;
}

namespace {

void write_scalar_attribute(hid_t obj, const std::string& name, hid_t file_type, hid_t mem_type,
                            const void* value, const std::string& ctx) {
  if (H5Aexists(obj, name.c_str()) > 0) H5Adelete(obj, name.c_str());
  Handle space = checked(H5Screate(H5S_SCALAR), H5Sclose, ctx, "cannot create dataspace");
  Handle attr =
      checked(H5Acreate2(obj, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
              H5Aclose, ctx, "cannot create attribute " + name);
  check(H5Awrite(attr.get(), mem_type, value), ctx, "cannot write attribute " + name);
}

Handle utf8_string_type(const std::string& ctx) {
  Handle t = checked(H5Tcopy(H5T_C_S1), H5Tclose, ctx, "cannot create string type");
  H5Tset_size(t.get(), H5T_VARIABLE);
  H5Tset_cset(t.get(), H5T_CSET_UTF8);
  return t;
}

Handle open_attribute(hid_t obj, const std::string& name, const std::string& ctx) {
  return checked(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose, ctx,
                 "missing attribute " + name);
}

}  // namespace

void write_attribute(hid_t obj, const std::string& name, std::string_view value,
                     const std::string& ctx) {
  Handle t = utf8_string_type(ctx);
  std::string copy(value);
  const char* p = copy.c_str();
  write_scalar_attribute(obj, name, t.get(), t.get(), &p, ctx);
}

void write_attribute(hid_t obj, const std::string& name, std::uint64_t value,
                     const std::string& ctx) {
  write_scalar_attribute(obj, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, &value, ctx);
}

void write_attribute(hid_t obj, const std::string& name, double value, const std::string& ctx) {
  write_scalar_attribute(obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value, ctx);
}

void write_attribute(hid_t obj, const std::string& name, const std::vector<std::uint32_t>& value,
                     const std::string& ctx) {
  if (H5Aexists(obj, name.c_str()) > 0) H5Adelete(obj, name.c_str());
  const hsize_t n = value.size();
  Handle space =
      checked(H5Screate_simple(1, &n, nullptr), H5Sclose, ctx, "cannot create dataspace");
  Handle attr =
      checked(H5Acreate2(obj, name.c_str(), H5T_STD_U32LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
              H5Aclose, ctx, "cannot create attribute " + name);
  check(H5Awrite(attr.get(), H5T_NATIVE_UINT32, value.data()), ctx,
        "cannot write attribute " + name);
}

void write_attribute(hid_t obj, const std::string& name, const std::vector<std::string>& value,
                     const std::string& ctx) {
  if (H5Aexists(obj, name.c_str()) > 0) H5Adelete(obj, name.c_str());
  Handle t = utf8_string_type(ctx);
  const hsize_t n = value.size();
  Handle space =
      checked(H5Screate_simple(1, &n, nullptr), H5Sclose, ctx, "cannot create dataspace");
  Handle attr =
      checked(H5Acreate2(obj, name.c_str(), t.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
              H5Aclose, ctx, "cannot create attribute " + name);
  if (value.empty()) return;  // an empty list: nothing to write
  std::vector<const char*> ptrs;
  for (const auto& s : value) ptrs.push_back(s.c_str());
  check(H5Awrite(attr.get(), t.get(), ptrs.data()), ctx, "cannot write attribute " + name);
}

bool has_attribute(hid_t obj, const std::string& name) {
  return H5Aexists(obj, name.c_str()) > 0;
}

H5T_class_t attribute_class(hid_t obj, const std::string& name) {
  if (H5Aexists(obj, name.c_str()) <= 0) return H5T_NO_CLASS;
  Handle attr(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose);
  if (!attr) return H5T_NO_CLASS;
  Handle type(H5Aget_type(attr.get()), H5Tclose);
  return type ? H5Tget_class(type.get()) : H5T_NO_CLASS;
}

std::string read_string_attribute(hid_t obj, const std::string& name, const std::string& ctx) {
  auto v = read_strings_attribute(obj, name, ctx);
  if (v.size() != 1)
    throw EnvironmentError(ctx + ": attribute " + name + " is not a single string");
  return v[0];
}

std::vector<std::string> read_strings_attribute(hid_t obj, const std::string& name,
                                                const std::string& ctx) {
  Handle attr = open_attribute(obj, name, ctx);
  Handle ftype = checked(H5Aget_type(attr.get()), H5Tclose, ctx, "cannot read type of " + name);
  if (H5Tget_class(ftype.get()) != H5T_STRING)
    throw EnvironmentError(ctx + ": attribute " + name + " is not a string");
  Handle space = checked(H5Aget_space(attr.get()), H5Sclose, ctx, "cannot read attribute " + name);
  const hssize_t n = H5Sget_simple_extent_npoints(space.get());
  std::vector<std::string> out;
  if (n <= 0) return out;
  if (H5Tis_variable_str(ftype.get()) > 0) {
    Handle t = utf8_string_type(ctx);
    std::vector<char*> ptrs(static_cast<std::size_t>(n), nullptr);
    check(H5Aread(attr.get(), t.get(), ptrs.data()), ctx, "cannot read attribute " + name);
    for (char* p : ptrs) out.emplace_back(p ? p : "");
    H5Dvlen_reclaim(t.get(), space.get(), H5P_DEFAULT, ptrs.data());
  } else {
    const std::size_t size = H5Tget_size(ftype.get());
    std::vector<char> buf(size * static_cast<std::size_t>(n) + 1, '\0');
    check(H5Aread(attr.get(), ftype.get(), buf.data()), ctx, "cannot read attribute " + name);
    for (hssize_t i = 0; i < n; ++i) {
      const char* p = buf.data() + static_cast<std::size_t>(i) * size;
      out.emplace_back(p, strnlen(p, size));
    }
  }
  return out;
}

std::uint64_t read_u64_attribute(hid_t obj, const std::string& name, const std::string& ctx) {
  Handle attr = open_attribute(obj, name, ctx);
  std::uint64_t v = 0;
  check(H5Aread(attr.get(), H5T_NATIVE_UINT64, &v), ctx, "cannot read attribute " + name);
  return v;
}

double read_double_attribute(hid_t obj, const std::string& name, const std::string& ctx) {
  Handle attr = open_attribute(obj, name, ctx);
  double v = 0;
  check(H5Aread(attr.get(), H5T_NATIVE_DOUBLE, &v), ctx, "cannot read attribute " + name);
  return v;
}

std::vector<std::uint32_t> read_u32s_attribute(hid_t obj, const std::string& name,
                                               const std::string& ctx) {
  Handle attr = open_attribute(obj, name, ctx);
  Handle space = checked(H5Aget_space(attr.get()), H5Sclose, ctx, "cannot read attribute " + name);
  std::vector<std::uint32_t> v(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get())));
  check(H5Aread(attr.get(), H5T_NATIVE_UINT32, v.data()), ctx, "cannot read attribute " + name);
  return v;
}

Handle create_dataset(hid_t parent, const std::string& name, hid_t file_type, std::uint64_t n,
                      const std::string& ctx, Storage storage) {
  const hsize_t dims = n;
  Handle space =
      checked(H5Screate_simple(1, &dims, nullptr), H5Sclose, ctx, "cannot create dataspace");
  Handle dcpl =
      checked(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, ctx, "cannot create property list");
  Handle dapl =
      checked(H5Pcreate(H5P_DATASET_ACCESS), H5Pclose, ctx, "cannot create property list");
  const bool compress = storage.compress && n >= 4096;
  if ((compress || storage.checksum) && n > 0) {
    const hsize_t chunk = std::min<hsize_t>(n, storage.max_chunk);
    H5Pset_chunk(dcpl.get(), 1, &chunk);
    if (compress) {
      H5Pset_shuffle(dcpl.get());
      H5Pset_deflate(dcpl.get(), 1);
    }
    // Last in the pipeline: the checksum covers the bytes as stored. HDF5 refuses
    // Fletcher-32 on variable-length strings; deflate's zlib stream carries an Adler-32
    // checksum of its own, so a damaged chunk of strings fails to read just the same.
    if (storage.checksum && H5Tis_variable_str(file_type) > 0) {
      if (!compress) H5Pset_deflate(dcpl.get(), 1);
    } else if (storage.checksum) {
      H5Pset_fletcher32(dcpl.get());
    }
    // A dataset filled a few rows at a time needs only its partly filled chunk cached:
    // room for two, whole chunks leaving first, so that written chunks do not pile up.
    H5Pset_chunk_cache(dapl.get(), H5D_CHUNK_CACHE_NSLOTS_DEFAULT,
                       2 * chunk * H5Tget_size(file_type), 1.0);
  }
  return checked(
      H5Dcreate2(parent, name.c_str(), file_type, space.get(), H5P_DEFAULT, dcpl.get(), dapl.get()),
      H5Dclose, ctx, "cannot create dataset " + name);
}

void write_dataset(hid_t parent, const std::string& name, hid_t file_type, hid_t mem_type,
                   const void* data, std::uint64_t n, const std::string& ctx, bool compress) {
  Handle ds = create_dataset(parent, name, file_type, n, ctx, Storage{compress, true});
  if (n > 0)
    check(H5Dwrite(ds.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), ctx,
          "cannot write dataset " + name + " (disk full?)");
  close_checked(ds, ctx, "cannot write dataset " + name + " (disk full?)");
}

void write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values,
                   const std::string& ctx) {
  Handle t = utf8_string_type(ctx);
  std::vector<const char*> ptrs;
  for (const auto& s : values) ptrs.push_back(s.c_str());
  write_dataset(parent, name, t.get(), t.get(), ptrs.data(), values.size(), ctx);
}

Handle create_extendible(hid_t parent, const std::string& name, hid_t file_type,
                         std::uint64_t chunk, const std::string& ctx) {
  const hsize_t zero = 0, unlimited = H5S_UNLIMITED, c = chunk;
  Handle space =
      checked(H5Screate_simple(1, &zero, &unlimited), H5Sclose, ctx, "cannot create dataspace");
  Handle dcpl =
      checked(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, ctx, "cannot create property list");
  H5Pset_chunk(dcpl.get(), 1, &c);
  H5Pset_shuffle(dcpl.get());
  H5Pset_deflate(dcpl.get(), 1);
  H5Pset_fletcher32(dcpl.get());
  return checked(H5Dcreate2(parent, name.c_str(), file_type, space.get(), H5P_DEFAULT, dcpl.get(),
                            H5P_DEFAULT),
                 H5Dclose, ctx, "cannot create dataset " + name);
}

namespace {

// HDF5's Fletcher-32 (H5_checksum_fletcher32 in H5checksum.c): sums of big-endian 16-bit
// words, folded every 360 words; an odd last byte counts as the high byte of a word.
std::uint32_t fletcher32(const std::uint8_t* data, std::size_t bytes) {
  std::size_t words = bytes / 2;
  std::uint32_t sum1 = 0, sum2 = 0;
  while (words > 0) {
    std::size_t run = std::min<std::size_t>(words, 360);
    words -= run;
    do {
      sum1 += (static_cast<std::uint32_t>(data[0]) << 8) | data[1];
      data += 2;
      sum2 += sum1;
    } while (--run > 0);
    sum1 = (sum1 & 0xffff) + (sum1 >> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  }
  if (bytes % 2 != 0) {
    sum1 += static_cast<std::uint32_t>(*data) << 8;
    sum2 += sum1;
    sum1 = (sum1 & 0xffff) + (sum1 >> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  }
  sum1 = (sum1 & 0xffff) + (sum1 >> 16);
  sum2 = (sum2 & 0xffff) + (sum2 >> 16);
  return (sum2 << 16) | sum1;
}

// The filter pipeline of create_extendible, as HDF5 runs it on a chunk: shuffle (byte k of
// element i to position k n + i), deflate (zlib's compress2 at level 1, what
// H5Z_filter_deflate calls), then Fletcher-32 of the compressed bytes appended little-endian.
// Returns false if zlib fails (the caller then lets HDF5 write the chunk).
bool filter_chunk(const ChunkWrite& c, std::vector<std::uint8_t>& shuffled,
                  std::vector<std::uint8_t>& out) {
  const std::size_t n = c.elements, e = H5Tget_size(c.mem_type), bytes = n * e;
  const auto* in = static_cast<const std::uint8_t*>(c.data);
  const std::uint8_t* src = in;
  if (e > 1) {
    shuffled.resize(bytes);
    for (std::size_t k = 0; k < e; ++k) {
      std::uint8_t* dst = shuffled.data() + k * n;
      for (std::size_t i = 0; i < n; ++i) dst[i] = in[i * e + k];
    }
    src = shuffled.data();
  }
  uLongf packed = compressBound(static_cast<uLong>(bytes));
  out.resize(packed + 4);
  if (compress2(out.data(), &packed, src, static_cast<uLong>(bytes), 1) != Z_OK) return false;
  const std::uint32_t sum = fletcher32(out.data(), packed);
  for (int b = 0; b < 4; ++b) out[packed + b] = static_cast<std::uint8_t>(sum >> (8 * b));
  out.resize(packed + 4);
  return true;
}

}  // namespace

void write_chunks(std::span<const ChunkWrite> chunks, unsigned threads, const std::string& ctx) {
  const std::size_t n = chunks.size();
  std::vector<std::vector<std::uint8_t>> filtered(n);
  std::vector<char> ok(n, 0);
  if constexpr (std::endian::native == std::endian::little) {
    // Plain threads, not an OpenMP team: creating and joining them orders the buffers'
    // writes before the workers' reads for every tool (ThreadSanitizer cannot see the
    // hand-over inside libgomp's thread pool).
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const auto workers =
        static_cast<unsigned>(std::min<std::size_t>(n, threads > 0 ? threads : cores));
    std::atomic<std::size_t> next{0};
    const auto work = [&] {
      std::vector<std::uint8_t> shuffled;
      for (std::size_t i; (i = next.fetch_add(1)) < n;) {
        try {  // out of memory here: that chunk goes through HDF5's pipeline below
          ok[i] = filter_chunk(chunks[i], shuffled, filtered[i]) ? 1 : 0;
        } catch (const std::exception&) {
          ok[i] = 0;
        }
      }
    };
    std::vector<std::thread> pool;
    for (unsigned w = 1; w < workers; ++w) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
  }
  for (std::size_t i = 0; i < n; ++i) {
    const ChunkWrite& c = chunks[i];
    if (ok[i]) {
      const hsize_t offset = c.offset;
      check(H5Dwrite_chunk(c.dataset, H5P_DEFAULT, 0, &offset, filtered[i].size(),
                           filtered[i].data()),
            ctx, "cannot write rows (disk full?)");
    } else {  // through HDF5's own pipeline (big-endian machine, or zlib failed)
      write_rows(c.dataset, c.mem_type, c.data, c.offset, c.elements, ctx);
    }
  }
}

void extend(hid_t dataset, std::uint64_t size, const std::string& ctx) {
  const hsize_t n = size;
  check(H5Dset_extent(dataset, &n), ctx, "cannot extend dataset (disk full?)");
}

void write_rows(hid_t dataset, hid_t mem_type, const void* data, std::uint64_t start,
                std::uint64_t n, const std::string& ctx) {
  if (n == 0) return;
  const hsize_t first = start, count = n;
  Handle fspace = checked(H5Dget_space(dataset), H5Sclose, ctx, "cannot get dataspace");
  check(H5Sselect_hyperslab(fspace.get(), H5S_SELECT_SET, &first, nullptr, &count, nullptr), ctx,
        "cannot select rows");
  Handle mspace =
      checked(H5Screate_simple(1, &count, nullptr), H5Sclose, ctx, "cannot create dataspace");
  check(H5Dwrite(dataset, mem_type, mspace.get(), fspace.get(), H5P_DEFAULT, data), ctx,
        "cannot write rows (disk full?)");
}

std::uint64_t length(hid_t dataset, const std::string& ctx) {
  Handle space = checked(H5Dget_space(dataset), H5Sclose, ctx, "cannot get dataspace");
  if (H5Sget_simple_extent_ndims(space.get()) != 1)
    throw EnvironmentError(ctx + ": dataset is not one-dimensional");
  hsize_t n = 0;
  H5Sget_simple_extent_dims(space.get(), &n, nullptr);
  return n;
}

std::vector<double> read_doubles(hid_t parent, const std::string& name, const std::string& ctx) {
  Handle ds(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose);
  if (!ds) throw DamagedFileError(ctx + ": damaged file: dataset " + name + " is missing");
  std::vector<double> v(length(ds.get(), ctx + "/" + name));
  if (!v.empty() &&
      H5Dread(ds.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()) < 0)
    throw DamagedFileError(ctx + ": damaged file: dataset " + name +
                           " cannot be read (corrupt data or checksum mismatch)" + error_detail());
  return v;
}

std::vector<std::string> read_strings(hid_t parent, const std::string& name,
                                      const std::string& ctx) {
  Handle ds(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose);
  if (!ds) throw DamagedFileError(ctx + ": damaged file: dataset " + name + " is missing");
  Handle t = utf8_string_type(ctx);
  Handle space = checked(H5Dget_space(ds.get()), H5Sclose, ctx, "cannot get dataspace");
  std::vector<char*> ptrs(length(ds.get(), ctx), nullptr);
  std::vector<std::string> out;
  if (ptrs.empty()) return out;
  if (H5Dread(ds.get(), t.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()) < 0)
    throw DamagedFileError(ctx + ": damaged file: dataset " + name +
                           " cannot be read (corrupt data)");
  for (char* p : ptrs) out.emplace_back(p ? p : "");
  H5Dvlen_reclaim(t.get(), space.get(), H5P_DEFAULT, ptrs.data());
  return out;
}

std::vector<std::string> list(hid_t group, const std::string& ctx) {
  H5G_info_t info;
  check(H5Gget_info(group, &info), ctx, "cannot list group");
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    H5_index_t index = H5_INDEX_CRT_ORDER;
    ssize_t len = H5Lget_name_by_idx(group, ".", index, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (len < 0) {
      index = H5_INDEX_NAME;
      len = H5Lget_name_by_idx(group, ".", index, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    }
    if (len < 0) throw EnvironmentError(ctx + ": cannot list group");
    std::string name(static_cast<std::size_t>(len), '\0');
    H5Lget_name_by_idx(group, ".", index, H5_ITER_INC, i, name.data(), name.size() + 1,
                       H5P_DEFAULT);
    names.push_back(name);
  }
  return names;
}

}  // namespace tribe::io::h5

#pragma once
// Thin RAII layer over the HDF5 C API: every handle is closed exactly once, and
// every failure becomes an EnvironmentError naming the file and what failed.
#include <hdf5.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tribe::io::h5 {

/// Silences HDF5's own error printing (we report errors ourselves) for the calling thread:
/// a thread-safe HDF5 keeps one error stack per thread, so every thread that calls HDF5
/// calls this first (cheap after the first time). Idempotent.
void quiet_errors();

/// What the operating system said about the last HDF5 failure of this thread, as
/// " (No space left on device)", taken from the HDF5 error stack; "" when it names no errno.
std::string error_detail();
/// Whether a description on HDF5's error stack (of the last failed call) contains `needle`.
bool error_stack_contains(std::string_view needle);

class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& o) noexcept : id_(std::exchange(o.id_, H5I_INVALID_HID)), closer_(o.closer_) {}
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = std::exchange(o.id_, H5I_INVALID_HID);
      closer_ = o.closer_;
    }
    return *this;
  }
  ~Handle() { reset(); }
  hid_t get() const { return id_; }
  /// Gives up ownership (the caller closes the id and checks the result).
  hid_t release() { return std::exchange(id_, H5I_INVALID_HID); }
  explicit operator bool() const { return id_ >= 0; }
  void reset() { close(); }
  /// Closes the id with its own closer now; returns the closer's status (0 when empty).
  herr_t close() {
    const hid_t id = release();
    return id >= 0 && closer_ ? closer_(id) : 0;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

/// Closes a handle and throws EnvironmentError when closing fails: closing flushes
/// buffered data, so this is where a full disk shows up.
void close_checked(Handle& h, const std::string& context, std::string_view what);

/// Throws EnvironmentError("<context>: <what>") when id < 0; returns the handle otherwise.
Handle checked(hid_t id, Handle::Closer closer, const std::string& context, std::string_view what);
void check(herr_t status, const std::string& context, std::string_view what);

/// Creates (truncates) a file in HDF5's 1.10 file format (H5Pset_libver_bounds, low and high
/// bound 1.10): its superblock, object headers, attribute storage and chunk indexes carry
/// checksums that HDF5 verifies on every read, so damaged metadata is refused rather than
/// used (the chunks carry tribe's own Fletcher-32 checksums). `what` names the failure.
Handle create_file(const std::string& path, const std::string& ctx, std::string_view what);

/// A digest (64-bit FNV-1a) of every variable-length string of a file — of its datasets and
/// its attributes, with their paths, in name order. HDF5 keeps these strings in its global
/// heap, which no checksum covers: the digest, stored in a checksummed attribute of the root
/// (`string_digest`) when a file is finished and recomputed when it is read, detects a
/// changed byte in any of them. Returns false (and leaves `digest`) when a string cannot be
/// read.
bool string_digest(hid_t file, std::uint64_t& digest);

Handle create_group(hid_t parent, const std::string& name, const std::string& ctx);
Handle open_group(hid_t parent, const std::string& name, const std::string& ctx);
bool exists(hid_t parent, const std::string& path);

// Attributes.
void write_attribute(hid_t obj, const std::string& name, std::string_view value,
                     const std::string& ctx);
void write_attribute(hid_t obj, const std::string& name, std::uint64_t value,
                     const std::string& ctx);
void write_attribute(hid_t obj, const std::string& name, double value, const std::string& ctx);
void write_attribute(hid_t obj, const std::string& name, const std::vector<std::uint32_t>& value,
                     const std::string& ctx);
void write_attribute(hid_t obj, const std::string& name, const std::vector<std::string>& value,
                     const std::string& ctx);
bool has_attribute(hid_t obj, const std::string& name);
/// The type class of an attribute (H5T_NO_CLASS when missing or unreadable).
H5T_class_t attribute_class(hid_t obj, const std::string& name);
std::string read_string_attribute(hid_t obj, const std::string& name, const std::string& ctx);
std::vector<std::string> read_strings_attribute(hid_t obj, const std::string& name,
                                                const std::string& ctx);
std::uint64_t read_u64_attribute(hid_t obj, const std::string& name, const std::string& ctx);
double read_double_attribute(hid_t obj, const std::string& name, const std::string& ctx);
std::vector<std::uint32_t> read_u32s_attribute(hid_t obj, const std::string& name,
                                               const std::string& ctx);

// One-dimensional datasets.
/// How a dataset is stored: compressed (shuffled and deflated, when n >= 4096) and/or
/// checksummed (HDF5's Fletcher-32 filter on every chunk: a damaged chunk fails to read).
/// Either needs chunks (min(n, max_chunk) values); a dataset with neither is contiguous.
struct Storage {
  bool compress = true;
  bool checksum = false;
  std::uint64_t max_chunk = 65536;
};
/// Creates a 1-D dataset of n values stored as `file_type`.
Handle create_dataset(hid_t parent, const std::string& name, hid_t file_type, std::uint64_t n,
                      const std::string& ctx, Storage storage = {});
/// Writes a whole 1-D dataset of `mem_type` values stored as `file_type` (compressed if
/// large and `compress`; always checksummed, so that damaged bytes fail to read).
void write_dataset(hid_t parent, const std::string& name, hid_t file_type, hid_t mem_type,
                   const void* data, std::uint64_t n, const std::string& ctx, bool compress = true);
/// Writes n values (of `mem_type`) into rows [start, start + n) of a 1-D dataset.
void write_rows(hid_t dataset, hid_t mem_type, const void* data, std::uint64_t start,
                std::uint64_t n, const std::string& ctx);
void write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values,
                   const std::string& ctx);
/// Creates an extendible, chunked, shuffled, deflated and checksummed 1-D dataset of length 0.
Handle create_extendible(hid_t parent, const std::string& name, hid_t file_type,
                         std::uint64_t chunk, const std::string& ctx);
/// One whole chunk of a dataset made by create_extendible, for write_chunks: `elements`
/// (the dataset's chunk length) values of the native integer or floating type
/// `mem_type`, of the size of the dataset's own type, for elements
/// [offset, offset + elements).
struct ChunkWrite {
  hid_t dataset = -1;
  hid_t mem_type = -1;
  const void* data = nullptr;
  std::size_t elements = 0;
  std::uint64_t offset = 0;
};
/// Writes whole chunks with H5Dwrite_chunk after running the datasets' filters
/// (byte shuffle, deflate level 1, Fletcher-32: the same bytes HDF5's own pipeline
/// writes) on up to `threads` threads (0: all cores), since compression is most of the
/// cost of writing. The datasets must already be extended to cover the chunks. On a
/// big-endian machine the chunks go through H5Dwrite instead.
void write_chunks(std::span<const ChunkWrite> chunks, unsigned threads, const std::string& ctx);
/// Grows an extendible dataset to `size` values (then write_rows fills the new rows).
void extend(hid_t dataset, std::uint64_t size, const std::string& ctx);
std::uint64_t length(hid_t dataset, const std::string& ctx);
/// Reads a whole 1-D numeric dataset converted to double. A dataset that is missing or
/// cannot be read (a damaged chunk) is a DamagedFileError.
std::vector<double> read_doubles(hid_t parent, const std::string& name, const std::string& ctx);
std::vector<std::string> read_strings(hid_t parent, const std::string& name,
                                      const std::string& ctx);
/// Names of the links in a group, in creation order where tracked (else by name).
std::vector<std::string> list(hid_t group, const std::string& ctx);

}  // namespace tribe::io::h5

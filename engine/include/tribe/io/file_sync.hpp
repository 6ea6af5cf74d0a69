#pragma once
// Making a written file durable before it is trusted or renamed into place: shared by
// the result writer (io/result_file.hpp), the part writers (io/part_file.hpp) and the
// report files (report/write.hpp).
#include <filesystem>
#include <string>

#include "tribe/io/hdf5.hpp"

namespace tribe::io {

/// Flushes and closes a file being written at `path`, and checks that everything HDF5
/// wrote reached it (a full disk is not always reported by H5Fclose).
void close_file_checked(h5::Handle& file, const std::filesystem::path& path,
                        const std::string& ctx);
/// fsync; throws EnvironmentError on a data error (EIO, ENOSPC, ...).
void sync_path(const std::filesystem::path& p);

/// Refuses a side file of a run (the lock, the partial file, the parts directory) that is a
/// symbolic link: writing through it would overwrite or fill whatever it points to. Throws
/// EnvironmentError with one line naming the link; a missing path is fine.
/// Writes `text` to `path` as the engine writes its own files: under a temporary name
/// (PATH.partial), synced, then renamed into place and the directory synced, so that a file
/// under the final name is always complete. Throws EnvironmentError with one line naming
/// `what` (e.g. "the report") on any failure, and leaves no temporary file behind.
void write_text_atomically(const std::filesystem::path& path, const std::string& text,
                           const std::string& what);

void refuse_symlink(const std::filesystem::path& p, const std::string& what);

}  // namespace tribe::io

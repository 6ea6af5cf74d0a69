#include "tribe/io/file_sync.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "tribe/core/error.hpp"

namespace tribe::io {
namespace fs = std::filesystem;

void sync_path(const fs::path& p) {
  const int fd = ::open(p.c_str(), O_RDONLY);
  if (fd < 0) return;
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  // Directories may refuse fsync on some file systems (EINVAL): only data errors count.
  if (rc != 0 && (err == EIO || err == ENOSPC || err == EDQUOT || err == EFBIG))
    throw EnvironmentError(p.string() + ": cannot write to disk (" + std::strerror(err) + ")");
}

void close_file_checked(h5::Handle& file, const fs::path& path, const std::string& ctx) {
  h5::check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), ctx, "cannot write file (disk full?)");
  h5::close_checked(file, ctx, "cannot write file (disk full?)");
  // Some write failures are not reported by close: read the file back before trusting it.
  h5::Handle check = h5::checked(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, ctx,
                                 "the file just written cannot be read back (disk full?)");
  if (!h5::has_attribute(check.get(), "filetype"))
    throw EnvironmentError(ctx + ": the file just written cannot be read back (disk full?)");
}

void write_text_atomically(const fs::path& path, const std::string& text, const std::string& what) {
  const fs::path tmp = path.string() + ".partial";
  const auto fail = [&](const std::string& why) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    return EnvironmentError(path.string() + ": cannot write " + what + " (" + why + ")");
  };
  // POSIX calls rather than a stream: each failure comes with its own errno (ENOSPC, EDQUOT,
  // EACCES...), and the data reach the disk (fsync) before the rename makes them visible.
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw fail(std::strerror(errno));
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      throw fail(std::strerror(err));
    }
    written += static_cast<std::size_t>(n);
  }
  const int sync_error = ::fsync(fd) == 0 ? 0 : errno;
  const int close_error = ::close(fd) == 0 ? 0 : errno;
  if (sync_error != 0 || close_error != 0)
    throw fail(std::strerror(sync_error != 0 ? sync_error : close_error));
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) throw fail("cannot rename " + tmp.string() + ": " + ec.message());
  sync_path(path.parent_path().empty() ? fs::path(".") : path.parent_path());
}

void refuse_symlink(const std::filesystem::path& p, const std::string& what) {
  std::error_code ec;
  if (std::filesystem::is_symlink(std::filesystem::symlink_status(p, ec)))
    throw EnvironmentError(p.string() + ": the " + what +
                           " is a symbolic link; tribe does not write through links for its side "
                           "files (remove the link, or choose another output)");
}

}  // namespace tribe::io

// The lock on an output (job.hpp: OutputLock).
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "tribe/core/error.hpp"
#include "tribe/core/fork_close.hpp"
#include "tribe/io/file_sync.hpp"
#include "tribe/job/job.hpp"

namespace tribe::job {
namespace fs = std::filesystem;

namespace {

std::string this_host() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown-host";
  return name;
}

}  // namespace

OutputLock::OutputLock(const fs::path& output) : path_(output) {
  path_ += ".lock";
  // flock() is held for the life of the process and released by the kernel when the
  // process dies, however it dies: a lock file whose flock is free is stale.
  for (int attempt = 0; attempt < 8; ++attempt) {
    // O_NOFOLLOW: a symbolic link at the lock's name is refused, never written through.
    const int fd = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0 && errno == ELOOP) io::refuse_symlink(path_, "lock file of the output");
    if (fd < 0)
      throw EnvironmentError(path_.string() + ": cannot create the lock file of the output (" +
                             std::strerror(errno) + ")");
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      char buf[512] = {};
      const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
      ::close(fd);
      if (err != EWOULDBLOCK)
        throw EnvironmentError(path_.string() + ": cannot lock the output (" + std::strerror(err) +
                               ")");
      std::string holder =
          n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string("another process");
      while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
      throw InputError(output.string() + " is being written by another tribe run (" + holder +
                       "); wait for it to finish or stop it (lock file " + path_.string() + ")");
    }
    // The file may have been removed (released) between open and flock: then lock again.
    struct stat held {
    }, named{};
    if (::fstat(fd, &held) != 0 || ::stat(path_.c_str(), &named) != 0 ||
        held.st_ino != named.st_ino || held.st_dev != named.st_dev) {
      ::close(fd);
      continue;
    }
    const std::string owner = "host " + this_host() + ", PID " + std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) != 0 ||
        ::pwrite(fd, owner.data(), owner.size(), 0) != static_cast<ssize_t>(owner.size())) {
      const int err = errno;
      ::unlink(path_.c_str());
      ::close(fd);
      throw EnvironmentError(path_.string() + ": cannot write the lock file of the output (" +
                             std::strerror(err) + ")");
    }
    fd_ = fd;
    close_in_forked_children(fd_);
    return;
  }
  throw EnvironmentError(path_.string() +
                         ": cannot lock the output (the lock file keeps changing)");
}

OutputLock::~OutputLock() {
  if (fd_ < 0) return;
  keep_in_forked_children(fd_);
  ::unlink(
      path_.c_str());  // before the flock is released: a waiter then finds no file or a new one
  ::close(fd_);
}

}  // namespace tribe::job

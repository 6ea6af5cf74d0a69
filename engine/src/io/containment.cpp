// Containment (io/validate.hpp: contained_check): a file is first checked in a forked
// child, so that metadata that crashes the HDF5 library ends the child, not the caller,
// and the caller reports the file as damaged in one line.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "tribe/core/error.hpp"
#include "tribe/core/fork_close.hpp"
#include "tribe/io/hdf5.hpp"
#include "tribe/io/validate.hpp"

namespace tribe::io {

namespace {

// What the child reports through its pipe: one class letter, then the message.
enum class Outcome : char { ok = 'O', input = 'I', damaged = 'D', environment = 'E', other = 'X' };

void write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

std::string read_all(int fd) {
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return text;
    text.append(buffer, static_cast<std::size_t>(n));
  }
}

[[noreturn]] void run_child(int fd, const std::function<void()>& check) {
  // Not the run's lock: a child still checking when its parent is killed must not hold it.
  close_registered_in_child();
  // Only async-signal-safe exits from here: _exit skips the atexit handlers (HDF5's own
  // shutdown can crash on what a damaged file left open, and the parent's buffers are not
  // the child's to flush).
  // What the C library or HDF5 print when they crash ("free(): invalid pointer") is not
  // the user's error line: the child's answer comes through the pipe alone.
  const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null >= 0) {
    ::dup2(null, STDOUT_FILENO);
    ::dup2(null, STDERR_FILENO);
  }
  std::string report(1, static_cast<char>(Outcome::ok));
  try {
    check();
  } catch (const DamagedFileError& e) {
    report = static_cast<char>(Outcome::damaged) + std::string(e.what());
  } catch (const InputError& e) {
    report = static_cast<char>(Outcome::input) + std::string(e.what());
  } catch (const EnvironmentError& e) {
    report = static_cast<char>(Outcome::environment) + std::string(e.what());
  } catch (const std::exception& e) {
    report = static_cast<char>(Outcome::other) + std::string(e.what());
  } catch (...) {
    report = static_cast<char>(Outcome::other) + std::string("unknown error");
  }
  write_all(fd, report);
  ::close(fd);
  ::_exit(0);
}

}  // namespace

void contained_check(const std::string& ctx, const std::function<void()>& check) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    check();
    return;
  }
  std::fflush(nullptr);  // nothing buffered is written twice
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    check();
    return;
  }
  if (pid == 0) {
    ::close(fds[0]);
    run_child(fds[1], check);
  }
  ::close(fds[1]);
  const std::string report = read_all(fds[0]);
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  const std::string message = report.size() > 1 ? report.substr(1) : std::string();
  const char outcome = report.empty() ? '\0' : report[0];
  // A child that reported before it crashed (HDF5 can crash while closing what a damaged
  // file left half-open) gave the better explanation: use it.
  switch (static_cast<Outcome>(outcome)) {
    case Outcome::ok:
      if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
      break;
    case Outcome::damaged:
      throw DamagedFileError(message);
    case Outcome::input:
      throw InputError(message);
    case Outcome::environment:
      throw EnvironmentError(message);
    case Outcome::other:
      throw std::runtime_error(message);
  }
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
    throw EnvironmentError(ctx +
                           ": the process checking the file was killed (signal 9: out of "
                           "memory, or killed by hand); try again");
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* name = ::strsignal(sig);
    damaged(ctx, "reading its HDF5 structure crashed the HDF5 library (signal " +
                     std::to_string(sig) + ", " + (name ? name : "unknown") +
                     "): its metadata or heap is corrupt");
  }
  // The child ended without a report for another reason (killed by the OOM killer is a
  // signal; this is an exit without a word): the file cannot be trusted to be read here.
  damaged(ctx, "checking it in a separate process ended without an answer (exit status " +
                   std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")");
}

}  // namespace tribe::io

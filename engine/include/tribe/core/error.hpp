#pragma once
// Three tiers of errors (see docs/architecture.md, "Errors"):
//  1. a broken internal invariant  -> TRIBE_CHECK aborts with file and line;
//  2. bad user input                -> InputError (names the key, the value, what is allowed),
//                                      DamagedFileError for a damaged tribe file;
//  3. a fault of the environment    -> EnvironmentError (names the path and the problem).
// The CLI turns 2 and 3 into one clear line on stderr and a non-zero exit.
#include <stdexcept>
#include <string>

namespace tribe {

class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A tribe file (result, part, shard) whose datasets are not what its header and each
/// other say: missing, of another type or length, unreadable (checksum) or out of range.
/// Bad input like any other (exit 2): the message names the file and the dataset.
class DamagedFileError : public InputError {
 public:
  using InputError::InputError;
};

class EnvironmentError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

[[noreturn]] void check_failed(const char* expr, const char* file, int line,
                               const std::string& msg);

/// For a program's `catch (...)`: prints "PROGRAM: error: WHAT" as one line on stderr and
/// returns tribe's exit code for the exception in flight: 2 bad input (InputError), 3 the
/// environment (EnvironmentError: a full disk, a missing tool), 1 anything else.
int report_exception(const char* program) noexcept;

}  // namespace tribe

#define TRIBE_CHECK(cond, msg)                                 \
  do {                                                         \
    if (!(cond)) [[unlikely]]                                  \
      ::tribe::check_failed(#cond, __FILE__, __LINE__, (msg)); \
  } while (0)

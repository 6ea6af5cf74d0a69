#pragma once
// The one place where a tribe file (result, part, shard) is checked before anything in it
// is read or printed: every attribute and dataset the readers use is present, of the
// right type and dimensionality, and as long as the header and the other datasets say
// (one value per cell, per organization, per block, per claim, ...). Index values that
// readers use to address other datasets (segments, blocks) are checked to be in range.
//
// A file that fails gets DamagedFileError (exit 2): one line naming the file, the
// dataset or attribute, and what was expected. Readers may then index every validated
// dataset without further bounds checks.
#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "tribe/io/hdf5.hpp"

namespace tribe::io {

/// What a tribe file says it is: its root's `filetype`, and the major format versions read.
struct FileKind {
  std::string_view filetype;          // "tribe-result", "tribe-part"
  std::string_view noun;              // "result file", "part or shard file"
  std::string_view format;            // "result", "part": "<format> format version 3.x ..."
  std::vector<std::uint32_t> majors;  // the major format versions this tribe reads
};

/// Opens a tribe file read-only once it is one: it exists (else EnvironmentError), is a
/// regular file (else InputError), is HDF5 and names `kind.filetype` (else
/// DamagedFileError), and its format_version is [major, minor] with a major this tribe
/// reads (else InputError naming the version and those it reads).
h5::Handle open_checked(const std::filesystem::path& path, const FileKind& kind);

/// Checks a result file opened at `file` (its filetype and format version already checked).
/// A complete file must hold the cell table; an incomplete one may lack it (a run that
/// did not finish), but what it holds must still be consistent.
void validate_result(hid_t file, const std::string& ctx, bool complete);

/// Checks the header attributes of a part or shard file (their presence and types), before
/// they are read.
void validate_part_header(hid_t file, const std::string& ctx);

/// Checks the datasets of a part or shard file against its header: `rows` organizations
/// and `blocks` blocks; every /organizations dataset has `rows` values, every /blocks
/// dataset and every accumulator `blocks` values, one accumulator group per column.
void validate_part_layout(hid_t file, const std::string& ctx, std::uint64_t rows,
                          std::uint64_t blocks);

/// Recomputes the digest of the file's variable-length strings (h5::string_digest) and
/// compares it with the root's `string_digest` (files written before format 1.2 have none:
/// nothing to compare). A mismatch or an unreadable string is a DamagedFileError.
void verify_string_digest(hid_t file, const std::string& ctx);

/// Runs `check` -- code that opens and validates a file with HDF5 -- in a child process
/// first, then returns; the caller then does its own (identical, deterministic) reading.
/// HDF5 does not validate every structure it parses: a flipped bit in a global heap or an
/// object header can make it copy out of bounds or free a wild pointer (issue 27, item 2).
/// Contained, such a file costs the child, and the caller gets one DamagedFileError
/// naming the signal. An error `check` throws in the child is rethrown here, of the same
/// class (InputError, DamagedFileError, EnvironmentError) and with the same message.
/// Where fork() is not available (resource limits), `check` runs in this process.
void contained_check(const std::string& ctx, const std::function<void()>& check);

/// "<ctx>: damaged file: <what>" as a DamagedFileError.
[[noreturn]] void damaged(const std::string& ctx, const std::string& what);

}  // namespace tribe::io

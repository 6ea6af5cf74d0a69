#pragma once
// A table written by another tool (a CSV file: Mesa's batch_run saved by pandas, NetLogo's
// BehaviorSpace output), read as text: its records with the line each starts on, for
// `tribe import` (job/import.hpp), which gives them a meaning. Nothing here knows a tool.
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace tribe::io {

/// One record of a CSV table: its fields (quotes removed, "" inside quotes read as ") and
/// the line of the file it starts on (1-based; a quoted field may span lines).
struct TableRecord {
  std::size_t line = 0;
  std::vector<std::string> fields;
};

/// The largest table read (a table of a few million rows).
inline constexpr std::uint64_t kMaxTableBytes = 1ull << 30;

/// The bytes of a table file; a missing, unreadable, non-regular or too large file is an
/// InputError naming the path.
std::string read_table_file(const std::filesystem::path& path);

/// The records of CSV text (RFC 4180: comma-separated, fields optionally in double quotes;
/// LF or CRLF line ends; a UTF-8 byte-order mark is skipped). Blank lines are records with
/// one empty field. A quote left open is an InputError "SOURCE:LINE: ...".
std::vector<TableRecord> parse_csv(std::string_view text, const std::string& source);

/// FNV-1a 64 of the bytes, as "fnv1a64:" and 16 hex digits (the checksum the engine records
/// for a model library, catalog/library.hpp).
std::string checksum(std::string_view bytes);

}  // namespace tribe::io

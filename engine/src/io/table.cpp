#include "tribe/io/table.hpp"

#include <cstdint>
#include <cstdio>
#include <fstream>

#include "tribe/core/error.hpp"

namespace tribe::io {
namespace fs = std::filesystem;

std::string read_table_file(const fs::path& path) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status))
    throw InputError(path.string() + ": cannot open the table (missing or unreadable)");
  if (!fs::is_regular_file(status))
    throw InputError(path.string() + ": is not a regular file; expected a table (CSV)");
  const auto size = fs::file_size(path, ec);
  if (ec || size > kMaxTableBytes)
    throw InputError(path.string() + ": the table is " + std::to_string(size) + " bytes; at most " +
                     std::to_string(kMaxTableBytes) + " are allowed");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot open the table (missing or unreadable)");
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) throw InputError(path.string() + ": cannot read the table");
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

std::vector<TableRecord> parse_csv(std::string_view text, const std::string& source) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<TableRecord> records;
  std::size_t line = 1, i = 0;
  while (i < text.size()) {
    TableRecord r{line, {}};
    std::string field;
    bool quoted = false, was_quoted = false;
    const std::size_t opened = line;
    for (;; ++i) {
      if (i == text.size()) {
        if (quoted)
          throw InputError(source + ":" + std::to_string(opened) +
                           ": a quoted field is not closed (expected a closing \")");
        r.fields.push_back(std::move(field));
        break;
      }
      const char c = text[i];
      if (quoted) {
        if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else if (c == '"') {
          quoted = false;
        } else {
          if (c == '\n') ++line;
          field += c;
        }
      } else if (c == '"' && field.empty() && !was_quoted) {
        quoted = was_quoted = true;
      } else if (c == ',') {
        r.fields.push_back(std::move(field));
        field.clear();
        was_quoted = false;
      } else if (c == '\n' || c == '\r') {
        r.fields.push_back(std::move(field));
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
        ++i;
        ++line;
        break;
      } else {
        field += c;
      }
    }
    records.push_back(std::move(r));
  }
  return records;
}

std::string checksum(std::string_view bytes) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return std::string("fnv1a64:") + hex;
}

}  // namespace tribe::io

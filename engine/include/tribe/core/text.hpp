#pragma once
// Small text helpers shared by the layers that write text (stored descriptions, reports).
#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace tribe {

/// The name of an enum value, from names listed in the enum's order:
/// `enum_name(std::array<std::string_view, 3>{"serial", "openmp", "tbb"}, Backend::TBB)` is
/// "tbb". A value beyond the table (read from a damaged file, say) gives "?".
template <class E, std::size_t N>
constexpr std::string_view enum_name(const std::array<std::string_view, N>& names, E value) {
  const auto i = static_cast<std::size_t>(value);
  return i < N ? names[i] : std::string_view("?");
}

/// The items separated by `sep`: join({"a", "b"}, ", ") is "a, b"; no items give "".
inline std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string s;
  for (const auto& x : items) {
    if (!s.empty()) s += sep;
    s += x;
  }
  return s;
}

/// `text` safe to print as one line of a terminal: control characters (newline, tab,
/// escape, DEL, and the C1 controls U+0080-U+009F) written as escapes (\n, \t, \x1b,
/// \u009b), everything else as is. Every error message is printed through it, so a value
/// echoed from a file or a command line cannot split an error over lines or reach the
/// terminal as an escape sequence.
inline std::string one_line(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else if (c == 0xc2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      const auto d = static_cast<unsigned char>(text[++i]);
      out += "\\u00";
      out += kHex[d >> 4];
      out += kHex[d & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace tribe

#pragma once
// Small text helpers shared by the layers that write text (stored descriptions, reports).
#include <string>
#include <string_view>
#include <vector>

namespace tribe {

/// The items separated by `sep`: join({"a", "b"}, ", ") is "a, b"; no items give "".
inline std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string s;
  for (const auto& x : items) {
    if (!s.empty()) s += sep;
    s += x;
  }
  return s;
}

}  // namespace tribe

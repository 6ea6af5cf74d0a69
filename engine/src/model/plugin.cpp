#include "tribe/model/plugin.hpp"

#include <algorithm>

namespace tribe::model {

std::string naming_mismatch(std::string_view what, std::span<const std::string_view> declared,
                            std::string_view declared_in, std::span<const std::string> listed,
                            std::string_view listed_in) {
  const auto quoted = [](std::string_view name) { return "\"" + std::string(name) + "\""; };
  const std::size_t common = std::min(declared.size(), listed.size());
  for (std::size_t i = 0; i < common; ++i)
    if (declared[i] != listed[i])
      return std::string(what) + " " + std::to_string(i) + " is " + quoted(declared[i]) + " in " +
             std::string(declared_in) + " but " + quoted(listed[i]) + " in " +
             std::string(listed_in);
  if (declared.size() == listed.size()) return {};
  const std::string first_extra =
      declared.size() > listed.size()
          ? quoted(declared[common]) + " only in " + std::string(declared_in)
          : quoted(listed[common]) + " only in " + std::string(listed_in);
  return std::string(declared_in) + " has " + std::to_string(declared.size()) + " " +
         std::string(what) + "s but " + std::string(listed_in) + " has " +
         std::to_string(listed.size()) + " (" + std::string(what) + " " + std::to_string(common) +
         ": " + first_extra + ")";
}

std::vector<std::string> names_of(std::span<const ParameterSpec> specs) {
  std::vector<std::string> names;
  for (const auto& s : specs) names.push_back(s.name);
  return names;
}

std::vector<std::string> names_of(std::span<const ColumnSpec> specs) {
  std::vector<std::string> names;
  for (const auto& s : specs) names.push_back(s.name);
  return names;
}

}  // namespace tribe::model

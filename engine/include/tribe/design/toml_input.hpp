#pragma once
// Reading TOML input with one clear line per wrong key ("KEY = VALUE (line N) is not
// allowed: WHAT IS"): shared by the experiment parser (design/experiment.cpp) and the
// parser of the experiment's [[claims]] (claims/parse.hpp). The engine's own; not installed.
#include <toml++/toml.h>

#include <string>
#include <string_view>
#include <vector>

#include "tribe/model/parameters.hpp"

namespace tribe::design::toml_input {

/// Parses TOML text; malformed TOML is an InputError naming the line and column.
toml::table parse(std::string_view text, const std::string& source);

/// " (line N)" of a node, or "" when it has no source position.
std::string where(const toml::node& n);

/// Throws InputError: `key = value (line N) is not allowed: allowed`.
[[noreturn]] void fail(const std::string& key, const toml::node& n, const std::string& allowed);

/// A finite number (integer or float), or fail().
double number(const std::string& key, const toml::node& n, const std::string& allowed);

/// A finite number for which `accept(value)` holds, or fail() with `allowed` (which says
/// the range in words, as the user reads it).
template <class Accept>
double number_where(const std::string& key, const toml::node& n, const std::string& allowed,
                    Accept accept) {
  const double v = number(key, n, allowed);
  if (!accept(v)) fail(key, n, allowed);
  return v;
}

/// Converts one TOML value into the encoded value of parameter `s`, or throws.
double parameter_value(const std::string& key, const model::ParameterSpec& s, const toml::node& n);

/// Throws InputError naming the first key of `t` that is not in `known`, and the allowed keys.
void reject_unknown_keys(const toml::table& t, const std::string& prefix,
                         const std::vector<std::string>& known);

}  // namespace tribe::design::toml_input

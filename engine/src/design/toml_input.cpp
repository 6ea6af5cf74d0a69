// Reading TOML with one clear line per wrong key (design/toml_input.hpp): shared by the
// experiment's parser (design/experiment.cpp) and the claims' (claims/parse.cpp).
#include "tribe/design/toml_input.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "tribe/core/error.hpp"
#include "tribe/core/text.hpp"

namespace tribe::design {
namespace toml_input {

using model::ParameterSpec;
using model::ParamType;

std::string where(const toml::node& n) {
  const auto& src = n.source();
  if (!src.begin) return "";
  return " (line " + std::to_string(src.begin.line) + ")";
}

std::string describe(const toml::node& n) {
  std::ostringstream os;
  if (n.is_string()) {
    os << '"' << n.as_string()->get() << '"';
  } else if (n.is_table()) {
    os << "a table";
  } else if (n.is_array()) {
    os << "an array";
  } else {
    os << toml::node_view<const toml::node>(n);
  }
  return os.str();
}

[[noreturn]] void fail(const std::string& key, const toml::node& n, const std::string& allowed) {
  throw InputError(key + " = " + describe(n) + where(n) + " is not allowed: " + allowed);
}

std::string allowed_range(const ParameterSpec& s) {
  switch (s.type) {
    case ParamType::Boolean:
      return "expected true or false";
    case ParamType::Choice: {
      std::string r = "expected one of";
      for (std::size_t i = 0; i < s.choices.size(); ++i)
        r += (i ? ", \"" : " \"") + s.choices[i] + "\"";
      return r;
    }
    case ParamType::Integer:
      return "expected an integer in [" + model::format_value(s, s.min) + ", " +
             model::format_value(s, s.max) + "]";
    case ParamType::Real:
      return "expected a number in [" + model::format_value(s, s.min) + ", " +
             model::format_value(s, s.max) + "]";
  }
  return "";
}

/// Converts one TOML value into the encoded value of parameter `s`, or throws.
double parameter_value(const std::string& key, const ParameterSpec& s, const toml::node& n) {
  const std::string allowed = allowed_range(s);
  switch (s.type) {
    case ParamType::Boolean:
      if (auto b = n.as_boolean()) return b->get() ? 1.0 : 0.0;
      fail(key, n, allowed);
    case ParamType::Choice:
      if (auto str = n.as_string()) {
        for (std::size_t i = 0; i < s.choices.size(); ++i)
          if (s.choices[i] == str->get()) return static_cast<double>(i);
      }
      fail(key, n, allowed);
    case ParamType::Integer: {
      auto i = n.as_integer();
      if (!i) fail(key, n, allowed);
      const auto v = static_cast<double>(i->get());
      if (v < s.min || v > s.max) fail(key, n, allowed);
      return v;
    }
    case ParamType::Real: {
      double v;
      if (auto i = n.as_integer()) {
        v = static_cast<double>(i->get());
      } else if (auto f = n.as_floating_point()) {
        v = f->get();
      } else {
        fail(key, n, allowed);
      }
      if (!std::isfinite(v) || v < s.min || v > s.max) fail(key, n, allowed);
      return v;
    }
  }
  fail(key, n, allowed);
}

void reject_unknown_keys(const toml::table& t, const std::string& prefix,
                         const std::vector<std::string>& known) {
  for (const auto& [k, v] : t) {
    const std::string key(k.str());
    bool found = false;
    for (const auto& name : known) found = found || name == key;
    if (!found)
      throw InputError("unknown key " + prefix + key + where(v) +
                       "; allowed keys: " + join(known, ", "));
  }
}

double number(const std::string& key, const toml::node& n, const std::string& allowed) {
  if (auto i = n.as_integer()) return static_cast<double>(i->get());
  if (auto f = n.as_floating_point()) {
    if (std::isfinite(f->get())) return f->get();
  }
  fail(key, n, allowed);
}

namespace {

/// The most parts a dotted key or table header may have. toml++ limits how deeply values
/// nest but builds a dotted key's tables recursively, so a key of tens of thousands of
/// parts overflows the stack: such a key is refused before toml++ sees it. No experiment
/// needs more than a handful.
constexpr std::size_t kMaxKeyParts = 64;

/// Throws when a key (the text before an '=' outside strings, or a [table] header) has
/// more than kMaxKeyParts dotted parts. A light lexer: it skips strings (all four kinds)
/// and comments, and counts the dots of the key part of each line; it may count the dots
/// of a value written before an '=' on the same line (an inline table), which only ever
/// makes it stricter.
void check_key_depth(std::string_view text) {
  std::size_t line = 1, dots = 0;
  bool in_key = true;  // before the first '=' of the line (or inside a table header)
  bool in_header = false;
  std::size_t i = 0;
  const auto starts = [&](std::string_view s) { return text.substr(i, s.size()) == s; };
  const auto refuse = [&] {
    throw InputError("line " + std::to_string(line) + ": a key or table header with more than " +
                     std::to_string(kMaxKeyParts) + " dotted parts (" + std::to_string(dots + 1) +
                     " or more); at most " + std::to_string(kMaxKeyParts) + " are allowed");
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      dots = 0;
      in_key = true;
      in_header = false;
      ++i;
    } else if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (starts("\"\"\"") || starts("'''")) {
      const std::string_view close = text.substr(i, 3);
      i += 3;
      while (i < text.size() && !starts(close)) {
        if (text[i] == '\n') ++line;
        if (close[0] == '"' && text[i] == '\\') ++i;  // an escape in a basic string
        ++i;
      }
      i += 3;
    } else if (c == '"' || c == '\'') {
      ++i;
      while (i < text.size() && text[i] != c && text[i] != '\n') {
        if (c == '"' && text[i] == '\\') ++i;
        ++i;
      }
      ++i;
    } else {
      if (c == '[' && in_key && dots == 0) in_header = true;
      if (c == '=' && !in_header) {
        in_key = false;
      } else if (c == '{' || c == ',') {
        // An inline table's key follows.
        in_key = true;
        dots = 0;
      } else if (c == '.' && (in_key || in_header)) {
        if (++dots >= kMaxKeyParts) refuse();
      }
      ++i;
    }
  }
}

}  // namespace

toml::table parse(std::string_view text, const std::string& source) {
  check_key_depth(text);
  try {
    return toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    throw InputError("malformed TOML at line " + std::to_string(b.line) + ", column " +
                     std::to_string(b.column) + ": " + std::string(e.description()));
  }
}

}  // namespace toml_input

}  // namespace tribe::design

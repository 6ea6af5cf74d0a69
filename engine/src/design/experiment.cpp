#include "tribe/design/experiment.hpp"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "tribe/core/error.hpp"
#include "tribe/model/registry.hpp"

namespace tribe::design {
namespace {

using model::ParamType;
using model::ParameterSpec;

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
    case ParamType::Boolean: return "expected true or false";
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
    if (!found) {
      std::string list;
      for (const auto& name : known) list += (list.empty() ? "" : ", ") + name;
      throw InputError("unknown key " + prefix + key + where(v) + "; allowed keys: " + list);
    }
  }
}

const toml::table& require_table(const toml::table& root, std::string_view name, bool required) {
  static const toml::table empty;
  const toml::node* n = root.get(name);
  if (!n) {
    if (required) throw InputError("missing table [" + std::string(name) + "]");
    return empty;
  }
  if (!n->is_table()) fail(std::string(name), *n, "expected a table [" + std::string(name) + "]");
  return *n->as_table();
}

std::uint64_t require_uint(const toml::table& t, const std::string& key, std::uint64_t lo,
                           std::uint64_t hi, bool required, std::uint64_t fallback) {
  const std::string full = "experiment." + key;
  const toml::node* n = t.get(key);
  if (!n) {
    if (required) throw InputError("missing key " + full + " (expected an integer in [" +
                                   std::to_string(lo) + ", " + std::to_string(hi) + "])");
    return fallback;
  }
  auto i = n->as_integer();
  const std::string allowed =
      "expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
  if (!i) fail(full, *n, allowed);
  const std::int64_t v = i->get();
  if (v < 0 || static_cast<std::uint64_t>(v) < lo || static_cast<std::uint64_t>(v) > hi)
    fail(full, *n, allowed);
  return static_cast<std::uint64_t>(v);
}

std::string require_string(const toml::table& t, const std::string& key, bool required,
                           std::string fallback) {
  const toml::node* n = t.get(key);
  if (!n) {
    if (required) throw InputError("missing key experiment." + key + " (expected a string)");
    return fallback;
  }
  auto s = n->as_string();
  if (!s) fail("experiment." + key, *n, "expected a string");
  return s->get();
}

}  // namespace

std::uint64_t Experiment::cell_count() const {
  std::uint64_t c = 1;
  for (const auto& f : factors) c *= f.levels.size();
  return c;
}

Experiment parse_experiment(std::string_view text, std::string source_path) {
  toml::table root;
  try {
    root = toml::parse(text, source_path);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    throw InputError("malformed TOML at line " + std::to_string(b.line) + ", column " +
                     std::to_string(b.column) + ": " + std::string(e.description()));
  }
  reject_unknown_keys(root, "", {"experiment", "parameters", "factors"});

  Experiment x;
  x.source_path = std::move(source_path);
  x.source_text = std::string(text);

  const toml::table& meta = require_table(root, "experiment", true);
  reject_unknown_keys(meta, "experiment.",
                      {"name", "description", "model", "seed", "organizations_per_cell", "output",
                       "common_random_numbers"});
  x.name = require_string(meta, "name", true, "");
  if (x.name.empty()) throw InputError("experiment.name = \"\" is not allowed: expected a non-empty string");
  x.description = require_string(meta, "description", false, "");
  x.model = &model::find_model(require_string(meta, "model", true, ""));
  x.seed = require_uint(meta, "seed", 0, static_cast<std::uint64_t>(INT64_MAX), true, 0);
  x.organizations_per_cell =
      require_uint(meta, "organizations_per_cell", 1, kMaxOrganizationsPerCell, true, 0);
  x.output = require_string(meta, "output", false, "results/" + x.name + ".h5");
  if (x.output.empty()) throw InputError("experiment.output = \"\" is not allowed: expected a file path");
  if (const toml::node* n = meta.get("common_random_numbers")) {
    auto b = n->as_boolean();
    if (!b) fail("experiment.common_random_numbers", *n, "expected true or false");
    x.common_random_numbers = b->get();
  }

  const auto specs = x.model->parameters();
  std::vector<std::string> names;
  for (const auto& s : specs) names.push_back(s.name);
  x.fixed = model::defaults(specs);

  const toml::table& params = require_table(root, "parameters", false);
  reject_unknown_keys(params, "parameters.", names);
  for (const auto& [k, v] : params) {
    const std::string key(k.str());
    const std::size_t i = model::find_parameter(specs, key);
    x.fixed[i] = parameter_value("parameters." + key, specs[i], v);
  }

  const toml::table& factors = require_table(root, "factors", false);
  reject_unknown_keys(factors, "factors.", names);
  for (const auto& [k, v] : factors) {
    const std::string key(k.str());
    const std::string full = "factors." + key;
    if (params.contains(key))
      throw InputError(full + " contradicts parameters." + key +
                       ": a parameter is either fixed in [parameters] or varied in [factors], "
                       "not both");
    const auto* arr = v.as_array();
    if (!arr) fail(full, v, "expected a non-empty list of levels, e.g. " + key + " = [a, b]");
    if (arr->empty()) fail(full, v, "expected a non-empty list of levels (an empty factor has no cells)");
    Factor f{key, model::find_parameter(specs, key), {}};
    std::set<double> seen;
    for (const auto& level : *arr) {
      const double value = parameter_value(full, specs[f.parameter], level);
      if (!seen.insert(value).second)
        fail(full, level, "levels must be distinct (this level appears twice)");
      f.levels.push_back(value);
    }
    x.factors.push_back(std::move(f));
  }

  if (x.cell_count() > kMaxCells)
    throw InputError("factors give " + std::to_string(x.cell_count()) +
                     " cells; at most " + std::to_string(kMaxCells) + " are allowed");
  return x;
}

Experiment load_experiment(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot open experiment file (missing or unreadable)");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw InputError(path.string() + ": cannot read experiment file");
  try {
    return parse_experiment(ss.str(), path.string());
  } catch (const InputError& e) {
    throw InputError(path.string() + ": " + e.what());
  }
}

}  // namespace tribe::design

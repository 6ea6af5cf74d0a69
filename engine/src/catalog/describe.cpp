#include "tribe/catalog/describe.hpp"

#include <sstream>
#include <string_view>

#include "tribe/catalog/library.hpp"
#include "tribe/catalog/registry.hpp"
#include "tribe/core/text.hpp"

namespace tribe::catalog {
using model::format_value;
using model::Model;
using model::ParameterSpec;
using model::ParamType;

namespace {

/// What an experiment file may give for a parameter, in its own TOML syntax.
std::string allowed_values(const ParameterSpec& p) {
  switch (p.type) {
    case ParamType::Boolean:
      return "true, false";
    case ParamType::Choice: {
      std::string s;
      for (const auto& c : p.choices) s += (s.empty() ? "\"" : ", \"") + c + "\"";
      return s;
    }
    case ParamType::Integer:
    case ParamType::Real:
      break;
  }
  return format_value(p, p.min) + " .. " + format_value(p, p.max);
}

std::string default_value(const ParameterSpec& p) {
  const std::string v = format_value(p, p.default_value);
  return p.type == ParamType::Choice ? "\"" + v + "\"" : v;
}

/// Markdown table cells may not contain a bare '|'.
std::string cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string describe_models(Format format) {
  std::ostringstream os;
  if (format == Format::markdown) {
    os << "| model | version | description |\n|---|---|---|\n";
    for (const auto& name : model_names()) {
      const Model& m = find_model(name);
      os << "| `" << m.name() << "` | " << m.version() << " | " << cell(m.description()) << " |\n";
    }
  } else {
    for (const auto& name : model_names()) {
      const Model& m = find_model(name);
      os << m.name() << " " << m.version() << "\n  " << m.description() << "\n";
      if (const ModelLibrary* library = library_of(m))
        os << "  (loaded from " << library->path << ", " << library->checksum << ")\n";
    }
    os << "\n`tribe models NAME` lists a model's parameters and output columns.\n";
  }
  return os.str();
}

std::string describe_model(const Model& m, Format format) {
  std::ostringstream os;
  const bool md = format == Format::markdown;
  if (md) {
    os << "## Model `" << m.name() << "` " << m.version() << "\n\n" << m.description() << "\n\n";
    os << "### Parameters (`[parameters]` and `[factors]` of an experiment)\n\n"
       << "| parameter | type | allowed | default | meaning |\n|---|---|---|---|---|\n";
    for (const auto& p : m.parameters())
      os << "| `" << p.name << "` | " << to_string(p.type) << " | " << cell(allowed_values(p))
         << " | " << cell(default_value(p)) << " | " << cell(p.description) << " |\n";
    os << "\n### Columns (`/organizations` of a result file)\n\n"
       << "| column | kind | role | meaning |\n|---|---|---|---|\n";
    for (const auto& c : m.columns())
      os << "| `" << c.name << "` | " << to_string(c.kind) << " | " << to_string(c.role) << " | "
         << cell(c.description) << " |\n";
  } else {
    os << m.name() << " " << m.version() << "\n  " << m.description() << "\n\n";
    os << "parameters ([parameters] and [factors] of an experiment):\n";
    for (const auto& p : m.parameters())
      os << "  " << p.name << " (" << to_string(p.type) << ": " << allowed_values(p) << "; default "
         << default_value(p) << ")\n      " << p.description << "\n";
    os << "\ncolumns (/organizations of a result file):\n";
    for (const auto& c : m.columns())
      os << "  " << c.name << " (" << to_string(c.kind) << ", " << to_string(c.role) << ")\n      "
         << c.description << "\n";
  }
  const auto derived = m.derived_columns();
  if (!derived.empty()) {
    os << (md ? "\n### Derived columns (re-computed for the robustness check)\n\n"
              : "\nderived columns (re-computed for the robustness check):\n");
    for (const auto& d : derived) {
      os << (md ? "- `" : "  ") << d.column << (md ? "` from " : " from ") << join(d.inputs, ", ")
         << " with thresholds " << join(d.thresholds, ", ") << "\n";
    }
  }
  return os.str();
}

std::string describe(const std::string& name, Format format) {
  return name.empty() ? describe_models(format) : describe_model(find_model(name), format);
}

}  // namespace tribe::catalog

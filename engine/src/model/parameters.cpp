#include "tribe/model/parameters.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "tribe/core/text.hpp"
namespace tribe::model {

std::string_view to_string(ParamType t) {
  return enum_name(std::array<std::string_view, 4>{"real", "integer", "boolean", "choice"}, t);
}

std::string_view to_string(ColumnKind k) {
  return enum_name(std::array<std::string_view, 3>{"binary", "count", "real"}, k);
}

std::string_view to_string(ColumnRole r) {
  return enum_name(std::array<std::string_view, 2>{"drawn", "outcome"}, r);
}

std::size_t find_parameter(std::span<const ParameterSpec> specs, std::string_view name) {
  for (std::size_t i = 0; i < specs.size(); ++i)
    if (specs[i].name == name) return i;
  return npos;
}

std::size_t find_column(std::span<const ColumnSpec> specs, std::string_view name) {
  for (std::size_t i = 0; i < specs.size(); ++i)
    if (specs[i].name == name) return i;
  // series[t=T]
  const auto open = name.rfind("[t=");
  if (open == std::string_view::npos || open == 0 || name.back() != ']') return npos;
  const std::string_view series = name.substr(0, open),
                         digits = name.substr(open + 3, name.size() - open - 4);
  if (digits.empty() || digits.size() > 9 ||
      digits.find_first_not_of("0123456789") != std::string_view::npos)
    return npos;
  const auto time = static_cast<std::uint32_t>(std::stoul(std::string(digits)));
  for (std::size_t i = 0; i < specs.size(); ++i)
    if (!specs[i].series.empty() && specs[i].series == series && specs[i].time == time) return i;
  return npos;
}

std::string series_point_name(std::string_view series, std::uint32_t time) {
  return std::string(series) + "[t=" + std::to_string(time) + "]";
}

std::string format_number(double value) {
  std::ostringstream os;
  os << value;
  return os.str();
}

std::string format_value(const ParameterSpec& spec, double value) {
  switch (spec.type) {
    case ParamType::Boolean:
      return value != 0.0 ? "true" : "false";
    case ParamType::Choice: {
      const auto i = static_cast<std::size_t>(value);
      return i < spec.choices.size() ? spec.choices[i] : "?";
    }
    case ParamType::Integer: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.0f", value);
      return buf;
    }
    case ParamType::Real:
      break;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", value);
  return buf;
}

ParameterSpec real_parameter(std::string name, double min, double max, double default_value,
                             std::string description) {
  return ParameterSpec{std::move(name),       ParamType::Real, min, max, default_value, {},
                       std::move(description)};
}

ParameterSpec integer_parameter(std::string name, double min, double max, double default_value,
                                std::string description) {
  return ParameterSpec{std::move(name),       ParamType::Integer, min, max, default_value, {},
                       std::move(description)};
}

ColumnSpec column(std::string name, ColumnKind kind, ColumnRole role, std::string description) {
  return ColumnSpec{std::move(name), kind, role, std::move(description), {}, 0};
}

ParameterValues defaults(std::span<const ParameterSpec> specs) {
  ParameterValues v(specs.size());
  for (std::size_t i = 0; i < specs.size(); ++i) v[i] = specs[i].default_value;
  return v;
}

}  // namespace tribe::model

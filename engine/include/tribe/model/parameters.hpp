#pragma once
// The vocabulary a model uses to describe its inputs and outputs to the engine.
// The engine (design, runners, statistics, HDF5) works only through these
// descriptions, never through a model's own types.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tribe::model {

enum class ParamType { Real, Integer, Boolean, Choice };

/// One input of a model. Values are carried as doubles: integers exactly,
/// booleans as 0/1, choices as the index into `choices`.
struct ParameterSpec {
  std::string name;
  ParamType type = ParamType::Real;
  double min = 0.0;  // inclusive bounds (Real, Integer)
  double max = 0.0;
  double default_value = 0.0;
  std::vector<std::string> choices;  // Choice only
  std::string description;
};

/// Parameter values of one cell (or one organization), indexed like Model::parameters().
using ParameterValues = std::vector<double>;

enum class ColumnKind : std::uint8_t {
  Binary,  // 0/1; cells report a rate with a Wilson interval
  Count,   // non-negative integer
  Real,    // continuous; may be NaN where undefined (excluded from statistics)
};

enum class ColumnRole : std::uint8_t {
  Drawn,    // a property drawn for the organization (realized structure, mean qualities, ...)
  Outcome,  // a measured result of the simulation
};

/// One per-organization output column.
///
/// A model may record a quantity over time as a *series*: one column per time point,
/// consecutive in columns(), each naming the series and its time. The engine computes
/// and summarizes them as columns like any other; a result file stores a series as one
/// organizations x time dataset (format 2.x, docs/hdf5-format.md), and experiments and
/// readers address a point as `series[t=T]` (its own name works too).
struct ColumnSpec {
  std::string name;
  ColumnKind kind = ColumnKind::Real;
  ColumnRole role = ColumnRole::Outcome;
  std::string description;
  std::string series;      // the series this column is a point of ("" for none)
  std::uint32_t time = 0;  // its time within the series
};

std::string_view to_string(ParamType t);
std::string_view to_string(ColumnKind k);
std::string_view to_string(ColumnRole r);

/// Index of a parameter or column by name, or npos. A column is also found as a point of
/// its series, `series[t=T]`.
inline constexpr std::size_t npos = static_cast<std::size_t>(-1);
std::size_t find_parameter(std::span<const ParameterSpec> specs, std::string_view name);
std::size_t find_column(std::span<const ColumnSpec> specs, std::string_view name);

/// Human-readable value of a parameter ("hierarchy", "0.25", "true", "100").
std::string format_value(const ParameterSpec& spec, double value);
/// A number as a model's checks name it in an error message ("0.25", "100", "1e+08": the
/// default output of a stream).
std::string format_number(double value);

/// Shorthands for model authors.
ParameterSpec real_parameter(std::string name, double min, double max, double default_value,
                             std::string description);
ParameterSpec integer_parameter(std::string name, double min, double max, double default_value,
                                std::string description);
ColumnSpec column(std::string name, ColumnKind kind, ColumnRole role, std::string description);
/// Shorthands for a model's column table, `column("solve_rate", R, O, "...")`: kinds B
/// (binary), N (count), R (real); roles D (drawn), O (outcome). A model's source says
/// `using namespace model::column_shorthands;` where it lists its columns.
namespace column_shorthands {
inline constexpr ColumnKind B = ColumnKind::Binary, N = ColumnKind::Count, R = ColumnKind::Real;
inline constexpr ColumnRole D = ColumnRole::Drawn, O = ColumnRole::Outcome;
}  // namespace column_shorthands

/// The name `series[t=T]` of a point of a series.
std::string series_point_name(std::string_view series, std::uint32_t time);

/// Default values of every parameter.
ParameterValues defaults(std::span<const ParameterSpec> specs);

}  // namespace tribe::model

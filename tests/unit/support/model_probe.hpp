#pragma once
// What the models' own tests (models/<name>/tests) share: a model's columns and
// parameters by name, its default parameter values with some of them set, and the row of
// one organization.
#include <gtest/gtest.h>

#include <initializer_list>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "tribe/model/model.hpp"
#include "tribe/model/parameters.hpp"

namespace tribe::test {

/// Index of model m's column `name`; a test failure (and index 0) if it has none.
inline std::size_t column_index(const model::Model& m, std::string_view name) {
  const auto i = model::find_column(m.columns(), name);
  if (i != model::npos) return i;
  ADD_FAILURE() << "no column " << name;
  return 0;
}

/// Index of model m's parameter `name`; a test failure (and index 0) if it has none.
inline std::size_t parameter_index(const model::Model& m, std::string_view name) {
  const auto i = model::find_parameter(m.parameters(), name);
  if (i != model::npos) return i;
  ADD_FAILURE() << "no parameter " << name;
  return 0;
}

/// Model m's default parameter values, with the named ones set to the values given.
inline model::ParameterValues parameters_with(
    const model::Model& m, std::initializer_list<std::pair<std::string_view, double>> set) {
  auto v = model::defaults(m.parameters());
  for (const auto& [name, value] : set) v[parameter_index(m, name)] = value;
  return v;
}

/// What a row's columns hold before the model writes them: a column left unwritten shows.
inline constexpr double kUnwritten = -12345.0;

/// The row of one organization of model m at `values` (validated first), in `ws` or in a
/// fresh workspace.
inline std::vector<double> run_row(const model::Model& m, const model::ParameterValues& values,
                                   model::OrgContext ctx, model::Workspace* ws = nullptr) {
  m.validate(values);
  const auto cell = m.bind(values);
  std::unique_ptr<model::Workspace> own;
  if (!ws) {
    own = m.make_workspace();
    ws = own.get();
  }
  std::vector<double> row(m.columns().size(), kUnwritten);
  cell->simulate(ctx, *ws, row);
  return row;
}

}  // namespace tribe::test

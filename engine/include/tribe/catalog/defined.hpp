#pragma once
// Models defined while a program runs, from a table of parameters and columns and one
// simulation function: the Python module's models written in Python (tribe.Model) are
// these. Defined, a model is registered like a built-in one, and the engine gives it
// everything (designs, common random numbers, claims, precision targets, resume, HDF5).
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "tribe/model/model.hpp"

namespace tribe::catalog {

struct ModelDefinition {
  std::string name, version, description;
  std::vector<model::ParameterSpec> parameters;
  std::vector<model::ColumnSpec> columns;
  /// Rules across parameters, or empty: throws InputError naming what is wrong.
  std::function<void(const model::ParameterValues&)> check;
  /// One organization: `row` gets one value per column, in the order of `columns`. Called
  /// from the run's worker threads at once: it must be safe to call concurrently (the
  /// Python module serializes the calls on the GIL).
  std::function<void(const model::ParameterValues&, const model::OrgContext&, std::span<double>)>
      simulate;
};

/// Registers the model `d.name`, or redefines the model of that name defined before (a
/// prototype edited and run again); returns it. Throws InputError when the name is that of
/// a built-in or library model, is not lower case letters, digits and _, or when two
/// parameters or two columns share a name.
const model::Model& define_model(ModelDefinition d);

}  // namespace tribe::catalog

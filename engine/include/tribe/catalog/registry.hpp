#pragma once
// The models this build of tribe knows, by name (the `model` key of an experiment).
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tribe/model/model.hpp"

namespace tribe::catalog {
using model::Model;

/// Returns the model called `name`, or throws InputError listing the known models.
const Model& find_model(std::string_view name);

/// Names of all registered models.
std::vector<std::string> model_names();

/// Adds a model defined outside the engine library (a test's plug-in, an extension
/// linked into a program) so that experiments can name it. `m` must outlive every use.
/// Call it before any experiment is parsed or run (registration is not synchronized);
/// a name already known throws InputError.
void register_model(const Model& m);

}  // namespace tribe::catalog

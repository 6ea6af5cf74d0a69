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

/// Names of all models: built in, registered, and the libraries on TRIBE_MODEL_PATH
/// (catalog/library.hpp), which this loads.
std::vector<std::string> model_names();

/// Whether a model `name` is built in or registered (loads nothing).
bool is_registered(std::string_view name);

/// Adds a model defined outside the engine library (a test's plug-in, an extension
/// linked into a program) so that experiments can name it. `m` must outlive every use.
/// Call it before any experiment is parsed or run (registration is not synchronized);
/// a name already known throws InputError.
void register_model(const Model& m);

}  // namespace tribe::catalog

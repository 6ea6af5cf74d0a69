#pragma once
// The models this build of tribe knows, by name (the `model` key of an experiment).
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tribe/model/model.hpp"

namespace tribe::model {

/// Returns the model called `name`, or throws InputError listing the known models.
const Model& find_model(std::string_view name);

/// Names of all registered models.
std::vector<std::string> model_names();

}  // namespace tribe::model

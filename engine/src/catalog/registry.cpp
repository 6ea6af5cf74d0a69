#include "tribe/catalog/registry.hpp"

#include <array>
#include <string>

#include "tribe/catalog/library.hpp"
#include "tribe/core/error.hpp"
#include "tribe/core/text.hpp"
#include "tribe/models/lazer_friedman/lazer_friedman_model.hpp"
#include "tribe/models/leadership/leadership_model.hpp"
#include "tribe/models/march/march_model.hpp"

namespace tribe::catalog {
using model::Model;
namespace {

// Every model plug-in of this build. Adding a model = adding one line here.
using Factory = const Model& (*)();
constexpr std::array<Factory, 3> kModels = {
    &models::leadership::model,
    &models::march::model,
    &models::lazer_friedman::model,
};

std::vector<const Model*>& external_models() {
  static std::vector<const Model*> models;
  return models;
}

}  // namespace

void register_model(const Model& m) {
  if (is_registered(m.name()))
    throw InputError("model \"" + std::string(m.name()) + "\" is registered twice");
  external_models().push_back(&m);
}

bool is_registered(std::string_view name) {
  for (Factory f : kModels)
    if (f().name() == name) return true;
  for (const Model* m : external_models())
    if (m->name() == name) return true;
  return false;
}

const Model& find_model(std::string_view name) {
  // A model neither built in nor loaded yet may be a library on TRIBE_MODEL_PATH.
  if (!is_registered(name)) load_from_search_path(std::string(name));
  for (Factory f : kModels)
    if (f().name() == name) return f();
  for (const Model* m : external_models())
    if (m->name() == name) return *m;
  throw InputError("model = \"" + std::string(name) +
                   "\" is not a known model (known: " + join(model_names(), ", ") +
                   "; a model built as a library is named by experiment.model_library, or found "
                   "as " +
                   library_file_name(std::string(name)) + " in a folder of TRIBE_MODEL_PATH)");
}

std::vector<std::string> model_names() {
  load_search_path();
  std::vector<std::string> names;
  for (Factory f : kModels) names.emplace_back(f().name());
  for (const Model* m : external_models()) names.emplace_back(m->name());
  return names;
}

}  // namespace tribe::catalog

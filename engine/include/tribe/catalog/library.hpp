#pragma once
// Models loaded at run time from shared libraries (model/plugin_entry.hpp): by the
// experiment (`model_library = "path"` beside `model = "name"`) or found by name on the
// search path TRIBE_MODEL_PATH (directories separated by ':', each library named
// tribe_model_<name>.so). A loaded model is registered like a built-in one, so every
// front end (tribe run, models, merge, tribe.run, tribe.model) treats it alike.
#include <filesystem>
#include <string>
#include <vector>

#include "tribe/model/model.hpp"

namespace tribe::catalog {

/// Where a model loaded from a library came from: its provenance in the result file.
struct ModelLibrary {
  std::string path;            // absolute, as loaded
  std::string checksum;        // "fnv1a64:<16 hex digits>" of the library's bytes
  std::string engine_version;  // the engine version the library was built against
  std::string model;           // the name of the model it provides
};

/// The file name a library of model `name` has on TRIBE_MODEL_PATH.
std::string library_file_name(const std::string& name);

/// Loads the library at `path` (once per file) and registers its model; returns it.
/// Throws InputError naming the file when it cannot be loaded, is not a tribe model
/// library, was built against another plug-in ABI or result format, or provides a model
/// whose name is already taken.
const model::Model& load_model_library(const std::filesystem::path& path);

/// The model `name` from the library `written` (the experiment's model_library): resolved
/// against `base_directory` when relative; a file that is not there is looked for by its
/// file name on TRIBE_MODEL_PATH. Throws InputError naming every place tried, or when the
/// library provides another model than `name`.
const model::Model& load_named_model_library(const std::string& name, const std::string& written,
                                             const std::filesystem::path& base_directory);

/// Loads the library of model `name` from TRIBE_MODEL_PATH if there is one; returns
/// whether a model `name` was registered by it.
bool load_from_search_path(const std::string& name);

/// Loads every tribe_model_*.so on TRIBE_MODEL_PATH (for a listing of all models).
void load_search_path();

/// The library `m` was loaded from, or nullptr for a model built into this program.
const ModelLibrary* library_of(const model::Model& m);

}  // namespace tribe::catalog

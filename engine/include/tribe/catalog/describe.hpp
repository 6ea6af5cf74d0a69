#pragma once
// The catalog of models (catalog/registry.hpp: which models exist) describes them.
// Self-description of the registered models, for `tribe models`: what a researcher needs
// to write an experiment file (parameter names, types, ranges, defaults, meanings) and to
// read a result file (columns, their kinds and roles), straight from the plug-ins' own
// tables, so it can never drift from what the engine accepts.
#include <string>

#include "tribe/model/model.hpp"

namespace tribe::catalog {
using model::Model;

enum class Format { text, markdown };

/// Every registered model: name, version, description.
std::string describe_models(Format format);

/// One model: its parameters (name, type, allowed values, default, meaning), its columns
/// (name, kind, role, meaning) and its derived (threshold) columns, if any.
std::string describe_model(const Model& m, Format format);

/// `tribe models [NAME]`: the model called `name` (InputError listing the known ones if
/// none is), or every model when `name` is empty.
std::string describe(const std::string& name, Format format);

}  // namespace tribe::catalog

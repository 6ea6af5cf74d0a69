#pragma once
// Self-description of the registered models, for `tribe models`: what a researcher needs
// to write an experiment file (parameter names, types, ranges, defaults, meanings) and to
// read a result file (columns, their kinds and roles), straight from the plug-ins' own
// tables, so it can never drift from what the engine accepts.
#include <string>

#include "tribe/model/model.hpp"

namespace tribe::model {

enum class CatalogFormat { text, markdown };

/// Every registered model: name, version, description.
std::string describe_models(CatalogFormat format);

/// One model: its parameters (name, type, allowed values, default, meaning), its columns
/// (name, kind, role, meaning) and its derived (threshold) columns, if any.
std::string describe_model(const Model& m, CatalogFormat format);

}  // namespace tribe::model

#pragma once
// The entry point of a model built outside the tree as a shared library and loaded at
// run time (the experiment's `model_library`, or a library on TRIBE_MODEL_PATH;
// docs/writing-a-model.md, "A model as a run-time plug-in"). In the model's source:
//
//   const tribe::model::Model& my_model() { static const MyModel m; return m; }
//   TRIBE_MODEL_PLUGIN(my_model)
//
// and in its CMakeLists.txt, against the installed engine:
//
//   find_package(tribe 0.1 REQUIRED)
//   tribe_add_model(my_model SOURCES my_model.cpp)   # builds tribe_model_my_model.so
//
// The library carries its own copy of the engine's model layer (the static library,
// linked in with its symbols hidden); the engine that loads it calls the model through the
// Model interface only, so both sides must agree on that interface: kPluginAbi.
#include <cstdint>

#include "tribe/core/version.hpp"
#include "tribe/model/model.hpp"

namespace tribe::model {

/// The version of the interface between an engine and a model library: Model, CellModel,
/// Workspace, OrgContext, ParameterSpec, ColumnSpec, DerivedColumn and the types they hold.
/// Bumped whenever one of them changes in a way a library built before would misread. An
/// engine loads a library only when the library's ABI and result format equal its own.
inline constexpr std::uint32_t kPluginAbi = 1;

/// What a model library exports under the C name `tribe_model_plugin`. `abi` comes first
/// and stays first in every version, so that any engine can read it and refuse.
struct PluginEntry {
  std::uint32_t abi;                  // kPluginAbi of the engine the library was built with
  std::uint32_t result_format_major;  // version::kResultFormat of that engine
  std::uint32_t result_format_minor;
  const char* engine_version;  // version::engine() of that engine
  const Model& (*model)();     // the model (an object that lives as long as the library)
};

}  // namespace tribe::model

/// Exports `factory` (a function returning `const tribe::model::Model&`) as the model of
/// this library.
#define TRIBE_MODEL_PLUGIN(factory)                                                       \
  extern "C" __attribute__((visibility("default"))) const ::tribe::model::PluginEntry*    \
  tribe_model_plugin() {                                                                  \
    static const ::tribe::model::PluginEntry entry{                                       \
        ::tribe::model::kPluginAbi, ::tribe::version::kResultFormat[0],                   \
        ::tribe::version::kResultFormat[1], ::tribe::version::engine().data(), &factory}; \
    return &entry;                                                                        \
  }

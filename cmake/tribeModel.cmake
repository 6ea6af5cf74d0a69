# tribe_add_model(NAME SOURCES file.cpp ...): a model built as a run-time plug-in, the
# shared library tribe_model_NAME.so that tribe loads by the experiment's model_library
# or from a folder of TRIBE_MODEL_PATH (docs/writing-a-model.md, "A model as a run-time
# plug-in"). The sources end with TRIBE_MODEL_PLUGIN(factory) (tribe/model/plugin_entry.hpp).
#
# The library links the engine's static library in, with its symbols hidden
# (--exclude-libs): it exports tribe_model_plugin only, and its copy of the engine's model
# layer never interposes on the program that loads it.
function(tribe_add_model name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "SOURCES")
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "tribe_add_model(${name}): SOURCES is empty")
  endif()
  if(NOT name MATCHES "^[a-z][a-z0-9_]*$")
    message(FATAL_ERROR "tribe_add_model(${name}): a model name is lower case letters, digits and _")
  endif()
  add_library(${name} MODULE ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE tribe::engine)
  target_compile_features(${name} PRIVATE cxx_std_20)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "tribe_model_${name}"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
  target_link_options(${name} PRIVATE "LINKER:--exclude-libs,ALL" "LINKER:--no-undefined")
endfunction()

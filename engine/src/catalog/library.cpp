#include "tribe/catalog/library.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>

#include "tribe/catalog/registry.hpp"
#include "tribe/core/error.hpp"
#include "tribe/core/text.hpp"
#include "tribe/core/version.hpp"
#include "tribe/model/plugin_entry.hpp"

namespace tribe::catalog {
namespace fs = std::filesystem;
namespace {

struct Loaded {
  ModelLibrary provenance;
  const model::Model* model = nullptr;
};

// Libraries stay loaded until the program ends: their models are registered for good.
std::mutex& library_mutex() {
  static std::mutex m;
  return m;
}
std::map<std::string, Loaded>& loaded_by_path() {
  static std::map<std::string, Loaded> loaded;
  return loaded;
}

std::string checksum_of(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a 64 of the file's bytes
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    for (std::streamsize i = 0; i < in.gcount(); ++i) {
      h ^= static_cast<unsigned char>(buffer[i]);
      h *= 1099511628211ULL;
    }
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return std::string("fnv1a64:") + hex;
}

std::vector<fs::path> search_path() {
  std::vector<fs::path> dirs;
  const char* env = std::getenv("TRIBE_MODEL_PATH");
  if (!env) return dirs;
  std::string rest = env;
  for (std::size_t start = 0; start <= rest.size();) {
    const std::size_t colon = std::min(rest.find(':', start), rest.size());
    if (colon > start) dirs.emplace_back(rest.substr(start, colon - start));
    start = colon + 1;
  }
  return dirs;
}

std::string format_text(std::uint32_t major, std::uint32_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

const model::Model& load_locked(const fs::path& written) {
  std::error_code ec;
  const fs::path path = fs::weakly_canonical(fs::absolute(written), ec);
  const std::string key = (ec ? written : path).string();
  if (auto it = loaded_by_path().find(key); it != loaded_by_path().end()) return *it->second.model;
  const std::string where = "model library " + key;
  if (!fs::is_regular_file(path, ec))
    throw InputError(where +
                     ": no such file (expected a tribe_model_<name>.so built with "
                     "tribe_add_model)");
  // RTLD_LOCAL: the library's symbols (its own copy of the engine's model layer) stay
  // its own; RTLD_NOW: a missing symbol is refused here, not in the middle of a run.
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = ::dlerror();
    throw InputError(where + ": cannot be loaded (" + std::string(why ? why : "unknown") + ")");
  }
  using EntryFunction = const model::PluginEntry* (*)();
  auto entry_function = reinterpret_cast<EntryFunction>(::dlsym(handle, "tribe_model_plugin"));
  if (!entry_function) {
    ::dlclose(handle);
    throw InputError(where +
                     ": not a tribe model library (it exports no tribe_model_plugin; a model "
                     "library ends its source with TRIBE_MODEL_PLUGIN(factory))");
  }
  const model::PluginEntry* entry = entry_function();
  const std::string ours = "tribe " + std::string(version::engine()) + " (plug-in ABI " +
                           std::to_string(model::kPluginAbi) + ", result format " +
                           format_text(version::kResultFormat[0], version::kResultFormat[1]) + ")";
  if (!entry || entry->abi != model::kPluginAbi) {
    const std::string abi = entry ? std::to_string(entry->abi) : "unknown";
    ::dlclose(handle);
    throw InputError(where + ": built against plug-in ABI " + abi + ", but this is " + ours +
                     ": rebuild the model against this engine (find_package(tribe), "
                     "tribe_add_model)");
  }
  if (entry->result_format_major != version::kResultFormat[0] ||
      entry->result_format_minor != version::kResultFormat[1]) {
    const std::string theirs = format_text(entry->result_format_major, entry->result_format_minor);
    ::dlclose(handle);
    throw InputError(where + ": built against tribe " + std::string(entry->engine_version) +
                     " (result format " + theirs + "), but this is " + ours +
                     ": rebuild the model against this engine");
  }
  const model::Model& m = entry->model();
  if (is_registered(m.name())) {
    ::dlclose(handle);
    throw InputError(where + " provides model \"" + std::string(m.name()) +
                     "\", which this tribe already has (built in, or from another "
                     "library): rename the model");
  }
  register_model(m);
  Loaded loaded;
  loaded.provenance = {key, checksum_of(path), entry->engine_version, std::string(m.name())};
  loaded.model = &m;
  loaded_by_path().emplace(key, std::move(loaded));
  return m;
}

}  // namespace

std::string library_file_name(const std::string& name) {
  return "tribe_model_" + name + ".so";
}

const model::Model& load_model_library(const fs::path& path) {
  const std::lock_guard lock(library_mutex());
  return load_locked(path);
}

const model::Model& load_named_model_library(const std::string& name, const std::string& written,
                                             const fs::path& base_directory) {
  const std::lock_guard lock(library_mutex());
  std::vector<std::string> tried;
  fs::path candidate = written;
  if (candidate.is_relative()) candidate = base_directory / candidate;
  std::error_code ec;
  if (!fs::exists(candidate, ec)) {
    tried.push_back(candidate.string());
    candidate.clear();
    for (const auto& dir : search_path()) {
      const fs::path p = dir / fs::path(written).filename();
      if (fs::exists(p, ec)) {
        candidate = p;
        break;
      }
      tried.push_back(p.string());
    }
  }
  // Not on disk where the experiment says, but loaded already from a file of that name
  // (a merge loads the library its shards recorded): the same model.
  if (candidate.empty()) {
    for (const auto& [path, loaded] : loaded_by_path())
      if (loaded.provenance.model == name &&
          fs::path(path).filename() == fs::path(written).filename())
        return *loaded.model;
  }
  if (candidate.empty())
    throw InputError("experiment.model_library = \"" + written + "\": no such file (looked for " +
                     join(tried, ", ") +
                     "; a relative path is read from the experiment file's folder, then by its "
                     "name in the folders of TRIBE_MODEL_PATH)");
  const model::Model& m = load_locked(candidate);
  if (m.name() != name)
    throw InputError("experiment.model_library = \"" + written + "\" provides model \"" +
                     std::string(m.name()) + "\", not experiment.model = \"" + name + "\"");
  return m;
}

bool load_from_search_path(const std::string& name) {
  const std::lock_guard lock(library_mutex());
  for (const auto& dir : search_path()) {
    const fs::path p = dir / library_file_name(name);
    std::error_code ec;
    if (fs::exists(p, ec)) return load_locked(p).name() == name;
  }
  return false;
}

void load_search_path() {
  const std::lock_guard lock(library_mutex());
  for (const auto& dir : search_path()) {
    std::error_code ec;
    std::vector<fs::path> libraries;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      const std::string file = e.path().filename().string();
      if (file.starts_with("tribe_model_") && file.ends_with(".so")) libraries.push_back(e.path());
    }
    std::sort(libraries.begin(), libraries.end());  // a listing in the same order every time
    for (const auto& p : libraries) load_locked(p);
  }
}

const ModelLibrary* library_of(const model::Model& m) {
  const std::lock_guard lock(library_mutex());
  for (const auto& [path, loaded] : loaded_by_path())
    if (loaded.model == &m) return &loaded.provenance;
  return nullptr;
}

}  // namespace tribe::catalog

#include "tribe/design/experiment.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "tribe/catalog/library.hpp"
#include "tribe/catalog/registry.hpp"
#include "tribe/core/error.hpp"
#include "tribe/core/text.hpp"
#include "tribe/design/toml_input.hpp"

namespace tribe::design {
namespace {

using model::ParameterSpec;
using model::ParamType;
using namespace toml_input;

const toml::table& require_table(const toml::table& root, std::string_view name, bool required) {
  static const toml::table empty;
  const toml::node* n = root.get(name);
  if (!n) {
    if (required) throw InputError("missing table [" + std::string(name) + "]");
    return empty;
  }
  if (!n->is_table()) fail(std::string(name), *n, "expected a table [" + std::string(name) + "]");
  return *n->as_table();
}

std::uint64_t require_uint(const toml::table& t, const std::string& key, std::uint64_t lo,
                           std::uint64_t hi, bool required, std::uint64_t fallback) {
  const std::string full = "experiment." + key;
  const toml::node* n = t.get(key);
  if (!n) {
    if (required)
      throw InputError("missing key " + full + " (expected an integer in [" + std::to_string(lo) +
                       ", " + std::to_string(hi) + "])");
    return fallback;
  }
  auto i = n->as_integer();
  const std::string allowed =
      "expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
  if (!i) fail(full, *n, allowed);
  const std::int64_t v = i->get();
  if (v < 0 || static_cast<std::uint64_t>(v) < lo || static_cast<std::uint64_t>(v) > hi)
    fail(full, *n, allowed);
  return static_cast<std::uint64_t>(v);
}

std::string require_string(const toml::table& t, const std::string& key, bool required,
                           std::string fallback) {
  const toml::node* n = t.get(key);
  if (!n) {
    if (required) throw InputError("missing key experiment." + key + " (expected a string)");
    return fallback;
  }
  auto s = n->as_string();
  if (!s) fail("experiment." + key, *n, "expected a string");
  return s->get();
}

/// One entry of [design.ranges]: [low, high] of a real or integer parameter, or, in a Sobol
/// design, the list of choices of a choice or boolean parameter (at least two, distinct).
Range parse_range(const std::string& key, const toml::node& v, const ParameterSpec& spec,
                  std::size_t p, Sampling sampling, const std::string& table = "design.ranges") {
  const std::string full = table + "." + key;
  const auto* arr = v.as_array();
  if (spec.type == ParamType::Choice || spec.type == ParamType::Boolean) {
    if (sampling != Sampling::Sobol)
      fail(full, v,
           "only real or integer parameters can be sampled over a range in a \"" +
               std::string(to_string(sampling)) +
               "\" design (a \"sobol\" design also takes a list of "
               "choices); vary " +
               spec.name + " in [factors]");
    const std::string allowed = "expected a list of at least two distinct values of " + spec.name;
    if (!arr || arr->size() < 2) fail(full, v, allowed);
    Range r{key, p, 0.0, 0.0, {}};
    std::set<double> seen;
    for (const auto& e : *arr) {
      const double value = parameter_value(full, spec, e);
      if (!seen.insert(value).second)
        fail(full, e, "choices must be distinct (this one appears twice)");
      r.choices.push_back(value);
    }
    r.low = *seen.begin();
    r.high = *seen.rbegin();
    return r;
  }
  if (!arr || arr->size() != 2) fail(full, v, "expected [low, high]");
  Range r{key,
          p,
          parameter_value(full, spec, *arr->get(0)),
          parameter_value(full, spec, *arr->get(1)),
          {}};
  if (!(r.low < r.high)) fail(full, v, "expected low < high");
  return r;
}

/// A "list" design: [design.points] names each parameter with the list of its values, one
/// per point, all lists of one length.
void parse_listed_points(const toml::table& d, Experiment& x, const toml::table& params,
                         const toml::table& factors) {
  if (const toml::node* n = d.get("ranges"))
    fail("design.ranges", *n,
         "not with design.sampling = \"list\": the points are listed in [design.points]");
  const toml::node* pn = d.get("points");
  const std::string allowed =
      "expected a table [design.points] of parameter = [value of point 1, value of point 2, "
      "...], every list of the same length";
  if (!pn || !pn->is_table() || pn->as_table()->empty())
    throw InputError("design.points: " + allowed + " (design.sampling = \"list\")");
  const auto specs = x.model->parameters();
  std::vector<std::string> names;
  for (const auto& s : specs) names.push_back(s.name);
  reject_unknown_keys(*pn->as_table(), "design.points.", names);
  std::size_t count = 0;
  std::vector<std::vector<double>> columns;
  for (const auto& [k, v] : *pn->as_table()) {
    const std::string key(k.str());
    const std::string full = "design.points." + key;
    if (params.contains(key) || factors.contains(key))
      throw InputError(full + " contradicts " +
                       (params.contains(key) ? "parameters." : "factors.") + key +
                       ": a parameter is fixed, varied over levels, or listed, not two of these");
    const auto* arr = v.as_array();
    if (!arr || arr->empty()) fail(full, v, allowed);
    if (columns.empty()) count = arr->size();
    if (arr->size() != count)
      fail(full, v,
           "expected " + std::to_string(count) + " values, one per point, as the first list");
    if (count > kMaxPoints) fail(full, v, "at most " + std::to_string(kMaxPoints) + " points");
    const std::size_t p = model::find_parameter(specs, key);
    std::vector<double> values;
    for (const auto& e : *arr) values.push_back(parameter_value(full, specs[p], e));
    Range r{key,
            p,
            *std::min_element(values.begin(), values.end()),
            *std::max_element(values.begin(), values.end()),
            {}};
    x.ranges.push_back(std::move(r));
    columns.push_back(std::move(values));
  }
  x.points = count;
  x.listed.assign(count, std::vector<double>(columns.size()));
  for (std::size_t r = 0; r < columns.size(); ++r)
    for (std::size_t p = 0; p < count; ++p) x.listed[p][r] = columns[r][p];
}

void parse_design(const toml::table& root, Experiment& x, const toml::table& params,
                  const toml::table& factors) {
  const toml::table& d = require_table(root, "design", false);
  reject_unknown_keys(d, "design.", {"sampling", "points", "ranges"});
  if (const toml::node* n = d.get("sampling")) {
    const auto* str = n->as_string();
    const std::string allowed =
        "expected \"factorial\", \"random\", \"lhs\", \"sobol\" or \"list\"";
    if (!str) fail("design.sampling", *n, allowed);
    if (str->get() == "factorial")
      x.sampling = Sampling::Factorial;
    else if (str->get() == "random")
      x.sampling = Sampling::Random;
    else if (str->get() == "lhs")
      x.sampling = Sampling::LatinHypercube;
    else if (str->get() == "sobol")
      x.sampling = Sampling::Sobol;
    else if (str->get() == "list")
      x.sampling = Sampling::List;
    else
      fail("design.sampling", *n, allowed);
  }
  if (x.sampling == Sampling::List) {
    parse_listed_points(d, x, params, factors);
    return;
  }
  const bool sampled = x.sampling != Sampling::Factorial;
  const std::string sampled_only = "only with design.sampling = \"random\", \"lhs\" or \"sobol\"";
  if (x.sampling == Sampling::Sobol && !x.factors.empty())
    throw InputError("factors." + x.factors.front().name +
                     ": a \"sobol\" design has no [factors]; list every varied "
                     "parameter in [design.ranges] (a choice parameter as a list of its choices)");
  if (const toml::node* n = d.get("points")) {
    if (!sampled) fail("design.points", *n, sampled_only);
    auto i = n->as_integer();
    const std::string allowed = "expected an integer in [" +
                                std::string(x.sampling == Sampling::Sobol ? "2" : "1") + ", " +
                                std::to_string(kMaxPoints) + "]";
    if (!i || i->get() < (x.sampling == Sampling::Sobol ? 2 : 1) ||
        static_cast<std::uint64_t>(i->get()) > kMaxPoints)
      fail("design.points", *n, allowed);
    x.points = static_cast<std::uint64_t>(i->get());
  } else if (sampled) {
    throw InputError(
        x.sampling == Sampling::Sobol
            ? "missing key design.points (expected the number of base points of the Sobol design, "
              "an integer >= 2)"
            : "missing key design.points (expected the number of sampled points, an integer >= 1)");
  }
  const toml::node* rn = d.get("ranges");
  if (!rn) {
    if (sampled)
      throw InputError("missing table [design.ranges]: a sampled design needs at least one range");
    return;
  }
  if (!sampled) fail("design.ranges", *rn, sampled_only);
  if (!rn->is_table()) fail("design.ranges", *rn, "expected a table of parameter = [low, high]");
  const auto specs = x.model->parameters();
  std::vector<std::string> names;
  for (const auto& s : specs) names.push_back(s.name);
  reject_unknown_keys(*rn->as_table(), "design.ranges.", names);
  for (const auto& [k, v] : *rn->as_table()) {
    const std::string key(k.str());
    const std::string full = "design.ranges." + key;
    const std::size_t p = model::find_parameter(specs, key);
    if (params.contains(key) || factors.contains(key))
      throw InputError(
          full + " contradicts " + (params.contains(key) ? "parameters." : "factors.") + key +
          ": a parameter is fixed, varied over levels, or sampled over a range, not two of these");
    x.ranges.push_back(parse_range(key, v, specs[p], p, x.sampling));
  }
  if (x.ranges.empty())
    throw InputError("design.ranges is empty: a sampled design needs at least one range");
  if (x.sampling == Sampling::Sobol && x.ranges.size() > kMaxSobolRanges)
    throw InputError("design.ranges has " + std::to_string(x.ranges.size()) +
                     " parameters; a \"sobol\" design takes at most " +
                     std::to_string(kMaxSobolRanges) + " (the built-in Sobol' direction numbers)");
}

/// [calibration]: the calibrated assumptions, how many prior draws, the acceptance rule.
void parse_calibration(const toml::table& root, Experiment& x, const toml::table& params,
                       const toml::table& factors) {
  const toml::node* node = root.get("calibration");
  if (!node) return;
  if (!node->is_table())
    fail("calibration", *node,
         "expected a table [calibration] (points, quantile or tolerance, "
         "ranges)");
  const toml::table& c = *node->as_table();
  reject_unknown_keys(
      c, "calibration.",
      {"method", "points", "quantile", "tolerance", "patterns", "credible", "ranges"});
  if (x.sampling == Sampling::Sobol)
    throw InputError(
        "[calibration] is not allowed with design.sampling = \"sobol\": a calibration runs the "
        "whole design at every calibration point; use a factorial, random or lhs design");
  if (const toml::node* n = c.get("method")) {
    const auto* str = n->as_string();
    if (!str || str->get() != "rejection")
      fail("calibration.method", *n, "expected \"rejection\" (rejection ABC)");
  }
  const toml::node* pn = c.get("points");
  if (!pn)
    throw InputError(
        "missing key calibration.points (expected the number of prior draws, "
        "an integer in [2, " +
        std::to_string(kMaxPoints) + "])");
  const auto* pi = pn->as_integer();
  if (!pi || pi->get() < 2 || static_cast<std::uint64_t>(pi->get()) > kMaxPoints)
    fail("calibration.points", *pn,
         "expected an integer in [2, " + std::to_string(kMaxPoints) + "]");
  x.calibration.points = static_cast<std::uint64_t>(pi->get());
  const toml::node* qn = c.get("quantile");
  const toml::node* tn = c.get("tolerance");
  const std::string rule =
      "a calibration accepts either the closest share of its points (quantile, in (0, 1]) or "
      "every point within a distance (tolerance, >= 0): give exactly one";
  if ((qn == nullptr) == (tn == nullptr))
    throw InputError(
        std::string(qn ? "calibration.quantile and calibration.tolerance are both "
                         "given: "
                       : "missing key calibration.quantile or calibration.tolerance: ") +
        rule);
  if (qn) {
    x.calibration.quantile =
        number_where("calibration.quantile", *qn, "expected a number in (0, 1]",
                     [](double q) { return q > 0.0 && q <= 1.0; });
  } else {
    x.calibration.tolerance =
        number_where("calibration.tolerance", *tn, "expected a finite number >= 0",
                     [](double t) { return t >= 0.0; });
  }
  if (const toml::node* n = c.get("credible"))
    x.calibration.credible = number_where("calibration.credible", *n, "expected a number in (0, 1)",
                                          [](double v) { return v > 0.0 && v < 1.0; });
  if (const toml::node* n = c.get("patterns")) {
    const auto* arr = n->as_array();
    const std::string allowed = "expected a non-empty list of pattern ids (of [[patterns]])";
    if (!arr || arr->empty()) fail("calibration.patterns", *n, allowed);
    std::set<std::string> seen;
    for (const auto& e : *arr) {
      const auto* str = e.as_string();
      if (!str) fail("calibration.patterns", e, allowed);
      if (!seen.insert(str->get()).second)
        fail("calibration.patterns", e, "pattern ids must be distinct (this one appears twice)");
      x.calibration.patterns.push_back(str->get());
    }
  }
  const toml::node* rn = c.get("ranges");
  if (!rn || !rn->is_table() || rn->as_table()->empty())
    throw InputError(
        "calibration.ranges: expected a non-empty table of parameter = [low, high] "
        "(the calibrated assumptions)");
  const auto specs = x.model->parameters();
  std::vector<std::string> names;
  for (const auto& s : specs) names.push_back(s.name);
  reject_unknown_keys(*rn->as_table(), "calibration.ranges.", names);
  for (const auto& [k, v] : *rn->as_table()) {
    const std::string key(k.str());
    const std::size_t p = model::find_parameter(specs, key);
    bool sampled = false;
    for (const auto& r : x.ranges) sampled = sampled || r.name == key;
    if (params.contains(key) || factors.contains(key) || sampled)
      throw InputError("calibration.ranges." + key + " contradicts " +
                       (params.contains(key)    ? "parameters."
                        : factors.contains(key) ? "factors."
                                                : "design.ranges.") +
                       key +
                       ": a parameter is fixed, varied over levels, sampled over a range of the "
                       "design, or calibrated, only one of these");
    x.calibration.ranges.push_back(
        parse_range(key, v, specs[p], p, Sampling::LatinHypercube, "calibration.ranges"));
  }
}

void parse_report(const toml::table& root, Experiment& x) {
  const toml::table& r = require_table(root, "report", false);
  reject_unknown_keys(r, "report.", {"confidence", "robustness_offsets", "threshold_points"});
  if (const toml::node* n = r.get("threshold_points")) {
    const std::string allowed = "expected an integer in [2, 201]";
    const auto* i = n->as_integer();
    if (!i || i->get() < 2 || i->get() > 201) fail("report.threshold_points", *n, allowed);
    x.report.threshold_points = static_cast<std::size_t>(i->get());
  }
  if (const toml::node* n = r.get("confidence")) {
    x.report.confidence = number_where("report.confidence", *n, "expected a number in (0.5, 1)",
                                       [](double c) { return c > 0.5 && c < 1.0; });
  }
  if (const toml::node* n = r.get("robustness_offsets")) {
    const auto* arr = n->as_array();
    const std::string allowed = "expected a non-empty list of numbers in [-1, 1] that includes 0";
    if (!arr || arr->empty()) fail("report.robustness_offsets", *n, allowed);
    x.report.robustness_offsets.clear();
    bool zero = false;
    for (const auto& e : *arr) {
      const double o = number_where("report.robustness_offsets", e, allowed,
                                    [](double v) { return v >= -1 && v <= 1; });
      zero = zero || o == 0.0;
      x.report.robustness_offsets.push_back(o);
    }
    if (!zero) fail("report.robustness_offsets", *n, allowed);
    // The robustness grid is every combination of the offsets over the model's threshold
    // parameters, each re-evaluating every claim: capped, so that a long list cannot make
    // the evaluation run for hours (issue 27, item 6).
    std::set<std::string> thresholds;
    for (const auto& d : x.model->derived_columns())
      thresholds.insert(d.thresholds.begin(), d.thresholds.end());
    double settings = 1;
    for (std::size_t t = 0; t < thresholds.size(); ++t)
      settings *= static_cast<double>(x.report.robustness_offsets.size());
    if (settings > kMaxRobustnessSettings) {
      std::size_t most = 1;
      while (std::pow(static_cast<double>(most + 1), static_cast<double>(thresholds.size())) <=
             kMaxRobustnessSettings)
        ++most;
      fail("report.robustness_offsets", *n,
           "expected at most " + std::to_string(most) + " offsets: the robustness grid of the " +
               std::to_string(thresholds.size()) + " threshold parameters of model " +
               std::string(x.model->name()) + " takes every combination, at most " +
               std::to_string(static_cast<std::uint64_t>(kMaxRobustnessSettings)) + " settings");
    }
  }
}

}  // namespace

std::string_view to_string(Sampling s) {
  return enum_name(std::array<std::string_view, 5>{"factorial", "random", "lhs", "sobol", "list"},
                   s);
}

std::uint64_t Experiment::factorial_count() const {
  // Saturating: a design of more than 2^64 combinations counts as 2^64 - 1 (refused by
  // parse_experiment), never as the wrapped-around remainder.
  std::uint64_t c = 1;
  for (const auto& f : factors) {
    const std::uint64_t n = f.levels.size();
    if (n != 0 && c > std::numeric_limits<std::uint64_t>::max() / n)
      return std::numeric_limits<std::uint64_t>::max();
    c *= n;
  }
  return c;
}

namespace {
/// a * b, saturating at 2^64 - 1.
std::uint64_t saturating_product(std::uint64_t a, std::uint64_t b) {
  if (b != 0 && a > std::numeric_limits<std::uint64_t>::max() / b)
    return std::numeric_limits<std::uint64_t>::max();
  return a * b;
}
}  // namespace

std::uint64_t Experiment::cells_per_calibration_point() const {
  return saturating_product(factorial_count(), sampled_points());
}

std::uint64_t Experiment::cell_count() const {
  return saturating_product(cells_per_calibration_point(),
                            calibration.enabled() ? calibration.points : 1);
}

namespace {

/// A string holding "\u0000" would be cut at the NUL by everything downstream (HDF5
/// attributes, C strings): refused, naming the key.
void reject_nul_in_strings(const toml::node& n, const std::string& key) {
  if (const auto* s = n.as_string()) {
    if (s->get().find('\0') != std::string::npos)
      throw InputError(key + where(n) + ": a NUL character (\\u0000) is not allowed in a string");
  } else if (const auto* t = n.as_table()) {
    for (const auto& [k, v] : *t)
      reject_nul_in_strings(v,
                            key.empty() ? std::string(k.str()) : key + "." + std::string(k.str()));
  } else if (const auto* a = n.as_array()) {
    for (std::size_t i = 0; i < a->size(); ++i)
      reject_nul_in_strings((*a)[i], key + "[" + std::to_string(i) + "]");
  }
}

}  // namespace

Experiment parse_experiment(std::string_view text, std::string source_path) {
  // A NUL byte would cut strings short (names, claims, the stored experiment text).
  if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
    const auto line =
        1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(nul), '\n');
    throw InputError("a NUL byte at line " + std::to_string(line) +
                     " is not allowed in an experiment file");
  }
  if (text.size() > kMaxExperimentBytes)
    throw InputError("the experiment text is " + std::to_string(text.size()) + " bytes; at most " +
                     std::to_string(kMaxExperimentBytes) + " are allowed");
  const toml::table root = toml_input::parse(text, source_path);
  reject_unknown_keys(root, "",
                      {"experiment", "parameters", "factors", "design", "calibration", "report",
                       "claims", "patterns"});
  reject_nul_in_strings(root, "");

  Experiment x;
  x.source_path = std::move(source_path);
  x.source_text = std::string(text);

  const toml::table& meta = require_table(root, "experiment", true);
  reject_unknown_keys(meta, "experiment.",
                      {"name", "description", "model", "model_library", "seed",
                       "organizations_per_cell", "output", "common_random_numbers"});
  x.name = require_string(meta, "name", true, "");
  if (x.name.empty())
    throw InputError("experiment.name = \"\" is not allowed: expected a non-empty string");
  x.description = require_string(meta, "description", false, "");
  const std::string model_name = require_string(meta, "model", true, "");
  const std::string library = require_string(meta, "model_library", false, "");
  if (meta.contains("model_library") && library.empty())
    throw InputError(
        "experiment.model_library = \"\" is not allowed: expected the path of a model library");
  x.model = library.empty()
                ? &catalog::find_model(model_name)
                : &catalog::load_named_model_library(
                      model_name, library, std::filesystem::path(x.source_path).parent_path());
  x.seed = require_uint(meta, "seed", 0, static_cast<std::uint64_t>(INT64_MAX), true, 0);
  x.organizations_per_cell =
      require_uint(meta, "organizations_per_cell", 1, kMaxOrganizationsPerCell, true, 0);
  x.output = require_string(meta, "output", false, "results/" + x.name + ".h5");
  if (x.output.empty())
    throw InputError("experiment.output = \"\" is not allowed: expected a file path");
  if (const toml::node* n = meta.get("common_random_numbers")) {
    auto b = n->as_boolean();
    if (!b) fail("experiment.common_random_numbers", *n, "expected true or false");
    x.common_random_numbers = b->get();
  }

  const auto specs = x.model->parameters();
  std::vector<std::string> names;
  for (const auto& s : specs) names.push_back(s.name);
  x.fixed = model::defaults(specs);

  const toml::table& params = require_table(root, "parameters", false);
  reject_unknown_keys(params, "parameters.", names);
  for (const auto& [k, v] : params) {
    const std::string key(k.str());
    const std::size_t i = model::find_parameter(specs, key);
    x.fixed[i] = parameter_value("parameters." + key, specs[i], v);
  }

  const toml::table& factors = require_table(root, "factors", false);
  reject_unknown_keys(factors, "factors.", names);
  for (const auto& [k, v] : factors) {
    const std::string key(k.str());
    const std::string full = "factors." + key;
    if (params.contains(key))
      throw InputError(full + " contradicts parameters." + key +
                       ": a parameter is either fixed in [parameters] or varied in [factors], "
                       "not both");
    const auto* arr = v.as_array();
    if (!arr) fail(full, v, "expected a non-empty list of levels, e.g. " + key + " = [a, b]");
    if (arr->empty())
      fail(full, v, "expected a non-empty list of levels (an empty factor has no cells)");
    Factor f{key, model::find_parameter(specs, key), {}};
    std::set<double> seen;
    for (const auto& level : *arr) {
      const double value = parameter_value(full, specs[f.parameter], level);
      if (!seen.insert(value).second)
        fail(full, level, "levels must be distinct (this level appears twice)");
      f.levels.push_back(value);
    }
    x.factors.push_back(std::move(f));
  }

  parse_design(root, x, params, factors);
  parse_calibration(root, x, params, factors);
  if (x.factorial_count() > kMaxCells || x.cell_count() > kMaxCells) {
    const auto count = [](std::uint64_t v) {
      return v == std::numeric_limits<std::uint64_t>::max() ? std::string("more than 2^64")
                                                            : std::to_string(v);
    };
    throw InputError("the design has " + count(x.factorial_count()) + " factor combinations x " +
                     std::to_string(x.sampled_points()) + " points" +
                     (x.calibration.enabled()
                          ? " x " + std::to_string(x.calibration.points) + " calibration points"
                          : std::string()) +
                     "; at most " + std::to_string(kMaxCells) + " cells are allowed");
  }
  parse_report(root, x);
  return x;
}

Experiment load_experiment(const std::filesystem::path& path) {
  // Checked before a byte is read: a device (/dev/zero), a FIFO or a huge file would
  // otherwise block or fill the memory.
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status))
    throw InputError(path.string() + ": cannot open experiment file (missing or unreadable)");
  if (std::filesystem::is_directory(status))
    throw InputError(path.string() + ": is a directory; expected an experiment file (TOML)");
  if (!std::filesystem::is_regular_file(status))
    throw InputError(
        path.string() +
        ": is not a regular file (a device, FIFO or socket); expected an experiment file (TOML)");
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size > kMaxExperimentBytes)
    throw InputError(path.string() + ": the experiment file is " + std::to_string(size) +
                     " bytes; at most " + std::to_string(kMaxExperimentBytes) + " are allowed");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError(path.string() + ": cannot open experiment file (missing or unreadable)");
  std::string text(kMaxExperimentBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) throw InputError(path.string() + ": cannot read experiment file");
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxExperimentBytes)
    throw InputError(path.string() + ": the experiment file grew past " +
                     std::to_string(kMaxExperimentBytes) + " bytes while it was read");
  try {
    return parse_experiment(text, path.string());
  } catch (const InputError& e) {
    throw InputError(path.string() + ": " + e.what());
  }
}

}  // namespace tribe::design

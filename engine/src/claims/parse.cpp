#include "tribe/claims/parse.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "tribe/core/error.hpp"
#include "tribe/core/text.hpp"
#include "tribe/design/toml_input.hpp"

namespace tribe::claims {
namespace {

using design::Experiment;
using design::kSobolDummy;
using design::Sampling;
using namespace design::toml_input;

Selection parse_selection(const std::string& key, const toml::node& n, const Experiment& x) {
  Selection sel;
  const auto* t = n.as_table();
  if (!t)
    fail(key, n, "expected a table of factor = level (or [levels]), e.g. { structure = \"flat\" }");
  const auto specs = x.model->parameters();
  std::vector<std::string> names;
  for (const auto& f : x.factors) names.push_back(f.name);
  if (names.empty() && !t->empty())
    throw InputError(key + " selects by factor, but the experiment has no [factors]");
  reject_unknown_keys(*t, key + ".", names);
  for (const auto& [k, v] : *t) {
    const std::string fname(k.str());
    std::size_t f = 0;
    while (x.factors[f].name != fname) ++f;
    Selection::Condition cond{f, {}};
    const auto& spec = specs[x.factors[f].parameter];
    auto add = [&](const toml::node& level) {
      const double value = parameter_value(key + "." + fname, spec, level);
      const auto& levels = x.factors[f].levels;
      if (std::find(levels.begin(), levels.end(), value) == levels.end())
        fail(key + "." + fname, level, "expected one of the levels of factors." + fname);
      cond.levels.push_back(value);
    };
    if (const auto* arr = v.as_array()) {
      if (arr->empty())
        fail(key + "." + fname, v, "expected a level or a non-empty list of levels");
      for (const auto& level : *arr) add(level);
    } else {
      add(v);
    }
    if (!sel.text.empty()) sel.text += ' ';
    sel.text += fname + "=";
    for (std::size_t i = 0; i < cond.levels.size(); ++i)
      sel.text += (i ? "|" : "") + model::format_value(spec, cond.levels[i]);
    sel.conditions.push_back(std::move(cond));
  }
  if (sel.text.empty()) sel.text = "all cells";
  return sel;
}

std::vector<std::string> parse_factor_group(const std::string& key, const toml::node& n,
                                            const Experiment& x) {
  const auto* arr = n.as_array();
  const std::string allowed = "expected a non-empty list of factor or range names";
  if (!arr || arr->empty()) fail(key, n, allowed);
  std::vector<std::string> out;
  for (const auto& e : *arr) {
    const auto* s = e.as_string();
    if (!s) fail(key, e, allowed);
    bool known = false;
    for (const auto& f : x.factors) known = known || f.name == s->get();
    for (const auto& r : x.ranges) known = known || r.name == s->get();
    known = known || (x.sampling == Sampling::Sobol && s->get() == kSobolDummy);
    if (!known)
      fail(key, e,
           "expected the name of a factor or range of this experiment (or \"" +
               std::string(kSobolDummy) + "\" in a Sobol design)");
    out.push_back(s->get());
  }
  return out;
}

/// The [[claims]] (table = "claims") or [[patterns]] (table = "patterns") of an experiment
/// file; `ids` holds the ids already taken (ids are unique across both tables).
std::vector<ClaimSpec> parse_table(const toml::table& root, const Experiment& x,
                                   const std::string& table, std::set<std::string>& ids) {
  std::vector<ClaimSpec> claims;
  const bool patterns = table == "patterns";
  const toml::node* n = root.get(table);
  if (!n) return claims;
  const auto* arr = n->as_array();
  if (!arr || !arr->is_array_of_tables()) fail(table, *n, "expected [[" + table + "]] tables");
  const auto columns = x.model->columns();
  const std::string singular = patterns ? "patterns" : "claims";
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const toml::table& t = *arr->get(i)->as_table();
    const std::string where = table + "[" + std::to_string(i) + "]";
    reject_unknown_keys(
        t, where + ".",
        {"id", "statement", "test", "column", "a", "b", "value", "band", "paired", "factors_a",
         "factors_b", "interaction", "with", "controls", "sweep", "assumption_space"});
    ClaimSpec c;
    auto str = [&](const char* key, bool required) -> std::string {
      const toml::node* v = t.get(key);
      if (!v) {
        if (required) throw InputError("missing key " + where + "." + key);
        return "";
      }
      if (!v->is_string() || v->as_string()->get().empty())
        fail(where + "." + key, *v, "expected a non-empty string");
      return v->as_string()->get();
    };
    c.id = str("id", true);
    // An id names datasets of the result file (verdict_<id>, groups of the assumption
    // space): letters, digits, '-', '_' and '.', starting with a letter or digit, at most
    // 200 characters ("a/b", "." or "/" would be refused only after the whole run).
    {
      bool ok = c.id.size() <= 200 && std::isalnum(static_cast<unsigned char>(c.id[0]));
      for (const char ch : c.id)
        ok = ok &&
             (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.');
      if (!ok)
        fail(where + ".id", *t.get("id"),
             "expected letters, digits, '-', '_' or '.', starting with a letter or digit, at "
             "most 200 characters (the id names datasets in the result file)");
    }
    c.pattern = patterns;
    const std::string at = singular + "." + c.id;
    if (!ids.insert(c.id).second)
      throw InputError(where + ".id = \"" + c.id + "\" is used twice: ids must be unique");
    c.statement = str("statement", true);
    const std::string test = str("test", true);
    const auto named = std::find_if(std::begin(kTests), std::end(kTests),
                                    [&](const NamedTest& n) { return n.name == test; });
    if (named == std::end(kTests)) {
      std::vector<std::string> names;
      for (const auto& n : kTests) names.emplace_back(n.name);
      fail(at + ".test", *t.get("test"), "expected one of " + join(names, ", "));
    }
    c.test = named->test;
    c.column = str("column", true);
    if (model::find_column(columns, c.column) == model::npos) {
      std::string list;
      for (const auto& col : columns) list += (list.empty() ? "" : ", ") + col.name;
      fail(at + ".column", *t.get("column"),
           "expected a column of model " + std::string(x.model->name()) + ": " + list);
    }
    if (patterns && !c.is_band())
      fail(at + ".test", *t.get("test"),
           "a pattern is a band: expected \"within\" or \"rank_correlation_within\"");
    if (c.is_band()) {
      // A band [low, high]: the statistic lies strictly inside it.
      if (t.contains("value"))
        fail(at + ".value", *t.get("value"), "a band test takes band = [low, high], not value");
      const toml::node* band = t.get("band");
      if (!band)
        throw InputError("missing key " + at +
                         ".band (the interval [low, high] the statistic must lie in)");
      const auto* pair = band->as_array();
      const std::string allowed = "expected [low, high] with two numbers, low < high";
      if (!pair || pair->size() != 2) fail(at + ".band", *band, allowed);
      c.value = number(at + ".band", *pair->get(0), allowed);
      c.value_high = number(at + ".band", *pair->get(1), allowed);
      if (!(c.value < c.value_high)) fail(at + ".band", *band, allowed);
    } else {
      if (t.contains("band"))
        fail(at + ".band", *t.get("band"), "only used by within and rank_correlation_within");
      const toml::node* value = t.get("value");
      if (!value)
        throw InputError("missing key " + at + ".value (the threshold or margin of the claim)");
      c.value = number(at + ".value", *value, "expected a number");
      if (c.test.direction == Direction::Equivalent && !(c.value > 0))
        fail(at + ".value", *value, "an equivalence margin must be > 0");
    }
    if (const toml::node* p = t.get("paired")) {
      if (!p->is_boolean()) fail(at + ".paired", *p, "expected true or false");
      c.paired = p->as_boolean()->get();
    }
    if (const toml::node* s = t.get("assumption_space")) {
      if (!s->is_boolean()) fail(at + ".assumption_space", *s, "expected true or false");
      if (patterns) fail(at + ".assumption_space", *s, "not used by patterns");
      c.assumption_space = s->as_boolean()->get();
      if (c.assumption_space && x.sampling == Sampling::Factorial)
        fail(at + ".assumption_space", *s,
             "needs a sampled design (design.sampling = \"random\", \"lhs\" or \"sobol\"): the "
             "claim is evaluated "
             "at each of its points");
      if (c.assumption_space && c.uses_factor_groups())
        fail(at + ".assumption_space", *s,
             "not for variance-share or Sobol tests (they are properties of the whole design)");
    }
    if (c.is_sensitivity() && x.sampling != Sampling::Sobol)
      fail(at + ".test", *t.get("test"), "Sobol-index tests need design.sampling = \"sobol\"");
    if (c.uses_factor_groups()) {
      for (const char* k : {"a", "b", "paired"})
        if (t.contains(k))
          fail(at + "." + k, *t.get(k),
               "not used by variance-share or Sobol tests (use factors_a, factors_b)");
      if (!t.contains("factors_a"))
        throw InputError("missing key " + at +
                         ".factors_a (the factor group whose variance share is tested)");
      c.factors_a = parse_factor_group(at + ".factors_a", *t.get("factors_a"), x);
      if (t.contains("factors_b"))
        c.factors_b = parse_factor_group(at + ".factors_b", *t.get("factors_b"), x);
      for (const auto* group : {&c.factors_a, &c.factors_b})
        if (c.is_variance_share() &&
            std::find(group->begin(), group->end(), kSobolDummy) != group->end())
          throw InputError(
              at + ": the dummy has no variance share (it is not a parameter); use a Sobol test");
    } else {
      for (const char* k : {"factors_a", "factors_b"})
        if (t.contains(k))
          fail(at + "." + k, *t.get(k), "only used by variance-share and Sobol tests");
      if (c.is_interaction()) {
        if (!t.contains("interaction"))
          throw InputError(
              "missing key " + at +
              ".interaction (the 2 or 3 two-level factors whose interaction is tested)");
        const auto* arr = t.get("interaction")->as_array();
        const std::string allowed =
            "expected a list of 2 or 3 names of factors with exactly 2 levels";
        if (!arr || arr->size() < 2 || arr->size() > 3)
          fail(at + ".interaction", *t.get("interaction"), allowed);
        for (const auto& e : *arr) {
          const auto* name = e.as_string();
          if (!name) fail(at + ".interaction", e, allowed);
          std::size_t f = 0;
          while (f < x.factors.size() && x.factors[f].name != name->get()) ++f;
          if (f == x.factors.size() || x.factors[f].levels.size() != 2)
            fail(at + ".interaction", e, allowed);
          if (std::find(c.interaction.begin(), c.interaction.end(), f) != c.interaction.end())
            fail(at + ".interaction", e, "each factor once");
          c.interaction.push_back(f);
        }
        if (!x.common_random_numbers)
          throw InputError(
              at +
              ": an interaction test pairs organization k across the 2^k cells and needs "
              "experiment.common_random_numbers = true");
      } else if (t.contains("interaction")) {
        fail(at + ".interaction", *t.get("interaction"), "only used by interaction tests");
      }
      if (c.is_correlation() || c.is_rank_correlation()) {
        c.with = str("with", true);
        if (model::find_column(columns, c.with) == model::npos)
          fail(at + ".with", *t.get("with"),
               "expected a column of model " + std::string(x.model->name()));
        if (c.with == c.column)
          fail(at + ".with", *t.get("with"), "expected a column other than " + c.column);
      } else if (t.contains("with")) {
        fail(at + ".with", *t.get("with"), "only used by correlation tests");
      }
      if (const toml::node* ctl = t.get("controls")) {
        const std::string allowed = "expected a list of columns of model " +
                                    std::string(x.model->name()) +
                                    ", other than column and with, each once";
        if (!c.is_rank_correlation())
          fail(at + ".controls", *ctl, "only used by rank_correlation_within");
        const auto* list = ctl->as_array();
        if (!list || list->empty()) fail(at + ".controls", *ctl, allowed);
        for (const auto& e : *list) {
          const auto* name = e.as_string();
          if (!name || model::find_column(columns, name->get()) == model::npos ||
              name->get() == c.column || name->get() == c.with ||
              std::find(c.controls.begin(), c.controls.end(), name->get()) != c.controls.end())
            fail(at + ".controls", e, allowed);
          c.controls.push_back(name->get());
        }
      }
      static const toml::table all;
      c.a = parse_selection(at + ".a",
                            t.contains("a") ? *t.get("a") : static_cast<const toml::node&>(all), x);
      if (c.is_two_sample()) {
        if (!t.contains("b"))
          throw InputError("missing key " + at + ".b (the cells compared with a)");
        c.b = parse_selection(at + ".b", *t.get("b"), x);
      } else if (t.contains("b")) {
        fail(at + ".b", *t.get("b"), "only used by difference and equivalence tests");
      }
      for (const auto& cond : c.a.conditions)
        if (std::find(c.interaction.begin(), c.interaction.end(), cond.factor) !=
            c.interaction.end())
          fail(at + ".a", *t.get("a"), "must not restrict a factor of the interaction");
      if (c.paired && !c.is_two_sample())
        fail(at + ".paired", *t.get("paired"),
             "pairing needs two selections (a difference or equivalence test)");
      if (c.paired && !x.common_random_numbers)
        fail(at + ".paired", *t.get("paired"),
             "pairing needs experiment.common_random_numbers = true (organization k of each cell "
             "shares its random numbers)");
    }
    if (const toml::node* sw = t.get("sweep")) {
      // One claim per level of the swept factor, each restricted to that level.
      if (c.is_variance_share()) fail(at + ".sweep", *sw, "not used by variance-share tests");
      const auto* name = sw->as_string();
      std::size_t f = 0;
      while (name && f < x.factors.size() && x.factors[f].name != name->get()) ++f;
      if (!name || f == x.factors.size())
        fail(at + ".sweep", *sw, "expected the name of a factor of this experiment");
      if (std::find(c.interaction.begin(), c.interaction.end(), f) != c.interaction.end())
        fail(at + ".sweep", *sw, "must not be a factor of the interaction");
      for (const auto* sel : {&c.a, &c.b})
        for (const auto& cond : sel->conditions)
          if (cond.factor == f)
            fail(at + ".sweep", *sw, "a and b must not restrict the swept factor");
      const auto& spec = x.model->parameters()[x.factors[f].parameter];
      for (const double level : x.factors[f].levels) {
        ClaimSpec e = c;
        const std::string text = model::format_value(spec, level);
        e.id = c.id + "@" + x.factors[f].name + "=" + text;
        e.statement = c.statement + " (at " + x.factors[f].name + " = " + text + ")";
        e.sweep_of = c.id;
        e.sweep_factor = x.factors[f].name;
        e.sweep_level = text;
        for (auto* sel : {&e.a, &e.b}) {
          sel->conditions.push_back({f, {level}});
          sel->text = (sel->text == "all cells" || sel->text.empty() ? "" : sel->text + " ") +
                      x.factors[f].name + "=" + text;
        }
        if (!ids.insert(e.id).second)
          throw InputError(where + ": the swept id " + e.id + " is used twice");
        claims.push_back(std::move(e));
      }
      continue;
    }
    claims.push_back(std::move(c));
  }
  return claims;
}

}  // namespace

std::vector<ClaimSpec> parse_claims(const design::Experiment& x) {
  std::set<std::string> ids;
  return parse_table(parse(x.source_text, x.source_path), x, "claims", ids);
}

std::vector<ClaimSpec> parse_claims_and_patterns(const design::Experiment& x) {
  const auto root = parse(x.source_text, x.source_path);
  std::set<std::string> ids;  // unique across both tables
  auto specs = parse_table(root, x, "claims", ids);
  auto patterns = parse_table(root, x, "patterns", ids);
  specs.insert(specs.end(), patterns.begin(), patterns.end());
  return specs;
}

std::vector<ClaimSpec> parse_patterns(const design::Experiment& x) {
  auto specs = parse_claims_and_patterns(x);
  std::erase_if(specs, [](const ClaimSpec& c) { return !c.pattern; });
  return specs;
}

}  // namespace tribe::claims

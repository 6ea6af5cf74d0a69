#pragma once
// What the claims tests write again and again: [[claims]] and [[patterns]] tables, and an
// experiment parsed with the plan of all its organizations. A table is written from its
// keys, so that a test states only what its claim says: the table header, the key names and
// the quoting are written here once.
#include <initializer_list>
#include <string>
#include <vector>

#include "tribe/claims/evaluate.hpp"
#include "tribe/claims/parse.hpp"
#include "tribe/design/experiment.hpp"
#include "tribe/design/plan.hpp"

namespace tribe::test {

/// A table `[[kind]]` (kind: claims or patterns) with its id, statement, test and column
/// (strings, quoted here), then its other keys, one TOML line each (`value = 0.5`,
/// `a = { structure = "flat" }`, ...).
inline std::string toml_table(const std::string& kind, const std::string& id,
                              const std::string& statement, const std::string& test,
                              const std::string& column, std::initializer_list<std::string> keys) {
  std::string out = "\n[[" + kind + "]]\nid = \"" + id + "\"\nstatement = \"" + statement +
                    "\"\ntest = \"" + test + "\"\ncolumn = \"" + column + "\"\n";
  for (const auto& k : keys) out += k + "\n";
  return out;
}

/// A [[claims]] table (toml_table).
inline std::string claim(const std::string& id, const std::string& statement,
                         const std::string& test, const std::string& column,
                         std::initializer_list<std::string> keys) {
  return toml_table("claims", id, statement, test, column, keys);
}

/// A [[patterns]] table (toml_table).
inline std::string pattern(const std::string& id, const std::string& statement,
                           const std::string& test, const std::string& column,
                           std::initializer_list<std::string> keys) {
  return toml_table("patterns", id, statement, test, column, keys);
}

/// A claim that only its test, column and other keys tell apart (id "x", statement "s"):
/// the parsing tests' cases, each refused for one of its keys.
inline std::string claim_x(const std::string& test, const std::string& column,
                           std::initializer_list<std::string> keys) {
  return claim("x", "s", test, column, keys);
}

/// An experiment parsed from its text, with the plan of all its organizations (the plan
/// points at the experiment: neither is copied).
struct PlannedExperiment {
  PlannedExperiment(const std::string& text, const std::string& path)
      : x(design::parse_experiment(text, path)), plan(x, x.organizations_per_cell) {}
  PlannedExperiment(const PlannedExperiment&) = delete;
  PlannedExperiment& operator=(const PlannedExperiment&) = delete;

  /// Its [[claims]] evaluated on `data`.
  std::vector<claims::ClaimResult> evaluate(const claims::CellData& data) const {
    return claims::evaluate(plan, claims::parse_claims(x), data);
  }

  const design::Experiment x;
  const design::RunPlan plan;
};

}  // namespace tribe::test

#pragma once
// What the claims tests share: per-organization data given by a function (no model run),
// and the small leadership factorial whose four cells they make claims about.
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "tribe/claims/report.hpp"

namespace tribe::test {

/// Per-organization data given by a function of (column, cell, organization).
class SyntheticData : public claims::CellData {
 public:
  using Function = std::function<double(const std::string&, std::uint64_t, std::uint64_t)>;
  SyntheticData(std::uint64_t per_cell, Function f) : per_cell_(per_cell), f_(std::move(f)) {}
  std::vector<double> read(const std::string& column, std::uint64_t cell) const override {
    std::vector<double> v(per_cell_);
    for (std::uint64_t j = 0; j < per_cell_; ++j) v[j] = f_(column, cell, j);
    return v;
  }

 private:
  std::uint64_t per_cell_;
  Function f_;
};

/// A deterministic pseudo-random number in [0, 1) from integers (no state: any cell, any
/// order), for synthetic per-organization data.
inline double noise(std::uint64_t a, std::uint64_t b) {
  std::uint64_t z = a * 0x9E3779B97F4A7C15ULL + b * 0xBF58476D1CE4E5B9ULL + 0x94D049BB133111EBULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return static_cast<double>((z ^ (z >> 31)) >> 11) * 0x1p-53;
}

/// A leadership experiment named `name` (seed 3, 10 agents, span 3) over structure (flat,
/// hierarchy) x control (0.1, 0.9), with `claims` (more TOML) appended. Cells: 0 = (0.1,
/// flat), 1 = (0.1, hierarchy), 2 = (0.9, flat), 3 = (0.9, hierarchy).
inline std::string leadership_factorial(const std::string& name, const std::string& claims,
                                        std::uint64_t per_cell) {
  return "[experiment]\nname = \"" + name +
         "\"\nmodel = \"leadership\"\nseed = 3\norganizations_per_cell = " +
         std::to_string(per_cell) +
         "\n[parameters]\nagents = 10\nspan = 3\n[factors]\nstructure = [\"flat\", \"hierarchy\"]\n"
         "control = [0.1, 0.9]\n" +
         claims;
}

}  // namespace tribe::test

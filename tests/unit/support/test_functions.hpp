#pragma once
// Model plug-ins for tests, registered from the tests (tribe::catalog::register_model) as a
// user's own model would be, not part of the engine library.
//
// "test_exact": outcomes known exactly, so that runner, io, job and claims tests assert
// exact values and run in microseconds per organization. Parameters `level` (real,
// [-1000, 1000], default 0) and `step` (integer, [0, 1000], default 1); organization k of
// a cell gives columns
//   k      (count)   k
//   value  (real)    level + step * k
//   odd    (binary)  k mod 2
//   draw   (real)    one uniform draw in [0, 1) of the organization's random stream
// so a cell of n organizations has mean(value) = level + step (n - 1) / 2, sum(k) =
// n (n - 1) / 2, min level, max level + step (n - 1) and floor(n / 2) odd organizations.
//
// "test_functions": classic test functions with known Sobol indices, for sensitivity
// analysis. Model "test_functions": parameter `function` ("ishigami" or
// "g_function") and inputs x1..x8 in [0, 1]; column `y`, plus `y_noisy` = y + a standard
// normal draw of the organization (a stochastic model with common random numbers).
//   Ishigami (Ishigami & Homma 1990), a = 7, b = 0.1, on x1..x3 mapped to [-pi, pi].
//   Sobol' g-function (Saltelli & Sobol' 1995) on x1..x8 with a = (0, 1, 4.5, 9, 99, 99, 99, 99).
#include <array>
#include <numbers>

#include "tribe/model/model.hpp"

namespace tribe::test {

/// The models, each registered with the engine on first use.
const model::Model& test_functions_model();
const model::Model& exact_model();

/// An experiment of model "test_exact": factor level = [0, 10] (two cells), step 1, or
/// with `extra` appended (more TOML: [[claims]], [report]...).
std::string exact_experiment(std::uint64_t orgs_per_cell, const std::string& extra = "");

// Analytic indices.
inline constexpr double kIshigamiA = 7.0, kIshigamiB = 0.1;
struct IshigamiIndices {
  std::array<double, 3> first, total;
};
IshigamiIndices ishigami_indices();
inline constexpr std::array<double, 8> kGFunctionA = {0, 1, 4.5, 9, 99, 99, 99, 99};
struct GFunctionIndices {
  std::array<double, 8> first, total;
};
GFunctionIndices g_function_indices();

}  // namespace tribe::test

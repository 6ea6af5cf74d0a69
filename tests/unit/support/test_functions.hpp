#pragma once
// A model plug-in for testing sensitivity analysis: classic test functions with known
// Sobol indices, registered from the tests (tribe::model::register_model), not part of
// the engine library. Model "test_functions": parameter `function` ("ishigami" or
// "g_function") and inputs x1..x8 in [0, 1]; column `y`, plus `y_noisy` = y + a standard
// normal draw of the organization (a stochastic model with common random numbers).
//   Ishigami (Ishigami & Homma 1990), a = 7, b = 0.1, on x1..x3 mapped to [-pi, pi].
//   Sobol' g-function (Saltelli & Sobol' 1995) on x1..x8 with a = (0, 1, 4.5, 9, 99, 99, 99, 99).
#include <array>
#include <numbers>

#include "tribe/model/model.hpp"

namespace tribe::test {

/// The model, registered with the engine on first use.
const model::Model& test_functions_model();

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

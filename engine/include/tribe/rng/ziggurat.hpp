#pragma once
// Ziggurat tables (Marsaglia & Tsang 2000, "The ziggurat method for generating random
// variables", J. Stat. Softw. 5(8)) with 256 layers for the standard exponential and
// the standard normal, in the 64-bit layout of numpy's random module (Doornik's
// improvement of keeping the layer index and the magnitude in disjoint bits of one
// word, so that no layer index correlates with the value drawn).
//
// The method is exact: a draw that lands in the rectangle part of a layer (about 99%
// for the exponential, 98.8% for the normal) is accepted at once, without a
// transcendental function; the rest go through an exact rejection test against the
// density (one exp) or are drawn from the tail (exponential: memorylessness; normal:
// Marsaglia's tail method). The samplers themselves are in tribe/rng/samplers.hpp.
//
// The tables are computed once, when the library is loaded, from the published layer
// constants (r, v) by Marsaglia & Tsang's recurrence with glibc's exp, log and sqrt
// (deterministic on a platform, like every other sampler here).
#include <cstdint>

namespace tribe::rng {

struct ZigguratTables {
  // Exponential: x_i = we[i] * (53-bit integer); accept at once when the integer is
  // below ke[i]; fe[i] = exp(-x_i) at the layer edges.
  std::uint64_t ke[256];
  double we[256];
  double fe[256];
  // Normal: x_i = wn[i] * (52-bit integer) with a separate sign bit; kn, fn as above
  // with the density exp(-x^2 / 2).
  std::uint64_t kn[256];
  double wn[256];
  double fn[256];
};

/// Right edge of the base layer: where the tail begins.
inline constexpr double kZigguratExpR = 7.69711747013104971;
inline constexpr double kZigguratNormR = 3.6541528853610088;

/// The tables (built during static initialization of the library).
extern const ZigguratTables kZiggurat;

}  // namespace tribe::rng

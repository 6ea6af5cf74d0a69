#pragma once
// A tabulated Beta(a, b) sampler for many draws of one distribution (a, b >= 1):
// one 64-bit word and no transcendental function for about 98% of the draws at the
// leadership model's shapes, against about four words and two gamma squeezes for the
// gamma ratio of rng::BetaSampler.
//
// The method is exact rejection from a piecewise-constant envelope (Walker's alias
// method over strips; see e.g. Devroye 1986, "Non-Uniform Random Variate Generation",
// II.4 and III.4). [0, 1] is cut into 256 bins of width 2^-8. Over bin i the density
// g (scaled to a maximum of 1) lies between a lower height L_i and an upper height
// U_i, taken from g at the bin's ends and at the mode, with a margin of 1e-9 for
// rounding. The area under U is tiled by 512 rectangles: a *quick* one, bin i by
// [0, L_i], and a *slow* one, bin i by [L_i, U_i]. A draw picks one rectangle with
// probability proportional to its area (an alias table: 9 bits choose a slot, 23
// bits its coin) and a point uniform in it (32 bits place x in the bin). A point in a
// quick rectangle lies under g and is returned at once; a point in a slow one is
// returned if its height, drawn from a second word, is below g(x) (two logarithms and
// an exponential), and otherwise the draw starts again. The accepted points are
// uniform under g, so x has exactly the Beta density.
//
// The rectangles' areas are integers n_k / 2^32 summing to 1 exactly, and the heights
// are derived from those integers (not the other way round), so the quantization of
// the alias table changes the envelope but never the distribution. The returned x is
// (j + 1/2) 2^-40 for an integer j: a grid far finer than any 32-bit decision the
// model takes on a quality, never exactly 0 or 1.
//
// Shapes below 1 (an unbounded density) and narrow densities whose slow rectangles
// would be drawn too often (`kMaxSlowProbability`) are not tabulated: `make` returns
// null and the caller uses rng::BetaSampler. Which sampler a shape gets depends on
// (a, b) alone, so results stay a pure function of the parameters and the stream.
#include <cstdint>
#include <memory>

#include "tribe/rng/stream.hpp"

namespace tribe::rng {

class BetaTable {
 public:
  static constexpr int kBins = 256;
  /// Shapes whose slow rectangles would take more than this share of the draws are
  /// left to the gamma ratio (it is cheaper then).
  static constexpr double kMaxSlowProbability = 0.2;

  /// The table for Beta(a, b), or null when (a, b) is not tabulated (a < 1, b < 1,
  /// not finite, or too narrow: see kMaxSlowProbability).
  static std::unique_ptr<const BetaTable> make(double a, double b);

  double operator()(Stream& s) const noexcept {
    for (;;) {
      const std::uint64_t word = s.next_u64();
      const auto slot = static_cast<unsigned>(word >> 55);  // 9 bits
      const std::uint32_t entry = slot_[slot];
      const auto coin = static_cast<std::uint32_t>(word >> 32) & 0x7fffffu;  // 23 bits
      const unsigned k = coin < (entry >> 9) ? slot : (entry & 0x1ffu);
      const std::uint64_t grid =
          (static_cast<std::uint64_t>(k & 0xffu) << 32) | (word & 0xffffffffu);
      const double x = static_cast<double>(grid) * 0x1.0p-40 + 0x1.0p-41;
      if (k < kBins) [[likely]]
        return x;
      if (accept_slow(k - kBins, x, s)) return x;
    }
  }

  /// Probability that a try picks a slow rectangle (the rest return at once).
  double slow_probability() const noexcept { return slow_probability_; }

 private:
  BetaTable() = default;
  bool accept_slow(unsigned bin, double x, Stream& s) const noexcept;
  double log_g(double x) const noexcept;

  double a1_ = 0, b1_ = 0;                       // a - 1, b - 1
  double log_mode_ = 0, log1m_mode_ = 0;         // log m, log(1 - m) at the mode m
  std::uint32_t slot_[2 * kBins] = {};           // (coin threshold << 9) | alias
  double low_[kBins] = {}, height_[kBins] = {};  // slow rectangle: [low, low + height]
  double slow_probability_ = 0;
};

}  // namespace tribe::rng

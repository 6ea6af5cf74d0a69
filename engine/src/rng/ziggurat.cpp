#include "tribe/rng/ziggurat.hpp"

#include <cmath>

namespace tribe::rng {

namespace {

// Marsaglia & Tsang's table set-up (their zigset), for 256 layers and for the 53-bit
// (exponential) and 52-bit (normal) integers of the 64-bit layout. Layer 0 is the base
// strip, whose area v includes the tail; layers 1 .. 255 go from the top (narrowest)
// to just above the base. Layer i spans [0, x_i) and lies wholly under the density on
// [0, x_{i-1}) (x_0 = 0); the constants r (= x_255) and v (the common area) are those
// published for 256 layers (as in numpy).
ZigguratTables make_tables() {
  ZigguratTables t{};
  {  // exponential: f(x) = exp(-x)
    const double m = 0x1.0p53;
    const double v = 3.9496598225815571993e-3;
    double x = kZigguratExpR, previous = x;
    const double q = v / std::exp(-x);
    t.ke[0] = static_cast<std::uint64_t>((x / q) * m);
    t.ke[1] = 0;
    t.we[0] = q / m;
    t.we[255] = x / m;
    t.fe[0] = 1.0;
    t.fe[255] = std::exp(-x);
    for (int i = 254; i >= 1; --i) {
      x = -std::log(v / x + std::exp(-x));
      t.ke[i + 1] = static_cast<std::uint64_t>((x / previous) * m);
      previous = x;
      t.fe[i] = std::exp(-x);
      t.we[i] = x / m;
    }
  }
  {  // normal: f(x) = exp(-x^2 / 2), unnormalized
    const double m = 0x1.0p52;
    const double v = 4.928673233974655e-3;
    double x = kZigguratNormR, previous = x;
    const double q = v / std::exp(-0.5 * x * x);
    t.kn[0] = static_cast<std::uint64_t>((x / q) * m);
    t.kn[1] = 0;
    t.wn[0] = q / m;
    t.wn[255] = x / m;
    t.fn[0] = 1.0;
    t.fn[255] = std::exp(-0.5 * x * x);
    for (int i = 254; i >= 1; --i) {
      x = std::sqrt(-2.0 * std::log(v / x + std::exp(-0.5 * x * x)));
      t.kn[i + 1] = static_cast<std::uint64_t>((x / previous) * m);
      previous = x;
      t.fn[i] = std::exp(-0.5 * x * x);
      t.wn[i] = x / m;
    }
  }
  return t;
}

}  // namespace

const ZigguratTables kZiggurat = make_tables();

}  // namespace tribe::rng

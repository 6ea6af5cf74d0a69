#include "tribe/design/sobol.hpp"

#include <array>
#include <string>

#include "tribe/core/error.hpp"

namespace tribe::design {
namespace {

// Joe & Kuo (2008), new-joe-kuo-6.21201, dimensions 2..41: degree s of the primitive
// polynomial, its coefficients a (interior bits), and the initial direction numbers m_1..m_s.
// Dimension 1 is the van der Corput sequence (every m_i = 1).
struct Primitive {
  unsigned s;
  unsigned a;
  std::array<std::uint32_t, 8> m;
};
constexpr std::array<Primitive, SobolSequence::kMaxDimensions - 1> kJoeKuo = {{
    {1, 0, {1}},                              // d = 2
    {2, 1, {1, 3}},                           // 3
    {3, 1, {1, 3, 1}},                        // 4
    {3, 2, {1, 1, 1}},                        // 5
    {4, 1, {1, 1, 3, 3}},                     // 6
    {4, 4, {1, 3, 5, 13}},                    // 7
    {5, 2, {1, 1, 5, 5, 17}},                 // 8
    {5, 4, {1, 1, 5, 5, 5}},                  // 9
    {5, 7, {1, 1, 7, 11, 19}},                // 10
    {5, 11, {1, 1, 5, 1, 1}},                 // 11
    {5, 13, {1, 1, 1, 3, 11}},                // 12
    {5, 14, {1, 3, 5, 5, 31}},                // 13
    {6, 1, {1, 3, 3, 9, 7, 49}},              // 14
    {6, 13, {1, 1, 1, 15, 21, 21}},           // 15
    {6, 16, {1, 3, 1, 13, 27, 49}},           // 16
    {6, 19, {1, 1, 1, 15, 7, 5}},             // 17
    {6, 22, {1, 3, 1, 15, 13, 25}},           // 18
    {6, 25, {1, 1, 5, 5, 19, 61}},            // 19
    {7, 1, {1, 3, 7, 11, 23, 15, 103}},       // 20
    {7, 4, {1, 3, 7, 13, 13, 15, 69}},        // 21
    {7, 7, {1, 1, 3, 13, 7, 35, 63}},         // 22
    {7, 8, {1, 3, 5, 9, 1, 25, 53}},          // 23
    {7, 14, {1, 3, 1, 13, 9, 35, 107}},       // 24
    {7, 19, {1, 3, 1, 5, 27, 61, 31}},        // 25
    {7, 21, {1, 1, 5, 11, 19, 41, 61}},       // 26
    {7, 28, {1, 3, 5, 3, 3, 13, 69}},         // 27
    {7, 31, {1, 1, 7, 13, 1, 19, 1}},         // 28
    {7, 32, {1, 3, 7, 5, 13, 19, 59}},        // 29
    {7, 37, {1, 1, 3, 9, 25, 29, 41}},        // 30
    {7, 41, {1, 3, 5, 13, 23, 1, 55}},        // 31
    {7, 42, {1, 3, 7, 3, 13, 59, 17}},        // 32
    {7, 50, {1, 3, 1, 3, 5, 53, 69}},         // 33
    {7, 55, {1, 1, 5, 5, 23, 33, 13}},        // 34
    {7, 56, {1, 1, 7, 7, 1, 61, 123}},        // 35
    {7, 59, {1, 1, 7, 9, 13, 61, 49}},        // 36
    {7, 62, {1, 3, 3, 5, 3, 55, 33}},         // 37
    {8, 14, {1, 3, 1, 15, 31, 13, 49, 245}},  // 38
    {8, 21, {1, 3, 5, 15, 31, 59, 63, 97}},   // 39
    {8, 22, {1, 3, 1, 11, 11, 11, 77, 249}},  // 40
    {8, 38, {1, 3, 1, 11, 27, 43, 71, 9}},    // 41
}};

}  // namespace

SobolSequence::SobolSequence(std::size_t dimensions) : dims_(dimensions), v_(dimensions * kBits) {
  if (dimensions == 0 || dimensions > kMaxDimensions)
    throw InputError("a Sobol' sequence of " + std::to_string(dimensions) +
                     " dimensions is not available (1 to " + std::to_string(kMaxDimensions) + ")");
  for (unsigned i = 1; i <= kBits; ++i) v_[i - 1] = std::uint32_t{1} << (kBits - i);
  for (std::size_t d = 1; d < dims_; ++d) {
    const Primitive& p = kJoeKuo[d - 1];
    std::uint32_t* v = &v_[d * kBits];  // v[i - 1] = V_i
    for (unsigned i = 1; i <= kBits; ++i) {
      if (i <= p.s) {
        v[i - 1] = p.m[i - 1] << (kBits - i);
      } else {
        std::uint32_t x = v[i - p.s - 1] ^ (v[i - p.s - 1] >> p.s);
        for (unsigned k = 1; k < p.s; ++k)
          if ((p.a >> (p.s - 1 - k)) & 1u) x ^= v[i - k - 1];
        v[i - 1] = x;
      }
    }
  }
}

std::vector<double> SobolSequence::point(std::uint64_t n) const {
  if (n >> kBits)
    throw InputError("Sobol' point " + std::to_string(n) +
                     " is beyond the 2^32 points of the sequence");
  const std::uint64_t gray = n ^ (n >> 1);
  std::vector<double> x(dims_);
  for (std::size_t d = 0; d < dims_; ++d) {
    std::uint32_t bits = 0;
    for (unsigned b = 0; b < kBits; ++b)
      if ((gray >> b) & 1u) bits ^= v_[d * kBits + b];
    x[d] = static_cast<double>(bits) * 0x1p-32;
  }
  return x;
}

}  // namespace tribe::design

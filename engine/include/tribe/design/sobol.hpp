#pragma once
// Sobol' low-discrepancy sequence (Sobol' 1967) with the direction numbers of
// Joe & Kuo (2008), "Constructing Sobol sequences with better two-dimensional
// projections", SIAM J. Sci. Comput. 30:2635-2654, file new-joe-kuo-6.21201 (search
// criterion D(6)), published at https://web.maths.unsw.edu.au/~fkuo/sobol/. The first
// kMaxDimensions dimensions of that table are built in (design/sobol.cpp).
//
// Points are produced in Gray-code order, as in Joe & Kuo's reference generator
// (Antonov & Saleev 1979): point n is the XOR of the direction numbers of the bits of
// gray(n) = n ^ (n >> 1). The sequence is not scrambled and its first point (all
// zeros) is kept: dropping it breaks the balance of the first 2^m points (Owen 2020,
// "On dropping the first Sobol' point").
#include <cstddef>
#include <cstdint>
#include <vector>

namespace tribe::design {

class SobolSequence {
 public:
  static constexpr std::size_t kMaxDimensions = 41;
  static constexpr unsigned kBits = 32;  // points 0 .. 2^32 - 1

  /// Throws InputError if dimensions is 0 or above kMaxDimensions.
  explicit SobolSequence(std::size_t dimensions);

  std::size_t dimensions() const { return dims_; }
  /// Coordinates of point n (0-based) in [0, 1), one per dimension.
  std::vector<double> point(std::uint64_t n) const;

 private:
  std::size_t dims_;
  std::vector<std::uint32_t> v_;  // direction numbers: v_[d * kBits + bit]
};

}  // namespace tribe::design

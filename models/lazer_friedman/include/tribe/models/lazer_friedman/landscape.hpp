#pragma once
// NK fitness landscapes (Kauffman 1993), as used by Lazer & Friedman (2007).
//
// A solution is a string of N bits (bit i of a std::uint32_t). Each bit i has K
// interaction partners (K distinct other bits drawn uniformly) and its own table of
// 2^(K+1) contributions drawn uniform on [0, 1). The contribution of bit i is looked
// up at the index
//     bit_i(x) | bit_{p_i0}(x) << 1 | bit_{p_i1}(x) << 2 | ... | bit_{p_i(K-1)}(x) << K
// and the fitness is the mean of the N contributions.
//
// The global maximum is found by exhaustive search of the 2^N solutions in Gray-code
// order: consecutive solutions differ in one bit b, and flipping b changes only the
// contributions of b itself and of the bits that have b as a partner (K + 1 on
// average), so each step costs about K + 1 table look-ups instead of N.
#include <cstdint>
#include <vector>

#include "tribe/rng/stream.hpp"

namespace tribe::models::lazer_friedman {

/// Largest N supported (solutions are 32-bit words; the exhaustive search is 2^N steps).
inline constexpr int kMaxBits = 24;
/// Largest K supported (each table has 2^(K+1) entries).
inline constexpr int kMaxK = 15;

struct Landscape {
  int n = 0;                           // N: bits
  int k = 0;                           // K: partners per bit
  std::vector<std::int32_t> partners;  // n * k: partners of bit i at [i * k, (i + 1) * k)
  std::vector<double> table;           // n * 2^(k+1): table of bit i at [i << (k+1), ...)

  std::uint32_t solutions() const noexcept { return std::uint32_t{1} << n; }
  std::size_t table_size() const noexcept { return std::size_t{1} << (k + 1); }
  /// Index into bit i's table for solution x.
  std::uint32_t index(int i, std::uint32_t x) const noexcept {
    std::uint32_t idx = (x >> i) & 1u;
    const std::int32_t* p = partners.data() + static_cast<std::size_t>(i) * k;
    for (int j = 0; j < k; ++j) idx |= ((x >> p[j]) & 1u) << (j + 1);
    return idx;
  }
  /// Contribution of bit i to solution x.
  double contribution(int i, std::uint32_t x) const noexcept {
    return table[(static_cast<std::size_t>(i) << (k + 1)) + index(i, x)];
  }
  /// Fitness of x: the mean of the N contributions (summed in bit order, then divided by N).
  double fitness(std::uint32_t x) const noexcept {
    double sum = 0.0;
    for (int i = 0; i < n; ++i) sum += contribution(i, x);
    return sum / n;
  }
};

/// Draws a landscape: for each bit i in order, its K partners (a partial Fisher-Yates
/// shuffle of the other N - 1 bits), then all tables (bit 0's table first) as uniforms.
/// Reuses the landscape's buffers; `scratch` is grown to N.
void generate(Landscape& land, int n, int k, rng::Stream& s, std::vector<std::int32_t>& scratch);

/// Scratch memory of the exhaustive search (grown once, then reused).
struct SearchScratch {
  std::vector<std::uint32_t> index;   // current table index of each bit
  std::vector<std::int32_t> dep_off;  // CSR: bits whose contribution depends on bit b
  std::vector<std::int32_t> dep_bit;
  std::vector<std::uint32_t> dep_mask;
};

struct GlobalMax {
  double fitness = 0.0;      // exact fitness(argmax) as Landscape::fitness computes it
  std::uint32_t argmax = 0;  // the (first, in Gray-code order) best solution
};

/// Exhaustive search of all 2^N solutions, incremental in Gray-code order.
GlobalMax global_max(const Landscape& land, SearchScratch& scratch);

/// Reference: the same by evaluating every solution from scratch (slow; tests).
GlobalMax global_max_naive(const Landscape& land);

/// true when no one-bit change of x has a strictly higher fitness.
bool is_local_optimum(const Landscape& land, std::uint32_t x) noexcept;

/// Number of local optima (solutions no one-bit change strictly improves), by
/// evaluating all 2^N solutions once and comparing each with its N neighbours.
/// Memory 2^N doubles: meant for small N (tests).
std::uint64_t count_local_optima(const Landscape& land);

}  // namespace tribe::models::lazer_friedman

#include "tribe/models/lazer_friedman/landscape.hpp"

#include <bit>

#include "tribe/core/error.hpp"
#include "tribe/rng/samplers.hpp"

namespace tribe::models::lazer_friedman {

void generate(Landscape& land, int n, int k, rng::Stream& s, std::vector<std::int32_t>& scratch) {
  TRIBE_CHECK(n >= 1 && n <= kMaxBits && k >= 0 && k <= kMaxK && k <= n - 1,
              "nk: landscape size out of range");
  land.n = n;
  land.k = k;
  land.partners.resize(static_cast<std::size_t>(n) * k);
  land.table.resize(static_cast<std::size_t>(n) << (k + 1));
  scratch.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    // The other bits, in increasing order, then the first k of a partial shuffle.
    int m = 0;
    for (int j = 0; j < n; ++j)
      if (j != i) scratch[m++] = j;
    for (int j = 0; j < k; ++j) {
      const auto r = j + static_cast<int>(rng::uniform_index(s, static_cast<std::uint64_t>(m - j)));
      std::swap(scratch[j], scratch[r]);
      land.partners[static_cast<std::size_t>(i) * k + j] = scratch[j];
    }
  }
  for (double& v : land.table) v = rng::uniform(s);
}

GlobalMax global_max(const Landscape& land, SearchScratch& w) {
  const int n = land.n;
  const int k = land.k;
  // Who depends on bit b: bit b itself (mask 1) and every i with b among its partners.
  w.dep_off.assign(static_cast<std::size_t>(n) + 1, 0);
  for (int i = 0; i < n; ++i) {
    ++w.dep_off[static_cast<std::size_t>(i) + 1];
    for (int j = 0; j < k; ++j) ++w.dep_off[static_cast<std::size_t>(land.partners[i * k + j]) + 1];
  }
  for (int b = 0; b < n; ++b) w.dep_off[b + 1] += w.dep_off[b];
  const auto total = static_cast<std::size_t>(w.dep_off[n]);
  w.dep_bit.resize(total);
  w.dep_mask.resize(total);
  w.index.assign(static_cast<std::size_t>(n), 0u);
  {
    // Fill with a moving cursor per bit (reuse index[] as the cursor, then reset it).
    for (int b = 0; b < n; ++b) w.index[b] = static_cast<std::uint32_t>(w.dep_off[b]);
    for (int i = 0; i < n; ++i) {
      auto c = w.index[i]++;
      w.dep_bit[c] = i;
      w.dep_mask[c] = 1u;
      for (int j = 0; j < k; ++j) {
        const int b = land.partners[i * k + j];
        c = w.index[b]++;
        w.dep_bit[c] = i;
        w.dep_mask[c] = 1u << (j + 1);
      }
    }
    for (int b = 0; b < n; ++b) w.index[b] = 0u;  // solution 0: every index is 0
  }
  const double* table = land.table.data();
  const int shift = k + 1;
  double sum = 0.0;
  for (int i = 0; i < n; ++i) sum += table[static_cast<std::size_t>(i) << shift];
  double best = sum;
  std::uint32_t x = 0, argmax = 0;
  const std::uint32_t count = land.solutions();
  const std::int32_t* off = w.dep_off.data();
  const std::int32_t* dbit = w.dep_bit.data();
  const std::uint32_t* dmask = w.dep_mask.data();
  std::uint32_t* idx = w.index.data();
  for (std::uint32_t g = 1; g < count; ++g) {
    const int b = std::countr_zero(g);
    x ^= 1u << b;
    for (int c = off[b]; c < off[b + 1]; ++c) {
      const int i = dbit[c];
      const std::size_t base = static_cast<std::size_t>(i) << shift;
      const double before = table[base + idx[i]];
      idx[i] ^= dmask[c];
      sum += table[base + idx[i]] - before;
    }
    if (sum > best) {
      best = sum;
      argmax = x;
    }
  }
  // The running sum drifts by rounding (~1e-13): report the exact fitness of the argmax.
  return GlobalMax{land.fitness(argmax), argmax};
}

GlobalMax global_max_naive(const Landscape& land) {
  GlobalMax g{land.fitness(0), 0};
  for (std::uint32_t x = 1; x < land.solutions(); ++x) {
    const double f = land.fitness(x);
    if (f > g.fitness) g = GlobalMax{f, x};
  }
  return g;
}

bool is_local_optimum(const Landscape& land, std::uint32_t x) noexcept {
  const double f = land.fitness(x);
  for (int b = 0; b < land.n; ++b)
    if (land.fitness(x ^ (1u << b)) > f) return false;
  return true;
}

std::uint64_t count_local_optima(const Landscape& land) {
  std::vector<double> f(land.solutions());
  for (std::uint32_t x = 0; x < land.solutions(); ++x) f[x] = land.fitness(x);
  std::uint64_t count = 0;
  for (std::uint32_t x = 0; x < land.solutions(); ++x) {
    bool optimum = true;
    for (int b = 0; b < land.n && optimum; ++b) optimum = !(f[x ^ (1u << b)] > f[x]);
    count += optimum ? 1 : 0;
  }
  return count;
}

}  // namespace tribe::models::lazer_friedman

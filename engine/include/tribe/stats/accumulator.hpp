#pragma once
// Order-deterministic accumulation of one column over organizations.
//
// Results must be bit-identical for any thread count or backend, so the engine
// never adds doubles atomically: each block of organizations is accumulated
// sequentially into its own Accumulator, and blocks are merged in block order
// (Chan, Golub & LeVeque 1979 pairwise update). The merge order is fixed by the
// plan, not by which thread finished first.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace tribe::stats {

struct Accumulator {
  std::uint64_t n = 0;        // values seen that are not NaN
  std::uint64_t missing = 0;  // NaN values (undefined for that organization)
  double mean = 0.0;
  double m2 = 0.0;   // sum of squared deviations from the mean
  double sum = 0.0;  // exact for counts and 0/1 values up to 2^53
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();

  void add(double x) noexcept {
    if (std::isnan(x)) {
      ++missing;
      return;
    }
    ++n;
    const double delta = x - mean;
    mean += delta / static_cast<double>(n);
    m2 += delta * (x - mean);
    sum += x;
    min = std::min(min, x);
    max = std::max(max, x);
  }

  void merge(const Accumulator& o) noexcept {
    missing += o.missing;
    if (o.n == 0) return;
    if (n == 0) {
      const auto keep_missing = missing;
      *this = o;
      missing = keep_missing;
      return;
    }
    const double na = static_cast<double>(n), nb = static_cast<double>(o.n);
    const double nt = na + nb;
    const double delta = o.mean - mean;
    mean += delta * (nb / nt);
    m2 += o.m2 + delta * delta * (na * nb / nt);
    n += o.n;
    sum += o.sum;
    min = std::min(min, o.min);
    max = std::max(max, o.max);
  }

  double variance() const noexcept {
    return n > 1 ? m2 / static_cast<double>(n - 1) : std::numeric_limits<double>::quiet_NaN();
  }
  double sd() const noexcept { return std::sqrt(variance()); }
};

}  // namespace tribe::stats

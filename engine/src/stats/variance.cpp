#include "tribe/stats/variance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>

#include "tribe/core/error.hpp"

namespace tribe::stats {
namespace {

constexpr std::uint32_t kMaxLevel = 1u << 24;

}  // namespace

VarianceDecomposition decompose_variance(std::span<const std::span<const std::uint32_t>> factors,
                                         std::span<const double> values) {
  const std::size_t n = values.size();
  const std::size_t nf = factors.size();
  for (std::size_t f = 0; f < nf; ++f) {
    if (factors[f].size() != n)
      throw InputError("factor " + std::to_string(f) + " has " + std::to_string(factors[f].size()) +
                       " level indices for " + std::to_string(n) + " outcomes");
    for (std::size_t i = 0; i < n; ++i)
      if (factors[f][i] >= kMaxLevel)
        throw InputError("factor " + std::to_string(f) + " level index " +
                         std::to_string(factors[f][i]) + " at observation " + std::to_string(i) +
                         " is too large (at most 2^24 - 1)");
  }

  VarianceDecomposition out;
  out.levels.assign(nf, 0);
  out.ss_between.assign(nf, 0.0);
  out.eta_squared.assign(nf, std::numeric_limits<double>::quiet_NaN());

  // Pass 1: grand mean by Neumaier-compensated summation.
  double sum = 0.0, comp = 0.0;
  for (double y : values) {
    if (std::isnan(y)) continue;
    const double t = sum + y;
    comp += std::fabs(sum) >= std::fabs(y) ? (sum - t) + y : (y - t) + sum;
    sum = t;
    ++out.n_used;
  }
  if (out.n_used == 0) {
    out.grand_mean = std::numeric_limits<double>::quiet_NaN();
    out.unexplained_share = std::numeric_limits<double>::quiet_NaN();
    out.first_order_sobol = out.eta_squared;
    return out;
  }
  const double nd = static_cast<double>(out.n_used);
  const double mean0 = (sum + comp) / nd;

  // Pass 2: centred sums. Per factor and level: count and sum of deviations d = y - mean0;
  // SS_between = sum_l (sum_l d)^2 / n_l - (sum d)^2 / N (the last term corrects for the
  // tiny residual error of mean0), SS_total = sum d^2 - (sum d)^2 / N.
  std::vector<std::vector<double>> level_sum(nf);
  std::vector<std::vector<std::size_t>> level_n(nf);
  double dev_sum = 0.0, dev_sq = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double y = values[i];
    if (std::isnan(y)) continue;
    const double d = y - mean0;
    dev_sum += d;
    dev_sq += d * d;
    for (std::size_t f = 0; f < nf; ++f) {
      const std::uint32_t l = factors[f][i];
      if (l >= level_sum[f].size()) {
        level_sum[f].resize(l + 1, 0.0);
        level_n[f].resize(l + 1, 0);
      }
      level_sum[f][l] += d;
      ++level_n[f][l];
    }
  }
  const double correction = dev_sum * dev_sum / nd;
  out.grand_mean = mean0 + dev_sum / nd;
  out.ss_total = std::max(0.0, dev_sq - correction);

  double explained = 0.0;
  for (std::size_t f = 0; f < nf; ++f) {
    double ss = 0.0;
    for (std::size_t l = 0; l < level_sum[f].size(); ++l) {
      if (level_n[f][l] == 0) continue;
      ++out.levels[f];
      ss += level_sum[f][l] * level_sum[f][l] / static_cast<double>(level_n[f][l]);
    }
    out.ss_between[f] = std::clamp(ss - correction, 0.0, out.ss_total);
    if (out.ss_total > 0.0) {
      out.eta_squared[f] = out.ss_between[f] / out.ss_total;
      explained += out.eta_squared[f];
    }
  }
  out.first_order_sobol = out.eta_squared;
  out.unexplained_share =
      out.ss_total > 0.0 ? 1.0 - explained : std::numeric_limits<double>::quiet_NaN();

  // Balance: every combination of observed levels appears the same number of times.
  {
    std::map<std::vector<std::uint32_t>, std::size_t> cells;
    std::vector<std::uint32_t> key(nf);
    for (std::size_t i = 0; i < n; ++i) {
      if (std::isnan(values[i])) continue;
      for (std::size_t f = 0; f < nf; ++f) key[f] = factors[f][i];
      ++cells[key];
    }
    double combinations = 1.0;
    for (std::size_t f = 0; f < nf; ++f) combinations *= static_cast<double>(out.levels[f]);
    bool equal = !cells.empty();
    const std::size_t first = cells.empty() ? 0 : cells.begin()->second;
    for (const auto& [k, c] : cells) equal = equal && c == first;
    out.balanced_full_factorial = equal && static_cast<double>(cells.size()) == combinations;
  }
  return out;
}

}  // namespace tribe::stats

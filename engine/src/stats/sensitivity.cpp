#include "tribe/stats/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "tribe/core/error.hpp"
#include "tribe/rng/samplers.hpp"

namespace tribe::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Random-stream purpose of the bootstrap of the indices ("tribeSB").
constexpr std::uint64_t kBootstrapPurpose = 0x7472696265'5342ULL;

/// The indices from base points `rows` (with repetition) of centred outputs.
void estimate(const std::vector<double>& a, const std::vector<double>& b,
              const std::vector<std::vector<double>>& ab, const std::vector<std::uint32_t>& rows,
              std::vector<double>& s1, std::vector<double>& st, double& v) {
  const double n = static_cast<double>(rows.size());
  double sum = 0, sq = 0;
  for (auto j : rows) {
    sum += a[j] + b[j];
    sq += a[j] * a[j] + b[j] * b[j];
  }
  const double mean = sum / (2 * n);
  v = std::max(0.0, sq / (2 * n) - mean * mean);
  for (std::size_t i = 0; i < ab.size(); ++i) {
    double first = 0, total = 0;
    for (auto j : rows) {
      const double d = ab[i][j] - a[j];
      first += b[j] * d;
      total += d * d;
    }
    s1[i] = v > 0 ? first / n / v : kNaN;
    st[i] = v > 0 ? total / (2 * n) / v : kNaN;
  }
}

double quantile(std::vector<double>& x, double q) {
  // Type 7 (linear interpolation between order statistics), NaN entries left out.
  x.erase(std::remove_if(x.begin(), x.end(), [](double v) { return std::isnan(v); }), x.end());
  if (x.empty()) return kNaN;
  std::sort(x.begin(), x.end());
  const double h = q * static_cast<double>(x.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const auto hi = std::min(lo + 1, x.size() - 1);
  return x[lo] + (h - static_cast<double>(lo)) * (x[hi] - x[lo]);
}

}  // namespace

namespace {

/// Base points with every output known, centred on the mean of A and B.
struct Centred {
  std::vector<double> a, b;
  std::vector<std::vector<double>> ab;
};

Centred centre(std::span<const double> a, std::span<const double> b,
               const std::vector<std::vector<double>>& ab) {
  const std::size_t n = a.size(), k = ab.size();
  if (b.size() != n)
    throw InputError("sobol_indices: A and B have different numbers of base points");
  for (const auto& x : ab)
    if (x.size() != n)
      throw InputError("sobol_indices: an AB matrix has a different number of base points");
  std::vector<std::size_t> keep;
  double sum = 0;
  for (std::size_t j = 0; j < n; ++j) {
    bool ok = !std::isnan(a[j]) && !std::isnan(b[j]);
    for (std::size_t i = 0; i < k && ok; ++i) ok = !std::isnan(ab[i][j]);
    if (ok) {
      keep.push_back(j);
      sum += a[j] + b[j];
    }
  }
  const std::size_t m = keep.size();
  const double c = m ? sum / (2.0 * static_cast<double>(m)) : 0.0;
  Centred r{std::vector<double>(m), std::vector<double>(m),
            std::vector<std::vector<double>>(k, std::vector<double>(m))};
  for (std::size_t t = 0; t < m; ++t) {
    r.a[t] = a[keep[t]] - c;
    r.b[t] = b[keep[t]] - c;
    for (std::size_t i = 0; i < k; ++i) r.ab[i][t] = ab[i][keep[t]] - c;
  }
  return r;
}

/// Base points of bootstrap replicate `rep` (with repetition), from its own Philox stream.
void resample(std::vector<std::uint32_t>& rows, std::uint64_t seed, std::uint64_t rep) {
  rng::Stream s(seed, kBootstrapPurpose, rep);
  for (auto& row : rows) row = static_cast<std::uint32_t>(rng::uniform_index(s, rows.size()));
}

}  // namespace

SobolIndices sobol_indices(std::span<const double> a_in, std::span<const double> b_in,
                           const std::vector<std::vector<double>>& ab_in, double confidence,
                           std::uint64_t seed, std::uint64_t replicates) {
  if (!(confidence > 0 && confidence < 1)) throw InputError("confidence must be in (0, 1)");
  const Centred cd = centre(a_in, b_in, ab_in);
  const auto& ca = cd.a;
  const auto& cb = cd.b;
  const auto& cab = cd.ab;
  const std::size_t k = ab_in.size(), m = ca.size();
  SobolIndices r;
  r.base_points = m;
  r.first.assign(k, kNaN);
  r.total.assign(k, kNaN);
  r.first_low = r.first_high = r.total_low = r.total_high = r.first;
  r.variance = kNaN;
  if (m < 2) return r;
  std::vector<std::uint32_t> rows(m);
  for (std::size_t t = 0; t < m; ++t) rows[t] = static_cast<std::uint32_t>(t);
  estimate(ca, cb, cab, rows, r.first, r.total, r.variance);
  if (!(r.variance > 0)) return r;

  std::vector<std::vector<double>> boot_first(k), boot_total(k);
  std::vector<double> s1(k), st(k);
  double v = 0;
  for (std::uint64_t rep = 0; rep < replicates; ++rep) {
    resample(rows, seed, rep);
    estimate(ca, cb, cab, rows, s1, st, v);
    for (std::size_t i = 0; i < k; ++i) {
      boot_first[i].push_back(s1[i]);
      boot_total[i].push_back(st[i]);
    }
  }
  const double lo = 0.5 * (1 - confidence), hi = 1 - lo;
  for (std::size_t i = 0; i < k; ++i) {
    auto f = boot_first[i];
    r.first_low[i] = quantile(f, lo);
    r.first_high[i] = quantile(boot_first[i], hi);
    auto t = boot_total[i];
    r.total_low[i] = quantile(t, lo);
    r.total_high[i] = quantile(boot_total[i], hi);
  }
  return r;
}

IndexDifference sobol_index_difference(std::span<const double> a, std::span<const double> b,
                                       const std::vector<std::vector<double>>& ab,
                                       const std::vector<std::size_t>& group_a,
                                       const std::vector<std::size_t>& group_b, bool total,
                                       std::uint64_t seed, std::uint64_t replicates) {
  const Centred cd = centre(a, b, ab);
  const std::size_t k = ab.size(), m = cd.a.size();
  for (auto i : group_a) TRIBE_CHECK(i < k, "index group out of range");
  for (auto i : group_b) TRIBE_CHECK(i < k, "index group out of range");
  IndexDifference r;
  r.base_points = m;
  if (m < 2) return {kNaN, kNaN, m};
  std::vector<double> s1(k), st(k);
  double v = 0;
  auto difference = [&]() {
    const auto& idx = total ? st : s1;
    double d = 0;
    for (auto i : group_a) d += idx[i];
    for (auto i : group_b) d -= idx[i];
    return d;
  };
  std::vector<std::uint32_t> rows(m);
  for (std::size_t t = 0; t < m; ++t) rows[t] = static_cast<std::uint32_t>(t);
  estimate(cd.a, cd.b, cd.ab, rows, s1, st, v);
  r.estimate = difference();
  double mean = 0, m2 = 0;
  std::uint64_t n = 0;
  for (std::uint64_t rep = 0; rep < replicates; ++rep) {
    resample(rows, seed, rep);
    estimate(cd.a, cd.b, cd.ab, rows, s1, st, v);
    const double d = difference();
    if (std::isnan(d)) continue;
    ++n;
    const double delta = d - mean;
    mean += delta / static_cast<double>(n);
    m2 += delta * (d - mean);
  }
  r.se = n > 1 ? std::sqrt(m2 / static_cast<double>(n - 1)) : kNaN;
  return r;
}

}  // namespace tribe::stats

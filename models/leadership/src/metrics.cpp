#include "tribe/models/leadership/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <utility>

#include "tribe/core/error.hpp"

namespace tribe::models::leadership {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

double gini(std::span<const std::uint32_t> counts, std::vector<std::uint32_t>& scratch) {
  const std::size_t n = counts.size();
  if (n == 0) return kNaN;
  std::uint64_t total = 0;
  std::uint32_t largest = 0;
  for (const auto c : counts) {
    total += c;
    largest = std::max(largest, c);
  }
  if (total == 0) return kNaN;
  const double dn = static_cast<double>(n);
  // sum_i i x_(i) over the ascending order. Counts are small integers (events per
  // agent), so a counting sort gives it exactly: the h_v entries equal to v hold
  // ranks r_v + 1 .. r_v + h_v (r_v entries are smaller), contributing
  // v (h_v r_v + h_v (h_v + 1) / 2). Integer arithmetic: the same value as summing
  // the sorted copy (also exact while below 2^53), in O(n + largest).
  if (largest <= 4 * static_cast<std::uint64_t>(n) + 64 && n <= (std::size_t{1} << 20)) {
    scratch.assign(static_cast<std::size_t>(largest) + 1, 0);
    for (const auto c : counts) ++scratch[c];
    std::uint64_t weighted = 0, below = 0;
    for (std::uint64_t v = 1; v <= largest; ++v) {
      const std::uint64_t h = scratch[v];
      below += scratch[v - 1];
      weighted += v * (h * below + h * (h + 1) / 2);
    }
    return 2.0 * static_cast<double>(weighted) / (dn * static_cast<double>(total)) -
           (dn + 1.0) / dn;
  }
  scratch.assign(counts.begin(), counts.end());
  std::sort(scratch.begin(), scratch.end());
  double sum = 0.0, weighted = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    sum += scratch[i];
    weighted += static_cast<double>(i + 1) * scratch[i];
  }
  return 2.0 * weighted / (dn * sum) - (dn + 1.0) / dn;
}

double gini(std::span<const std::uint32_t> counts) {
  std::vector<std::uint32_t> scratch;
  return gini(counts, scratch);
}

double evenness(std::span<const std::uint32_t> counts, std::vector<std::uint32_t>& scratch) {
  return 1.0 - gini(counts, scratch);
}

double breadth(std::span<const std::uint32_t> counts) {
  if (counts.empty()) return kNaN;
  std::size_t with = 0;
  for (const auto c : counts) with += c > 0 ? 1 : 0;
  return static_cast<double>(with) / static_cast<double>(counts.size());
}

double leader_share(std::uint64_t insights_with_top, std::uint64_t insights) {
  if (insights == 0) return kNaN;
  return static_cast<double>(insights_with_top) / static_cast<double>(insights);
}

namespace {

// Keeps the first occurrence of each pair (bit (lo, hi) of an agents x agents matrix in
// `seen`, which is all zero before and after).
void unique_pairs_bitset(std::int64_t agents, std::vector<std::uint64_t>& pairs,
                         std::vector<std::uint64_t>& seen) {
  const auto n = static_cast<std::uint64_t>(agents);
  const std::size_t words = static_cast<std::size_t>((n * n + 63) / 64);
  if (seen.size() < words) seen.assign(words, 0);  // grown zeroed; kept zero below
  std::uint64_t* const bits = seen.data();
  std::size_t kept = 0;
  for (const std::uint64_t e : pairs) {
    const std::uint64_t at = (e >> 32) * n + (e & 0xffffffffu);
    const std::uint64_t mask = std::uint64_t{1} << (at & 63);
    std::uint64_t& word = bits[at >> 6];
    pairs[kept] = e;
    kept += (word & mask) == 0 ? 1 : 0;
    word |= mask;
  }
  pairs.resize(kept);
  for (const std::uint64_t e : pairs) bits[((e >> 32) * n + (e & 0xffffffffu)) >> 6] = 0;
}

}  // namespace

NetworkMeasures leadership_network(std::int64_t agents, std::vector<std::uint64_t>& pairs,
                                   std::vector<std::uint32_t>& degree,
                                   std::vector<std::uint64_t>& seen) {
  NetworkMeasures m;
  if (agents <= kNetworkBitsetAgents) {
    unique_pairs_bitset(agents, pairs, seen);
  } else {
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  }
  const double n = static_cast<double>(agents);
  m.density = agents >= 2 ? static_cast<double>(pairs.size()) / (n * (n - 1.0) / 2.0) : kNaN;
  degree.assign(static_cast<std::size_t>(agents), 0);
  for (const auto e : pairs) {
    ++degree[static_cast<std::size_t>(e >> 32)];
    ++degree[static_cast<std::size_t>(e & 0xffffffffu)];
  }
  m.centralization = pairs.empty() ? kNaN : degree_centralization(degree);
  return m;
}

double degree_centralization(std::span<const std::uint32_t> degree) {
  const std::size_t n = degree.size();
  if (n < 3) return kNaN;
  std::uint64_t largest = 0, total = 0;
  for (const auto d : degree) {
    largest = std::max<std::uint64_t>(largest, d);
    total += d;
  }
  if (total == 0) return kNaN;
  const double dn = static_cast<double>(n);
  // sum_i (d_max - d_i) = n d_max - sum_i d_i, exact in integers.
  const auto spread = static_cast<double>(n * largest - total);
  return spread / ((dn - 1.0) * (dn - 2.0));
}

namespace {

// log(k!) = lgamma(k + 1) for the integers below kLogFactorials, computed once by
// std::lgamma itself, so the values (and every figure derived from them) are the
// same as calling it; a default organization needs a few hundred of them.
constexpr std::uint64_t kLogFactorials = 4096;
double log_factorial(std::uint64_t k) {
  static const std::vector<double> table = [] {
    std::vector<double> t(kLogFactorials);
    for (std::uint64_t i = 0; i < kLogFactorials; ++i)
      t[i] = std::lgamma(static_cast<double>(i) + 1.0);
    return t;
  }();
  return k < kLogFactorials ? table[k] : std::lgamma(static_cast<double>(k) + 1.0);
}

// Binomial(n, r) probabilities over the window where they are not negligible, as
// (first index, values). Log-space (lgamma) so that large n never underflows.
std::pair<std::uint64_t, std::vector<double>> binomial_window(std::uint64_t n, double r) {
  if (n == 0 || r <= 0.0) return {0, {1.0}};
  if (r >= 1.0) return {n, {1.0}};
  const double mean = static_cast<double>(n) * r;
  const double sd = std::sqrt(mean * (1.0 - r));
  const double reach = 12.0 * sd + 12.0;  // tails beyond ~12 sd are below 1e-17
  const auto lo = static_cast<std::uint64_t>(std::max(0.0, std::floor(mean - reach)));
  const auto hi =
      static_cast<std::uint64_t>(std::min(static_cast<double>(n), std::ceil(mean + reach)));
  const double dn = static_cast<double>(n);
  const double base = log_factorial(n), lr = std::log(r), lq = std::log1p(-r);
  std::vector<double> p(hi - lo + 1);
  for (std::uint64_t l = lo; l <= hi; ++l) {
    const double dl = static_cast<double>(l);
    p[l - lo] = std::exp(base - log_factorial(l) - log_factorial(n - l) + dl * lr + (dn - dl) * lq);
  }
  return {lo, std::move(p)};
}

}  // namespace

double chance_evenness(std::int64_t agents, std::span<const std::uint64_t> insights_by_size) {
  if (agents < 2) return kNaN;
  const double n = static_cast<double>(agents);
  std::uint64_t events = 0;
  // Distribution of L, the number of insights that hold exactly one of two given agents.
  std::uint64_t first = 0;
  std::vector<double> pmf{1.0};
  for (std::size_t k = 1; k < insights_by_size.size(); ++k) {
    const std::uint64_t count = insights_by_size[k];
    if (count == 0) continue;
    events += count * k;
    const double dk =
        static_cast<double>(std::min<std::int64_t>(static_cast<std::int64_t>(k), agents));
    const double r = 2.0 * dk * (n - dk) / (n * (n - 1.0));
    const auto [lo, w] = binomial_window(count, r);
    std::vector<double> conv(pmf.size() + w.size() - 1, 0.0);
    for (std::size_t i = 0; i < pmf.size(); ++i)
      for (std::size_t j = 0; j < w.size(); ++j) conv[i + j] += pmf[i] * w[j];
    pmf = std::move(conv);
    first += lo;
  }
  if (events == 0) return kNaN;
  // E|S_L| of a simple symmetric random walk: g(2m) = g(2m - 1) = 2m C(2m, m) / 4^m,
  // with c_m = C(2m, m) / 4^m by c_m = c_{m-1} (2m - 1) / (2m).
  const std::uint64_t last = first + pmf.size() - 1;
  double expected_gap = 0.0, c = 1.0;
  std::uint64_t m = 0;
  for (std::uint64_t l = 1; l <= last; ++l) {
    if ((l + 1) / 2 > m) {  // l = 2m - 1 or 2m uses m = ceil(l / 2)
      ++m;
      c *= static_cast<double>(2 * m - 1) / static_cast<double>(2 * m);
    }
    if (l >= first) expected_gap += pmf[l - first] * static_cast<double>(2 * m) * c;
  }
  const double gini_expected = (n - 1.0) * expected_gap / (2.0 * static_cast<double>(events));
  return 1.0 - gini_expected;
}

double evenness_vs_chance(double evenness_value, double chance) {
  if (std::isnan(evenness_value) || std::isnan(chance) || !(chance > 0.0)) return kNaN;
  return evenness_value / chance;
}

double simpson_evenness_vs_chance(std::span<const std::uint32_t> counts,
                                  std::uint64_t sum_size_squared) {
  const std::size_t n = counts.size();
  std::uint64_t credits = 0, same = 0;
  for (const auto c : counts) {
    credits += c;
    same += static_cast<std::uint64_t>(c) * (c > 0 ? c - 1 : 0);
  }
  // Ordered pairs of credits from different events (exact in 64 bits below 2^32 credits).
  if (n < 2 || credits * credits <= sum_size_squared) return kNaN;
  const double pairs = static_cast<double>(credits * credits - sum_size_squared);
  const double concentration = static_cast<double>(same) / pairs;
  return (1.0 - concentration) / (1.0 - 1.0 / static_cast<double>(n));
}

RelianceMeasures reliance_measures(std::span<const std::uint32_t> in_weight,
                                   std::span<const std::uint8_t> formal) {
  TRIBE_CHECK(formal.size() == in_weight.size(),
              "reliance_measures needs one formal flag per agent");
  std::uint64_t total = 0, on_formal = 0;
  std::uint32_t top = 0;
  for (std::size_t i = 0; i < in_weight.size(); ++i) {
    const std::uint32_t w = in_weight[i];
    total += w;
    on_formal += formal[i] != 0 ? w : 0;
    top = std::max(top, w);
  }
  if (total == 0) return {kNaN, kNaN, kNaN};
  const auto dt = static_cast<double>(total);
  // A reliance event credits one agent: sum of squared sizes = W.
  return {static_cast<double>(top) / dt, static_cast<double>(on_formal) / dt,
          simpson_evenness_vs_chance(in_weight, total)};
}

double top_fraction_share(std::span<const std::uint32_t> in_weight, double fraction,
                          std::vector<std::uint32_t>& scratch) {
  TRIBE_CHECK(fraction > 0.0 && fraction <= 1.0, "top_fraction_share: fraction in (0, 1]");
  const std::size_t n = in_weight.size();
  std::uint64_t total = 0;
  for (const auto w : in_weight) total += w;
  if (n == 0 || total == 0) return kNaN;
  const auto k = std::min<std::size_t>(
      n, static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(n) - 1e-9)));
  scratch.assign(in_weight.begin(), in_weight.end());
  std::nth_element(scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(k - 1),
                   scratch.end(), std::greater<>());
  std::uint64_t top = 0;
  for (std::size_t i = 0; i < k; ++i) top += scratch[i];
  return static_cast<double>(top) / static_cast<double>(total);
}

bool is_distributed(const DistributedThresholds& t, double top_share, double formal_share,
                    double reliance_evenness) {
  // Comparisons with NaN are false, so an undefined figure never qualifies.
  return top_share <= t.top_share && formal_share <= t.formal_share &&
         reliance_evenness >= t.reliance_evenness;
}

bool is_distributed_network(double breadth_min, double centralization_max, double breadth_value,
                            double centralization) {
  return breadth_value >= breadth_min && centralization <= centralization_max;
}

}  // namespace tribe::models::leadership

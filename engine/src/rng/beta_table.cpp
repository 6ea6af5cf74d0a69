#include "tribe/rng/beta_table.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "tribe/core/error.hpp"

namespace tribe::rng {

namespace {
constexpr double kTotal = 0x1.0p32;  // the rectangles' areas are integers / 2^32
constexpr std::uint64_t kSlotCapacity = std::uint64_t{1} << 23;
constexpr double kMargin = 1e-9;  // relative: far above the rounding of log_g
}  // namespace

double BetaTable::log_g(double x) const noexcept {
  // log of the Beta density divided by its value at the mode; the terms of a shape of
  // exactly 1 are left out (0 * log 0 would be NaN at the ends).
  double v = 0.0;
  if (a1_ != 0.0) v += a1_ * (std::log(x) - log_mode_);
  if (b1_ != 0.0) v += b1_ * (std::log1p(-x) - log1m_mode_);
  return v;
}

bool BetaTable::accept_slow(unsigned bin, double x, Stream& s) const noexcept {
  const double y = low_[bin] + height_[bin] * u01(s.next_u64());
  return y < std::exp(log_g(x));
}

std::unique_ptr<const BetaTable> BetaTable::make(double a, double b) {
  if (!(std::isfinite(a) && std::isfinite(b) && a >= 1.0 && b >= 1.0)) return nullptr;
  std::unique_ptr<BetaTable> t(new BetaTable());
  t->a1_ = a - 1.0;
  t->b1_ = b - 1.0;
  // The mode (a - 1) / (a + b - 2); for a = b = 1 (uniform) any point, here 1/2.
  const double mode = t->a1_ + t->b1_ > 0.0 ? t->a1_ / (t->a1_ + t->b1_) : 0.5;
  t->log_mode_ = std::log(mode);
  t->log1m_mode_ = std::log1p(-mode);

  // g at the bins' ends; g is unimodal, so over bin i its minimum is at an end and its
  // maximum at an end or (if inside) at the mode, where g = 1.
  constexpr int n = kBins;
  const double w = 1.0 / n;
  double edge[n + 1];
  for (int i = 0; i <= n; ++i) edge[i] = std::exp(t->log_g(i * w));
  double lower[n], upper[n];
  double area = 0.0;
  for (int i = 0; i < n; ++i) {
    const bool mode_inside = mode > i * w && mode < (i + 1) * w;
    lower[i] = std::min(edge[i], edge[i + 1]) * (1.0 - kMargin);
    upper[i] = (mode_inside ? 1.0 : std::max(edge[i], edge[i + 1])) * (1.0 + kMargin);
    area += w * upper[i];
  }
  // Scale: the rectangles' total area Z maps to 2^32 counts. Z a little above the
  // envelope's area leaves room for rounding the slow rectangles up.
  const double z = area * (1.0 + 0x1.0p-20);
  const double per_count = z / kTotal / w;  // height of one count in a bin
  std::uint64_t count[2 * n];
  std::uint64_t total = 0;
  for (int i = 0; i < n; ++i) {
    // Quick rectangle: rounded down, so that its height stays below g on the bin.
    auto q = static_cast<std::uint64_t>(std::floor(lower[i] / per_count));
    while (q > 0 && static_cast<double>(q) * per_count > lower[i]) --q;
    const double low = static_cast<double>(q) * per_count;
    // Slow rectangle from there: rounded up, so that it reaches above g's maximum.
    auto r = static_cast<std::uint64_t>(std::ceil((upper[i] - low) / per_count)) + 1;
    while (low + static_cast<double>(r) * per_count < upper[i]) ++r;
    count[i] = q;
    count[n + i] = r;
    total += q + r;
  }
  TRIBE_CHECK(total <= std::uint64_t{1} << 32, "beta table: rectangles exceed their total");
  // The counts left over widen the slow rectangle of the highest bin: a higher envelope
  // there, still exact.
  const auto top = static_cast<int>(std::max_element(upper, upper + n) - upper);
  count[n + top] += (std::uint64_t{1} << 32) - total;
  std::uint64_t slow = 0;
  for (int i = 0; i < n; ++i) {
    t->low_[i] = static_cast<double>(count[i]) * per_count;
    t->height_[i] = static_cast<double>(count[n + i]) * per_count;
    slow += count[n + i];
  }
  t->slow_probability_ = static_cast<double>(slow) / kTotal;
  if (t->slow_probability_ > kMaxSlowProbability) return nullptr;

  // Walker's alias table in integers (Vose's construction): 512 slots of 2^23 counts
  // each; slot j keeps `threshold` counts for rectangle j and gives the rest to its
  // alias. Totals are exact, so rectangle k is drawn with probability count[k] / 2^32.
  std::vector<int> small, large;
  std::uint64_t left[2 * n];
  for (int k = 0; k < 2 * n; ++k) {
    left[k] = count[k];
    (left[k] < kSlotCapacity ? small : large).push_back(k);
  }
  std::uint64_t threshold[2 * n];
  int alias[2 * n];
  while (!small.empty() && !large.empty()) {
    const int s = small.back();
    small.pop_back();
    const int l = large.back();
    threshold[s] = left[s];
    alias[s] = l;
    left[l] -= kSlotCapacity - left[s];
    if (left[l] < kSlotCapacity) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // What remains holds exactly one slot's capacity each (the totals are exact).
  for (const auto* rest : {&small, &large})
    for (const int k : *rest) {
      TRIBE_CHECK(left[k] == kSlotCapacity, "beta table: alias construction lost counts");
      threshold[k] = kSlotCapacity;
      alias[k] = k;
    }
  for (int k = 0; k < 2 * n; ++k) {
    // A full slot is its own alias, so its threshold can be stored as 2^23 - 1 (23 bits).
    const std::uint64_t th = threshold[k] >= kSlotCapacity ? kSlotCapacity - 1 : threshold[k];
    const int al = threshold[k] >= kSlotCapacity ? k : alias[k];
    t->slot_[k] = static_cast<std::uint32_t>(th << 9) | static_cast<std::uint32_t>(al);
  }
  return t;
}

}  // namespace tribe::rng

#include "tribe/stats/clustered.hpp"

#include <algorithm>
#include <cmath>

namespace tribe::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double small_sample_factor(std::uint64_t g) {
  return static_cast<double>(g) / static_cast<double>(g - 1);
}

/// Wilson bounds for proportion p at (possibly fractional) sample size n.
Interval wilson_at(double p, double n, double confidence) {
  const double z = normal_quantile(0.5 + confidence / 2);
  const double z2 = z * z;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  return {p, p == 0 ? 0.0 : std::max(0.0, centre - half),
          p == 1 ? 1.0 : std::min(1.0, centre + half)};
}

double effective_n(const ClusterSums& a) {
  const double p = a.mean(), n = static_cast<double>(a.n());
  const double v = a.variance_of_mean();
  if (!(v > 0) || p <= 0 || p >= 1) return n;  // no spread to measure a design effect from
  return std::clamp(p * (1 - p) / v, 1.0, n);
}

}  // namespace

void ClusterSums::add(std::uint64_t cluster, double value) {
  if (std::isnan(value)) return;
  if (cluster >= sums_.size()) {
    sums_.resize(cluster + 1, 0.0);
    counts_.resize(cluster + 1, 0);
  }
  clusters_ += counts_[cluster] == 0;
  sums_[cluster] += value;
  ++counts_[cluster];
  ++n_;
  total_ += value;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
}

double ClusterSums::mean() const {
  return n_ ? total_ / static_cast<double>(n_) : kNaN;
}

double ClusterSums::variance_of_mean() const {
  if (clusters_ < 2) return kNaN;
  if (constant()) return 0.0;
  const double m = mean();
  double s = 0;
  for (std::size_t g = 0; g < sums_.size(); ++g) {
    const double u = sums_[g] - static_cast<double>(counts_[g]) * m;
    s += u * u;
  }
  const double n = static_cast<double>(n_);
  return small_sample_factor(clusters_) * s / (n * n);
}

std::uint64_t ClusterSums::clusters_with(const ClusterSums& o) const {
  std::uint64_t g = 0;
  for (std::size_t k = 0; k < std::max(sums_.size(), o.sums_.size()); ++k)
    g += (k < counts_.size() && counts_[k] > 0) || (k < o.counts_.size() && o.counts_[k] > 0);
  return g;
}

double ClusterSums::covariance_of_means(const ClusterSums& o) const {
  const std::uint64_t g = clusters_with(o);
  if (g < 2 || n_ == 0 || o.n_ == 0) return kNaN;
  if (constant() || o.constant()) return 0.0;
  const double ma = mean(), mb = o.mean();
  double s = 0;
  for (std::size_t k = 0; k < std::min(sums_.size(), o.sums_.size()); ++k)
    s += (sums_[k] - static_cast<double>(counts_[k]) * ma) *
         (o.sums_[k] - static_cast<double>(o.counts_[k]) * mb);
  return small_sample_factor(g) * s / (static_cast<double>(n_) * static_cast<double>(o.n_));
}

Interval clustered_mean_interval(const ClusterSums& a, double confidence) {
  const double m = a.mean();
  if (a.n() == 0) return {kNaN, kNaN, kNaN};
  if (a.constant() && a.n() >= 2) return {m, m, m};
  const double v = a.variance_of_mean();
  if (!(v >= 0)) return {m, kNaN, kNaN};
  const double t = student_t_quantile(0.5 + confidence / 2, static_cast<double>(a.clusters() - 1));
  const double se = std::sqrt(v);
  return {m, m - t * se, m + t * se};
}

Interval clustered_mean_difference(const ClusterSums& a, const ClusterSums& b, double confidence) {
  if (a.n() == 0 || b.n() == 0) return {kNaN, kNaN, kNaN};
  const double d = a.mean() - b.mean();
  if (a.constant() && b.constant() && a.n() >= 2 && b.n() >= 2) return {d, d, d};
  const double va = a.variance_of_mean(), vb = b.variance_of_mean(), c = a.covariance_of_means(b);
  double v = va + vb - 2 * c;
  // Every organization's difference the same: v is 0 up to rounding, and the difference exact.
  if (v < 0 && v > -1e-12 * (va + vb)) v = 0;
  if (!(v >= 0) || std::isnan(va) || std::isnan(vb)) return {d, kNaN, kNaN};
  const double t =
      student_t_quantile(0.5 + confidence / 2, static_cast<double>(a.clusters_with(b) - 1));
  const double se = std::sqrt(v);
  return {d, d - t * se, d + t * se};
}

Interval clustered_proportion_interval(const ClusterSums& a, double confidence) {
  if (a.n() == 0) return {kNaN, 0.0, 1.0};
  return wilson_at(a.mean(), effective_n(a), confidence);
}

Interval clustered_proportion_difference(const ClusterSums& a, const ClusterSums& b,
                                         double confidence) {
  if (a.n() == 0 || b.n() == 0) return {kNaN, -1.0, 1.0};
  const auto i1 = clustered_proportion_interval(a, confidence),
             i2 = clustered_proportion_interval(b, confidence);
  const double p1 = i1.estimate, p2 = i2.estimate, d = p1 - p2;
  const double va = a.variance_of_mean(), vb = b.variance_of_mean(), c = a.covariance_of_means(b);
  double r = (va > 0 && vb > 0 && std::isfinite(c)) ? c / std::sqrt(va * vb) : 0.0;
  r = std::clamp(r, -1.0, 1.0);
  const double dl1 = p1 - i1.low, du1 = i1.high - p1, dl2 = p2 - i2.low, du2 = i2.high - p2;
  const double low = d - std::sqrt(std::max(0.0, dl1 * dl1 + du2 * du2 - 2 * r * dl1 * du2));
  const double high = d + std::sqrt(std::max(0.0, du1 * du1 + dl2 * dl2 - 2 * r * du1 * dl2));
  return {d, std::max(-1.0, low), std::min(1.0, high)};
}

}  // namespace tribe::stats

#pragma once
// Intervals for means and proportions of samples whose observations come in clusters
// that may be correlated: under common random numbers, organization k of every cell
// shares its random numbers, so cells that are pooled (or compared unpaired) hold
// correlated observations with the same organization index. The cluster is the
// organization index.
//
// Variance of a mean (cluster-robust, Liang & Zeger 1986, with the small-sample factor
// G / (G - 1) of the CR1 form; Cameron & Miller 2015):
//   var(mean) = G / (G - 1) * sum_g (S_g - n_g mean)^2 / n^2,
// with S_g and n_g the sum and count of cluster g, n = sum n_g, G the clusters observed.
// With one observation per cluster it is the usual s^2 / n. The covariance of two means
// over the same clusters is G / (G - 1) * sum_g (S_ag - n_ag m_a)(S_bg - n_bg m_b) / (n_a n_b),
// so var(m_a - m_b) = var_a + var_b - 2 cov. Means use t quantiles with G - 1 degrees of
// freedom.
//
// Proportions: Wilson's interval at the effective sample size n_eff = p(1 - p) / var(p)
// (Kish's design effect, as for survey proportions: Korn & Graubard 1998), capped at n;
// a difference of proportions by Newcombe's square-and-add of those intervals with the
// cluster-robust correlation r of the two proportions (the MOVER of Zou & Donner 2008):
//   low = d - sqrt((p1 - l1)^2 + (u2 - p2)^2 - 2 r (p1 - l1)(u2 - p2)), high likewise.
#include <cstdint>
#include <limits>
#include <vector>

#include "tribe/stats/intervals.hpp"

namespace tribe::stats {

/// Sums of one sample by cluster. NaN values are skipped.
class ClusterSums {
 public:
  void add(std::uint64_t cluster, double value);

  std::uint64_t n() const { return n_; }
  /// Clusters with at least one value.
  std::uint64_t clusters() const { return clusters_; }
  double mean() const;
  double sum() const { return total_; }
  /// True when every value is the same (or there are none).
  bool constant() const { return !(max_ > min_); }
  /// Cluster-robust variance of the mean (NaN with fewer than 2 clusters).
  double variance_of_mean() const;
  /// Cluster-robust covariance of this mean and the other's (clusters matched by index).
  double covariance_of_means(const ClusterSums& other) const;
  /// Clusters with a value in this sample or the other.
  std::uint64_t clusters_with(const ClusterSums& other) const;

 private:
  std::vector<double> sums_;
  std::vector<std::uint64_t> counts_;
  std::uint64_t n_ = 0, clusters_ = 0;
  double total_ = 0;
  double min_ = std::numeric_limits<double>::infinity(),
         max_ = -std::numeric_limits<double>::infinity();
};

/// t interval of the mean with the cluster-robust variance (G - 1 degrees of freedom).
/// n = 0 -> {NaN, NaN, NaN}; a constant sample of n >= 2 -> the exact {mean, mean, mean}.
Interval clustered_mean_interval(const ClusterSums& a, double confidence = 0.95);

/// Interval of mean(a) - mean(b) over samples that share clusters. Both samples
/// constant (n >= 2 each) -> the exact difference.
Interval clustered_mean_difference(const ClusterSums& a, const ClusterSums& b,
                                   double confidence = 0.95);

/// Wilson interval of a proportion (values 0/1) at the cluster-robust effective sample size.
Interval clustered_proportion_interval(const ClusterSums& a, double confidence = 0.95);

/// Difference of proportions over samples that share clusters (see above).
Interval clustered_proportion_difference(const ClusterSums& a, const ClusterSums& b,
                                         double confidence = 0.95);

}  // namespace tribe::stats

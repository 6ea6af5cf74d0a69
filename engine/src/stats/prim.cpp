#include "tribe/stats/prim.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "tribe/core/error.hpp"
#include "tribe/core/stop.hpp"

namespace tribe::stats {
namespace {

struct Data {
  const std::vector<std::vector<double>>& x;
  const std::vector<int>& y;
  std::size_t dims;
  std::vector<double> min, max;
  std::vector<bool> discrete;  // few distinct values: peel one value at a time
  double positives;
};

bool inside(const Data& d, std::size_t i, const std::vector<double>& lo,
            const std::vector<double>& hi) {
  for (std::size_t k = 0; k < d.dims; ++k)
    if (d.x[i][k] < lo[k] || d.x[i][k] > hi[k]) return false;
  return true;
}

struct Count {
  std::size_t n = 0, pos = 0;
  double density() const { return n ? static_cast<double>(pos) / static_cast<double>(n) : 0.0; }
};

Count count(const Data& d, const std::vector<double>& lo, const std::vector<double>& hi) {
  Count c;
  for (std::size_t i = 0; i < d.x.size(); ++i)
    if (inside(d, i, lo, hi)) {
      ++c.n;
      c.pos += d.y[i] != 0;
    }
  return c;
}

/// Values of input k of the points in the box, sorted.
std::vector<double> values_in(const Data& d, std::size_t k, const std::vector<double>& lo,
                              const std::vector<double>& hi) {
  std::vector<double> v;
  for (std::size_t i = 0; i < d.x.size(); ++i)
    if (inside(d, i, lo, hi)) v.push_back(d.x[i][k]);
  std::sort(v.begin(), v.end());
  return v;
}

PrimBox make_box(const Data& d, const std::vector<double>& lo, const std::vector<double>& hi) {
  PrimBox b;
  b.low = lo;
  b.high = hi;
  const Count c = count(d, lo, hi);
  b.points = c.n;
  b.density = c.density();
  b.coverage = d.positives > 0 ? static_cast<double>(c.pos) / d.positives : 0.0;
  b.mass = static_cast<double>(c.n) / static_cast<double>(d.x.size());
  for (std::size_t k = 0; k < d.dims; ++k)
    b.restricted.push_back(lo[k] > d.min[k] || hi[k] < d.max[k]);
  return b;
}

}  // namespace

PrimBox prim(const std::vector<std::vector<double>>& x, const std::vector<int>& y,
             const PrimOptions& o) {
  if (x.size() != y.size()) throw InputError("prim: inputs and outcomes differ in length");
  const std::size_t dims = x.empty() ? 0 : x[0].size();
  for (const auto& row : x)
    if (row.size() != dims) throw InputError("prim: ragged inputs");
  Data d{x, y, dims, {}, {}, {}, 0};
  for (int v : y) d.positives += v != 0;
  for (std::size_t k = 0; k < dims; ++k) {
    std::set<double> distinct;
    double lo = INFINITY, hi = -INFINITY;
    for (const auto& row : x) {
      lo = std::min(lo, row[k]);
      hi = std::max(hi, row[k]);
      if (distinct.size() <= 10) distinct.insert(row[k]);
    }
    d.min.push_back(lo);
    d.max.push_back(hi);
    d.discrete.push_back(distinct.size() <= 10);
  }
  std::vector<double> lo = d.min, hi = d.max;
  if (x.empty() || d.positives == 0) {
    PrimBox b = x.empty() ? PrimBox{lo, hi, std::vector<bool>(dims, false), 0, 0, 0, 0}
                          : make_box(d, lo, hi);
    b.coverage = 0;
    return b;
  }
  const auto n = static_cast<double>(x.size());

  // 1. Peeling.
  std::vector<PrimBox> trajectory{make_box(d, lo, hi)};
  for (;;) {
    stop_point("finding the scenarios (PRIM)");
    double best_density = -1;
    std::size_t best_n = 0;
    std::vector<double> best_lo, best_hi;
    for (std::size_t k = 0; k < dims; ++k) {
      const auto v = values_in(d, k, lo, hi);
      if (v.empty() || v.front() == v.back()) continue;
      const std::size_t cut = std::max<std::size_t>(
          1, static_cast<std::size_t>(o.alpha * static_cast<double>(v.size())));
      for (int side = 0; side < 2; ++side) {
        auto nlo = lo, nhi = hi;
        if (side == 0) {
          // Remove the lowest values: the new low bound is the first value above the cut.
          double t = d.discrete[k] ? v.front() : v[cut - 1];
          auto it = std::upper_bound(v.begin(), v.end(), t);
          if (it == v.end()) continue;
          nlo[k] = *it;
        } else {
          double t = d.discrete[k] ? v.back() : v[v.size() - cut];
          auto it = std::lower_bound(v.begin(), v.end(), t);
          if (it == v.begin()) continue;
          nhi[k] = *(it - 1);
        }
        const Count c = count(d, nlo, nhi);
        if (static_cast<double>(c.n) < o.min_mass * n || c.n == 0) continue;
        if (c.density() > best_density || (c.density() == best_density && c.n > best_n)) {
          best_density = c.density();
          best_n = c.n;
          best_lo = nlo;
          best_hi = nhi;
        }
      }
    }
    if (best_density < 0) break;
    lo = best_lo;
    hi = best_hi;
    trajectory.push_back(make_box(d, lo, hi));
  }

  // 2. Choice.
  PrimBox box = trajectory.front();
  for (const auto& b : trajectory)
    if (b.coverage >= o.min_coverage && b.density > box.density) box = b;
  lo = box.low;
  hi = box.high;

  // 3. Pasting.
  for (;;) {
    stop_point("finding the scenarios (PRIM)");
    const double current = count(d, lo, hi).density();
    double best = current;
    std::vector<double> best_lo, best_hi;
    for (std::size_t k = 0; k < dims; ++k) {
      for (int side = 0; side < 2; ++side) {
        // Points just outside this bound (inside every other bound).
        auto wide_lo = lo, wide_hi = hi;
        if (side == 0)
          wide_lo[k] = d.min[k];
        else
          wide_hi[k] = d.max[k];
        std::vector<double> out;
        for (std::size_t i = 0; i < x.size(); ++i)
          if (inside(d, i, wide_lo, wide_hi) && (side == 0 ? x[i][k] < lo[k] : x[i][k] > hi[k]))
            out.push_back(x[i][k]);
        if (out.empty()) continue;
        std::sort(out.begin(), out.end());
        const std::size_t in_box = count(d, lo, hi).n;
        const std::size_t take = std::min(
            out.size(), std::max<std::size_t>(
                            1, static_cast<std::size_t>(o.alpha * static_cast<double>(in_box))));
        auto nlo = lo, nhi = hi;
        if (side == 0)
          nlo[k] = d.discrete[k] ? out.back() : out[out.size() - take];
        else
          nhi[k] = d.discrete[k] ? out.front() : out[take - 1];
        const double density = count(d, nlo, nhi).density();
        if (density > best) {
          best = density;
          best_lo = nlo;
          best_hi = nhi;
        }
      }
    }
    if (best_lo.empty()) break;
    lo = best_lo;
    hi = best_hi;
  }

  // 4. Fewer inputs.
  for (;;) {
    stop_point("finding the scenarios (PRIM)");
    const double current = count(d, lo, hi).density();
    double best_loss = o.drop_tolerance;
    std::size_t drop = dims;
    for (std::size_t k = 0; k < dims; ++k) {
      if (lo[k] == d.min[k] && hi[k] == d.max[k]) continue;
      auto nlo = lo, nhi = hi;
      nlo[k] = d.min[k];
      nhi[k] = d.max[k];
      const double loss = current - count(d, nlo, nhi).density();
      if (loss < best_loss) {
        best_loss = loss;
        drop = k;
      }
    }
    if (drop == dims) break;
    lo[drop] = d.min[drop];
    hi[drop] = d.max[drop];
  }
  return make_box(d, lo, hi);
}

}  // namespace tribe::stats

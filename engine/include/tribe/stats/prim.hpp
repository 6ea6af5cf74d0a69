#pragma once
// Scenario discovery by PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999,
// "Bump hunting in high-dimensional data", Statistics and Computing 9:123-143), as used
// for scenario discovery (Bryant & Lempert 2010): find a box (bounds on a few inputs)
// where a binary outcome (here: the claim is supported) is dense.
//
//  1. Peeling: from the box holding every point, repeatedly remove the alpha share of the
//     points in the box from the low or high end of one input (for an input with few
//     distinct values: its lowest or highest value), choosing the peel that leaves the
//     highest density (share of y = 1 in the box), until fewer than min_mass of the
//     points remain or nothing can be peeled.
//  2. Choice: the box of the peeling trajectory with the highest density among those whose
//     coverage (share of all y = 1 points inside) is at least min_coverage (ties: the
//     larger box).
//  3. Pasting: repeatedly widen one bound by about alpha of the box's points, taking the
//     widening that raises the density most, while the density rises.
//  4. Fewer inputs: drop each restriction whose removal lowers the density by less than
//     drop_tolerance (the inputs that do not matter), least useful first.
// Coverage = y = 1 points in the box / all y = 1 points; density = y = 1 points in the
// box / points in the box; mass = points in the box / all points.
#include <cstddef>
#include <vector>

namespace tribe::stats {

struct PrimOptions {
  double alpha = 0.05;           // peeling and pasting share
  double min_mass = 0.05;        // smallest box, as a share of the points
  double min_coverage = 0.8;     // the chosen box keeps at least this coverage
  double drop_tolerance = 0.01;  // restrictions worth less density than this are dropped
};

struct PrimBox {
  std::vector<double> low, high;  // per input; [min, max] of the input when unrestricted
  std::vector<bool> restricted;   // per input
  double coverage = 0, density = 0, mass = 0;
  std::size_t points = 0;  // points in the box
};

/// x[i][d]: input d of point i; y[i]: 1 where the outcome of interest holds. No point with
/// y = 1 -> a box with coverage 0 and density 0 (nothing to find). Throws InputError on
/// ragged input.
PrimBox prim(const std::vector<std::vector<double>>& x, const std::vector<int>& y,
             const PrimOptions& options = {});

}  // namespace tribe::stats

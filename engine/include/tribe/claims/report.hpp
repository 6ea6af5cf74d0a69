#pragma once
// What an evaluation of claims reads and what it gives, as data: the per-organization
// data it reads cell by cell (CellData, which a result file or a test provides) and the
// report it builds (claims/evaluate.hpp). io/ stores and prints reports through this
// header alone; it never evaluates.
#include <cstdint>
#include <string>
#include <vector>

#include "tribe/claims/claim.hpp"
#include "tribe/stats/prim.hpp"

namespace tribe::claims {

/// Per-organization values of one column in one cell, in organization order.
class CellData {
 public:
  virtual ~CellData() = default;
  virtual std::vector<double> read(const std::string& column, std::uint64_t cell) const = 0;
};

struct VarianceShares {
  std::string column;
  std::vector<std::string> names;  // factors, then sampled ranges (by strata)
  std::vector<double> eta_squared;
  double unexplained = 0.0;
};

struct Robustness {
  std::vector<std::string> thresholds;         // threshold parameters varied
  std::vector<std::vector<double>> offsets;    // per grid point: offset of each threshold
  std::vector<std::vector<Verdict>> verdicts;  // per grid point: verdict of each claim
  std::vector<double>
      share;  // per claim: share of grid points with the base verdict (NaN: threshold-independent)
};

/// One threshold of a derived column set to every value of a grid over its whole range
/// (the other thresholds at the cells' values); every claim re-evaluated at each value.
struct ThresholdCurve {
  std::string threshold;
  std::vector<double> values;
  std::vector<std::vector<Verdict>> verdicts;  // [value][claim]
  std::vector<std::vector<double>> estimates;  // [value][claim]
};

/// A claim evaluated at every sampled point of the design on its own (the points are the
/// assumption space: the sampled parameters and their ranges). Each point's verdict is
/// decided alone (Holm over its two one-sided tests, no correction across points: the map
/// is descriptive, the claim's verdict in the family is the pooled one).
struct AssumptionSpace {
  std::size_t claim = 0;                // index into the experiment's claims
  std::vector<std::string> parameters;  // the sampled ranges
  std::vector<std::vector<double>> x;   // [point][range]: encoded values
  std::vector<Verdict> verdicts;        // per point
  std::vector<double> estimates;        // per point
  double share_supported = 0, share_not_supported = 0, share_inconclusive = 0;
  stats::PrimBox scenario;  // where the claim is supported (PRIM)
};

struct Report {
  double confidence = 0.95;
  std::vector<ClaimResult> results;      // one per claim, in the experiment's order
  std::vector<VarianceShares> variance;  // one per column used by a variance-share claim
  Robustness robustness;
  std::vector<ThresholdCurve> curves;   // one per threshold a claim's derived column uses
  std::vector<AssumptionSpace> spaces;  // one per claim with assumption_space = true
};

}  // namespace tribe::claims

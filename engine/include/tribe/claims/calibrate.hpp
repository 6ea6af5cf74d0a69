#pragma once
// Calibration by rejection ABC ([calibration] of an experiment; stats/abc.hpp states the
// distance and the acceptance rules). Every cell of the design is run at every calibration
// point (a prior draw of the calibrated assumptions); here each point's patterns are
// evaluated on that point's organizations alone, exactly as the patterns are evaluated on
// the whole run (the same statistic, interval and decision, Holm over the point's
// patterns), each point's distance to the bands is computed, the acceptance rule applied,
// and the accepted region summarized: the marginal of every calibrated parameter, and the
// patterns re-evaluated on the organizations of the accepted points pooled.
#include <cstdint>
#include <string>
#include <vector>

#include "tribe/claims/claim.hpp"
#include "tribe/claims/report.hpp"
#include "tribe/design/plan.hpp"
#include "tribe/stats/abc.hpp"

namespace tribe::claims {

struct Calibration {
  std::vector<std::string> parameters;       // the calibrated assumptions (calibration.ranges)
  std::vector<std::vector<double>> theta;    // [point][parameter]: the prior draws
  std::vector<std::uint8_t> uses;            // [pattern]: 1 if the distance uses it
  std::vector<std::vector<ClaimResult>> at;  // [point][pattern]: the patterns at each point
  std::vector<std::vector<double>> band_distance;  // [point][pattern]
  std::vector<double> distance;                    // [point]: the largest over the patterns used
  std::vector<std::uint8_t> accepted;              // [point]
  double tolerance_reached = 0.0;                  // the largest accepted distance (NaN: none)
  std::vector<stats::abc::Marginal> marginals;     // [parameter]
  /// [pattern]: share of the points whose estimate lies inside the band, over all points
  /// (the prior) and over the accepted ones (NaN when none is accepted).
  std::vector<double> inside_prior, inside_accepted;
  /// [pattern]: each pattern evaluated on the organizations of every accepted point pooled,
  /// decided as a family (Holm over the patterns); empty when nothing is accepted.
  std::vector<ClaimResult> accepted_region;
  std::uint64_t accepted_organizations = 0;  // organizations of the accepted points
};

/// Checks the experiment's calibration against its patterns: at least one pattern, and
/// every id of calibration.patterns a pattern of the file. Throws InputError.
void check_calibration(const design::Experiment& x, const std::vector<ClaimSpec>& patterns);

/// The calibration of a finished run (its experiment has [calibration]), its points
/// evaluated on `threads` threads (0: all cores); the result does not depend on them.
Calibration calibrate(const design::RunPlan& plan, const std::vector<ClaimSpec>& patterns,
                      const CellData& data, unsigned threads = 0);

}  // namespace tribe::claims

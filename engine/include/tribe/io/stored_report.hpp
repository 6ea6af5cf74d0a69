#pragma once
// The claims report and the sensitivity indices of a result file as they are stored
// (docs/hdf5-format.md: /claims, /sensitivity), read back into plain data by
// io::read_report (io/claims_store.hpp) for the text and Markdown report (report/format.hpp),
// which needs no HDF5. Verdicts are the stored words ("supported", ...), numbers as stored.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tribe::io {

/// /sensitivity: first- and total-order Sobol indices of each column, with intervals.
struct StoredSensitivity {
  struct Column {
    std::string name;
    std::vector<std::string> parameter;
    std::vector<double> s1, s1_low, s1_high, st, st_low, st_high;
  };
  double confidence = 0.95;
  std::uint64_t cells = 0;  // cells of the Sobol design
  std::vector<Column> columns;
};

/// /claims: one entry per claim in every vector, in the experiment's order.
struct StoredClaims {
  std::string experiment, engine, git, file;
  std::uint64_t seed = 0, organizations = 0;
  double confidence = 0.95;
  std::vector<std::string> id, statement, description, method, verdict, reason, thresholds;
  std::vector<double> est, lo, hi, pc, po, pc_holm, po_holm, rob, na, nb;
  /// Swept claims: the written id and the level (empty for other claims, and in files
  /// older than sweeps).
  std::vector<std::string> sweep_of, sweep_level;
};

/// /claims/threshold_curves/<threshold>: the grid of the threshold's values and each
/// claim's verdict codes along it (none where the file has none for the claim).
struct StoredCurve {
  std::string threshold;
  std::vector<double> values;
  std::vector<std::optional<std::vector<double>>> verdicts;  // per claim
};

/// /claims/assumption_space/<claim>: where a claim holds over the sampled points.
struct StoredScenario {
  std::string id;
  double share_supported = 0, share_not_supported = 0, share_inconclusive = 0;
  std::string scenario;  // the PRIM box, in words
  double coverage = 0, density = 0, mass = 0;
};

/// /calibration: the rejection ABC of the experiment's [calibration], summarized.
struct StoredCalibration {
  std::string rule;  // the acceptance rule, in words
  std::uint64_t points = 0, accepted = 0;
  double tolerance_reached = 0.0, credible = 0.9;
  std::vector<std::string> parameter;  // the calibrated assumptions
  std::vector<double> prior_low, prior_high, median, credible_low, credible_high;
  std::vector<std::string> pattern;  // every pattern, in the experiment's order
  std::vector<double> uses, inside_prior, inside_accepted;
  bool has_accepted_region = false;
  StoredClaims accepted_region;  // the patterns over the accepted points pooled
};

struct StoredReport {
  bool has_sensitivity = false;
  StoredSensitivity sensitivity;
  bool has_claims = false;
  StoredClaims claims;  // provenance (experiment, seed, ...) also without claims
  bool has_patterns = false;
  StoredClaims patterns;  // /patterns: the same table, a family of its own
  bool has_calibration = false;
  StoredCalibration calibration;
  std::vector<StoredCurve> curves;
  bool has_assumption_space = false;
  std::vector<StoredScenario> scenarios;
};

}  // namespace tribe::io

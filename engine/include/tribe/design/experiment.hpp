#pragma once
// An experiment: an immutable, validated description read from a TOML file.
//
//   [experiment]  name, description, model, seed, organizations_per_cell, output,
//                 common_random_numbers
//   [parameters]  fixed values of model parameters (model defaults otherwise)
//   [factors]     model parameters varied in a full-factorial design (lists of levels)
//   [design]      sampling = "factorial" | "random" | "lhs" | "sobol", points, and
//                 [design.ranges]: parameters sampled over ranges (crossed with the factors;
//                 a Sobol design has no factors, and its ranges may list choices);
//                 or sampling = "list" and [design.points]: the points themselves, one
//                 list of values per parameter (e.g. a calibration's accepted points)
//   [calibration] rejection ABC over assumptions ([calibration.ranges], sampled by a Latin
//                 hypercube of their own): every cell of the design is run at every
//                 calibration point; the patterns are evaluated per point (claims/calibrate.hpp)
//   [report]      confidence, robustness offsets of the threshold parameters
//   [[claims]]    claims evaluated on the result: kept here as data, in source_text;
//                 claims/parse.hpp reads and checks them against the experiment
//
// Every key is checked against the model's parameter schema before any work starts;
// errors name the key, the value and what is allowed.
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "tribe/model/model.hpp"

namespace tribe::design {

/// A model parameter varied over levels (values encoded as in ParameterValues).
struct Factor {
  std::string name;
  std::size_t parameter = 0;  // index into model.parameters()
  std::vector<double> levels;
};

enum class Sampling { Factorial, Random, LatinHypercube, Sobol, List };
std::string_view to_string(Sampling s);

/// A model parameter sampled over [low, high] (random, Latin hypercube or Sobol designs),
/// or, in a Sobol design, over a list of choices (encoded values, equally likely).
struct Range {
  std::string name;
  std::size_t parameter = 0;
  double low = 0.0, high = 0.0;
  std::vector<double> choices;  // empty for a numeric range
};

struct ReportSettings {
  double confidence = 0.95;  // of every interval and of the verdicts (alpha = 1 - confidence)
  /// Offsets added to each threshold parameter of the model for the robustness grid
  /// (every combination; values clipped to the parameter's range).
  std::vector<double> robustness_offsets = {-0.1, 0.0, 0.1};
  /// Points of each threshold curve: every threshold parameter of a derived column that a
  /// claim uses is set to this many evenly spaced values over its whole range (the other
  /// thresholds at the cells' values) and every claim is re-evaluated.
  std::size_t threshold_points = 21;
};

/// Calibration by rejection ABC (Pritchard et al. 1999; Beaumont 2010): `points` draws of
/// the calibrated assumptions from their prior (uniform over `ranges`, a Latin hypercube on
/// its own random stream); the whole design is run at each; a point is accepted when its
/// distance to the patterns' bands is small (claims/calibrate.hpp states the distance).
struct Calibration {
  std::uint64_t points = 0;   // 0: the experiment calibrates nothing
  std::vector<Range> ranges;  // the calibrated assumptions (sorted by name)
  /// The acceptance rule: exactly one of the two is a number, the other NaN. `quantile`:
  /// accept the closest ceil(quantile * points) points; `tolerance`: accept every point at
  /// distance <= tolerance (0: every pattern's estimate inside its band).
  double quantile = std::numeric_limits<double>::quiet_NaN();
  double tolerance = std::numeric_limits<double>::quiet_NaN();
  /// Patterns the distance uses (ids of [[patterns]]); empty: every pattern.
  std::vector<std::string> patterns;
  /// Level of the equal-tailed credible intervals of the accepted region's marginals.
  double credible = 0.9;
  bool enabled() const { return points > 0; }
};

struct Experiment {
  std::string name;
  std::string description;
  std::string source_path;  // where the text came from (for messages and provenance)
  std::string source_text;  // the full experiment file, stored in every output
  const model::Model* model = nullptr;
  std::uint64_t seed = 0;
  std::uint64_t organizations_per_cell = 0;
  std::string output;  // default output path (the CLI's -o overrides it)
  bool common_random_numbers = true;
  model::ParameterValues fixed;  // every parameter: model default, overridden by [parameters]
  std::vector<Factor> factors;   // in the order of the file's [factors] table (sorted by name)
  Sampling sampling = Sampling::Factorial;
  std::uint64_t points =
      1;  // sampled points (random / lhs) or base points (sobol); 1 for factorial
  std::vector<Range> ranges;  // sampled parameters (sorted by name)
  /// A "list" design: listed[point][range], the values of [design.points] (ranges then
  /// span each parameter's listed values).
  std::vector<std::vector<double>> listed;
  Calibration calibration;
  ReportSettings report;

  /// Combinations of factor levels (1 with no factors).
  std::uint64_t factorial_count() const;
  /// Distinct sampled parameter points: `points`, except for a Sobol design, where each
  /// base point j gives k + 2 of them (A_j, B_j and A_j with coordinate i from B_j, for
  /// each of the k = ranges + 1 dimensions, the last one the inert dummy); see sobol_role().
  std::uint64_t sampled_points() const {
    return sampling == Sampling::Sobol ? points * (ranges.size() + 3) : points;
  }
  /// Cells of one calibration point: factor combinations x sampled points.
  std::uint64_t cells_per_calibration_point() const;
  /// Cells of the design: factor combinations x sampled points (x calibration points).
  /// Saturating at 2^64 - 1, as factorial_count().
  std::uint64_t cell_count() const;
};

/// The dimensions of a Sobol design: its ranges, then the inert dummy (not a model
/// parameter; its AB cell has A's parameter values but its own random numbers, so its
/// indices show what organization noise alone gives).
inline constexpr const char* kSobolDummy = "(dummy)";
/// At most this many ranges in a Sobol design (2 x ranges dimensions of the sequence).
inline constexpr std::size_t kMaxSobolRanges = 20;

/// Where a sampled point of a Sobol design stands in the Saltelli scheme: base point
/// `base`, and `role` 0 for A, 1 for B, 2 + i for A with coordinate i taken from B
/// (AB_i, i < ranges.size() + 1, the last being the dummy).
struct SobolRole {
  std::uint64_t base = 0;
  std::size_t role = 0;
};
inline SobolRole sobol_role(const Experiment& x, std::uint64_t point) {
  const std::uint64_t per = x.ranges.size() + 3;
  return {point / per, static_cast<std::size_t>(point % per)};
}

/// The largest robustness grid (combinations of report.robustness_offsets over a model's
/// threshold parameters; each setting re-evaluates every claim).
inline constexpr double kMaxRobustnessSettings = 100000;
inline constexpr std::uint64_t kMaxOrganizationsPerCell = 1'000'000'000'000ULL;
inline constexpr std::uint64_t kMaxCells = 1'000'000;
inline constexpr std::uint64_t kMaxPoints = 1'000'000;
/// The largest experiment file read (a few MiB: experiments are a few KiB of TOML).
inline constexpr std::uint64_t kMaxExperimentBytes = 4ull << 20;

/// Parses and validates an experiment. `source_path` is used in messages only.
/// Throws InputError with one clear line.
Experiment parse_experiment(std::string_view text, std::string source_path);

/// Reads a file and parses it; a missing or unreadable file is an InputError naming the path.
Experiment load_experiment(const std::filesystem::path& path);

}  // namespace tribe::design

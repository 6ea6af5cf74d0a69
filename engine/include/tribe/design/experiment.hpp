#pragma once
// An experiment: an immutable, validated description read from a TOML file.
//
//   [experiment]  name, description, model, seed, organizations_per_cell, output,
//                 common_random_numbers
//   [parameters]  fixed values of model parameters (model defaults otherwise)
//   [factors]     model parameters varied in a full-factorial design (lists of levels)
//   [design]      sampling = "factorial" | "random" | "lhs", points, and [design.ranges]:
//                 continuous parameters sampled over ranges (crossed with the factors)
//   [report]      confidence, robustness offsets of the threshold parameters
//   [[claims]]    claims evaluated on the result (see tribe/claims/claim.hpp)
//
// Every key is checked against the model's parameter schema before any work starts;
// errors name the key, the value and what is allowed.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "tribe/claims/claim.hpp"
#include "tribe/model/model.hpp"

namespace tribe::design {

/// A model parameter varied over levels (values encoded as in ParameterValues).
struct Factor {
  std::string name;
  std::size_t parameter = 0;  // index into model.parameters()
  std::vector<double> levels;
};

enum class Sampling { Factorial, Random, LatinHypercube };
std::string_view to_string(Sampling s);

/// A model parameter sampled over [low, high] (random or Latin hypercube designs).
struct Range {
  std::string name;
  std::size_t parameter = 0;
  double low = 0.0, high = 0.0;
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
  std::uint64_t points = 1;      // sampled parameter points (random / lhs); 1 for factorial
  std::vector<Range> ranges;     // sampled parameters (sorted by name)
  ReportSettings report;
  std::vector<claims::ClaimSpec> claims;

  /// Combinations of factor levels (1 with no factors).
  std::uint64_t factorial_count() const;
  /// Cells of the design: factor combinations x sampled points.
  std::uint64_t cell_count() const { return factorial_count() * points; }
};

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

#pragma once
// Claims as data: a researcher states in the experiment file which cells are
// compared, with which statistic, against which threshold; the engine evaluates
// each claim and gives a verdict (supported / not supported / inconclusive).
// Nothing in the engine or the models knows what any claim says.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tribe::claims {

enum class Test {
  Above,               // statistic(a) > value
  Below,               // statistic(a) < value
  DifferenceAbove,     // statistic(a) - statistic(b) > value
  DifferenceBelow,     // statistic(a) - statistic(b) < value
  Equivalent,          // |statistic(a) - statistic(b)| < value
  VarianceShareAbove,  // eta²(factors_a) - eta²(factors_b) > value  (eta²(factors_b) = 0 if none)
  VarianceShareBelow,  // eta²(factors_a) - eta²(factors_b) < value
  InteractionAbove,    // interaction contrast of the 2^k cells of `interaction` factors > value
  InteractionBelow,    // ... < value
  CorrelationAbove,    // cells' mean within-cell Spearman correlation of column and `with` > value
  CorrelationBelow,    // ... < value
  // Sobol designs: sums of Sobol indices of ranges (or the dummy) of the design
  SobolFirstAbove,  // sum S1(factors_a) - sum S1(factors_b) > value
  SobolFirstBelow,  // sum S1(factors_a) - sum S1(factors_b) < value
  SobolTotalAbove,  // sum ST(factors_a) - sum ST(factors_b) > value
  SobolTotalBelow,  // sum ST(factors_a) - sum ST(factors_b) < value
  // Bands (patterns, and claims that state an interval): value < statistic < value_high
  Within,                 // mean (or rate) of column over the cells of a
  RankCorrelationWithin,  // Spearman rho between organizations of a (net of `controls`)
};
std::string_view to_string(Test t);
/// Names accepted in experiment files, in the order of the enum.
inline constexpr std::string_view kTestNames[] = {"above",
                                                  "below",
                                                  "difference_above",
                                                  "difference_below",
                                                  "equivalent",
                                                  "variance_share_above",
                                                  "variance_share_below",
                                                  "interaction_above",
                                                  "interaction_below",
                                                  "correlation_above",
                                                  "correlation_below",
                                                  "sobol_first_above",
                                                  "sobol_first_below",
                                                  "sobol_total_above",
                                                  "sobol_total_below",
                                                  "within",
                                                  "rank_correlation_within"};

/// Cells whose factor levels are among the given ones, for every factor named
/// (factors not named are unrestricted: their cells are pooled).
struct Selection {
  struct Condition {
    std::size_t factor = 0;      // index into Experiment::factors
    std::vector<double> levels;  // encoded values
  };
  std::vector<Condition> conditions;
  std::string text;  // as written, for reports ("structure=flat control=0.8")
};

struct ClaimSpec {
  std::string id;
  std::string statement;  // the claim in words
  Test test = Test::Above;
  std::string column;  // model column; binary -> rate, otherwise mean
  Selection a, b;
  double value = 0.0;       // threshold (above/below) or margin; a band's lower end
  double value_high = 0.0;  // a band's upper end (within tests: value < statistic < value_high)
  bool paired =
      false;  // compare organization k of a with organization k of b (common random numbers)
  std::vector<std::string> factors_a, factors_b;  // variance-share tests: factor groups
  std::vector<std::size_t> interaction;  // interaction tests: factors (indices), 2 levels each
  std::string with;                      // correlation tests: the second column
  /// rank_correlation_within: columns whose ranks are partialled out of both columns' ranks
  /// (e.g. the volume of events), so the statistic is a partial Spearman correlation.
  std::vector<std::string> controls;
  /// A pattern ([[patterns]]): an empirical regularity the model should reproduce, decided
  /// in its own family, apart from the claims.
  bool pattern = false;
  // A swept claim ("sweep = factor" in the file) is expanded into one claim per level of
  // that factor, each restricted to the level: sweep_of is the written id, sweep_level
  // the level as text ("" for ordinary claims).
  std::string sweep_of, sweep_factor, sweep_level;
  /// Also evaluate the claim at every sampled point of the design on its own (the
  /// "assumption space"): the share of points where it holds, and a PRIM scenario.
  bool assumption_space = false;

  bool is_variance_share() const {
    return test == Test::VarianceShareAbove || test == Test::VarianceShareBelow;
  }
  bool is_interaction() const {
    return test == Test::InteractionAbove || test == Test::InteractionBelow;
  }
  bool is_correlation() const {
    return test == Test::CorrelationAbove || test == Test::CorrelationBelow;
  }
  /// A band: value < statistic < value_high.
  bool is_band() const { return test == Test::Within || test == Test::RankCorrelationWithin; }
  bool is_rank_correlation() const { return test == Test::RankCorrelationWithin; }
  bool is_sensitivity() const {
    return test == Test::SobolFirstAbove || test == Test::SobolFirstBelow ||
           test == Test::SobolTotalAbove || test == Test::SobolTotalBelow;
  }
  /// Tests on groups of factors or ranges (factors_a, factors_b) rather than on cells (a, b).
  bool uses_factor_groups() const { return is_variance_share() || is_sensitivity(); }
  /// The claim holds when its statistic is above the value (else below, or equivalence).
  bool is_greater() const {
    return test == Test::Above || test == Test::DifferenceAbove ||
           test == Test::VarianceShareAbove || test == Test::InteractionAbove ||
           test == Test::CorrelationAbove || test == Test::SobolFirstAbove ||
           test == Test::SobolTotalAbove;
  }
  bool is_two_sample() const {
    return test == Test::DifferenceAbove || test == Test::DifferenceBelow ||
           test == Test::Equivalent;
  }
};

enum class Verdict { Supported, NotSupported, Inconclusive };
std::string_view to_string(Verdict v);

struct ClaimResult {
  double estimate = 0.0;
  double low = 0.0, high = 0.0;  // two-sided interval at the report's confidence
  double p_claim = 1.0;          // one-sided p-value of the claim against its negation
  double p_opposite = 1.0;       // one-sided p-value of the opposite of the claim
  double p_claim_holm = 1.0;     // Holm-adjusted over every test of the report
  double p_opposite_holm = 1.0;
  Verdict verdict = Verdict::Inconclusive;
  std::uint64_t n_a = 0, n_b = 0;  // organizations (or pairs, or batches) used
  std::string method;              // "Wilson", "Newcombe hybrid score", "paired t", ...
  /// Why the data cannot decide the claim (no data, an interval that cannot be computed,
  /// too few design points...): the verdict is then inconclusive whatever the p-values.
  /// Empty when the evidence is usable.
  std::string reason;
};

}  // namespace tribe::claims

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

/// What a claim's test computes from the data.
enum class Statistic {
  Mean,             // mean (or rate) of column over the cells of a
  Difference,       // statistic(a) - statistic(b)
  VarianceShare,    // eta²(factors_a) - eta²(factors_b)  (eta²(factors_b) = 0 if none)
  Interaction,      // interaction contrast of the 2^k cells of the `interaction` factors
  Correlation,      // cells' mean within-cell Spearman correlation of column and `with`
  SobolFirst,       // sum S1(factors_a) - sum S1(factors_b)  (Sobol designs)
  SobolTotal,       // sum ST(factors_a) - sum ST(factors_b)  (Sobol designs)
  RankCorrelation,  // Spearman rho between organizations of a (net of `controls`)
};

/// How the statistic is held against the claim's value.
enum class Direction {
  Above,       // statistic > value
  Below,       // statistic < value
  Equivalent,  // |statistic| < value  (a margin of equivalence)
  Within,      // value < statistic < value_high  (a band: patterns, claims on an interval)
};

/// A claim's test: a statistic and a direction. Experiment files name the combinations
/// of kTests.
struct Test {
  Statistic statistic = Statistic::Mean;
  Direction direction = Direction::Above;
  friend bool operator==(const Test&, const Test&) = default;
};

struct NamedTest {
  std::string_view name;
  Test test;
};
/// The tests an experiment file may name.
inline constexpr NamedTest kTests[] = {
    {"above", {Statistic::Mean, Direction::Above}},
    {"below", {Statistic::Mean, Direction::Below}},
    {"difference_above", {Statistic::Difference, Direction::Above}},
    {"difference_below", {Statistic::Difference, Direction::Below}},
    {"equivalent", {Statistic::Difference, Direction::Equivalent}},
    {"variance_share_above", {Statistic::VarianceShare, Direction::Above}},
    {"variance_share_below", {Statistic::VarianceShare, Direction::Below}},
    {"interaction_above", {Statistic::Interaction, Direction::Above}},
    {"interaction_below", {Statistic::Interaction, Direction::Below}},
    {"correlation_above", {Statistic::Correlation, Direction::Above}},
    {"correlation_below", {Statistic::Correlation, Direction::Below}},
    {"sobol_first_above", {Statistic::SobolFirst, Direction::Above}},
    {"sobol_first_below", {Statistic::SobolFirst, Direction::Below}},
    {"sobol_total_above", {Statistic::SobolTotal, Direction::Above}},
    {"sobol_total_below", {Statistic::SobolTotal, Direction::Below}},
    {"within", {Statistic::Mean, Direction::Within}},
    {"rank_correlation_within", {Statistic::RankCorrelation, Direction::Within}},
};
/// The name of a test in kTests.
std::string_view to_string(Test t);

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
  Test test;
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

  bool is_variance_share() const { return test.statistic == Statistic::VarianceShare; }
  bool is_interaction() const { return test.statistic == Statistic::Interaction; }
  bool is_correlation() const { return test.statistic == Statistic::Correlation; }
  /// A band: value < statistic < value_high.
  bool is_band() const { return test.direction == Direction::Within; }
  bool is_rank_correlation() const { return test.statistic == Statistic::RankCorrelation; }
  bool is_sensitivity() const {
    return test.statistic == Statistic::SobolFirst || test.statistic == Statistic::SobolTotal;
  }
  /// Tests on groups of factors or ranges (factors_a, factors_b) rather than on cells (a, b).
  bool uses_factor_groups() const { return is_variance_share() || is_sensitivity(); }
  /// The claim holds when its statistic is above the value (else below, or equivalence).
  bool is_greater() const { return test.direction == Direction::Above; }
  bool is_two_sample() const { return test.statistic == Statistic::Difference; }
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

#pragma once
// March (1991), "Exploration and exploitation in organizational learning",
// Organization Science 2(1): 71-87 -- the mutual-learning model of an organizational
// code and its members (models/march/docking-march.md).
//
// Reality has m dimensions (+1/-1); n individuals hold beliefs in {-1, 0, +1} per
// dimension; the organizational code starts neutral (0). Each period: turnover (p3),
// turbulence (p4), individuals act (belief, or a fair coin where the belief is 0),
// socialization (beliefs step toward a non-zero code with probability p1) and code
// learning from the superior group (probability 1 - (1 - p2)^k) -- the last two
// simultaneously, from the state at the start of the step.
//
// Besides the registered model, this header exposes the rules one by one so that the
// tests can check each on hand-built states.
#include <cstdint>
#include <span>
#include <vector>

#include "tribe/model/model.hpp"
#include "tribe/rng/stream.hpp"

namespace tribe::models::march {

/// The registered model (name "march").
const model::Model& model();

/// Purposes of the random streams (key = seed, purpose). Every mechanism has its own,
/// and the per-period ones use the period as substream, so that with common random
/// numbers organization k of two cells shares its reality, initial beliefs and, period
/// by period, its turnover, turbulence and coin flips as far as the states allow.
enum class StreamPurpose : std::uint64_t {
  reality = 0x4D41'5200'0001,        // the m signs of reality (bits)
  beliefs = 0x4D41'5200'0002,        // initial beliefs (one uniform index of 3 per entry)
  turnover = 0x4D41'5200'0003,       // substream t: who leaves, newcomers' beliefs
  turbulence = 0x4D41'5200'0004,     // substream t: which dimensions of reality flip
  actions = 0x4D41'5200'0005,        // substream t: coin flips where a belief is 0 (bits)
  socialization = 0x4D41'5200'0006,  // substream t: one uniform per eligible (i, j)
  code = 0x4D41'5200'0007,           // substream t: one uniform per dimension that may change
};

/// Who forms the superior group, and what the code learns from on each dimension:
///  actions  the individuals whose *action* score beats the code (a 0 belief acts by a
///           fair coin), and the majority of their actions -- the specification,
///           after Christensen's (2015) account of March's program;
///  beliefs  the individuals whose *belief* score beats the code (0 beliefs score 0),
///           and the majority of their non-zero beliefs -- March's BASIC program as
///           translated by Watts (2014) and the paper's text ("whose beliefs correspond
///           with reality on more dimensions than does the code").
enum class SuperiorBy : int { actions = 0, beliefs = 1 };

/// How the code follows a majority that differs from it, with probability
/// 1 - (1 - p2)^k:
///  adopt  the code takes the majority's value at once (the specification);
///  step   the code moves one step toward it (-1 -> 0 -> +1), as March's BASIC program
///         does in Watts's (2014) translation.
enum class CodeUpdate : int { adopt = 0, step = 1 };

/// One cell's parameters (validated).
struct Config {
  std::int32_t dimensions = 30;   // m
  std::int32_t individuals = 50;  // n
  double p1 = 0.1;                // socialization rate (slow learners)
  double p2 = 0.5;                // code learning rate
  double p3 = 0.0;                // turnover
  double p4 = 0.0;                // turbulence
  double fast_share = 0.0;        // share of individuals learning at p1_fast
  double p1_fast = 0.9;
  std::int32_t max_periods = 5000;
  std::int32_t observe_period = 20;
  SuperiorBy superior_by = SuperiorBy::actions;
  CodeUpdate code_update = CodeUpdate::adopt;

  /// Number of fast learners: round(fast_share * n); they are individuals 0 .. fast-1.
  std::int32_t fast_count() const noexcept;
  /// Socialization rate of individual i.
  double p1_of(std::int32_t i) const noexcept { return i < fast_count() ? p1_fast : p1; }
};

/// The state of one organization (also the per-thread scratch memory: resized per
/// organization without allocating once grown).
struct State {
  std::int32_t m = 0, n = 0;
  std::vector<std::int8_t> reality;  // m
  std::vector<std::int8_t> code;     // m
  std::vector<std::int8_t> beliefs;  // n * m, individual-major: beliefs[i * m + j]
  std::vector<std::int8_t> actions;  // n * m, the actions of the current period
  std::vector<std::int32_t> scores;  // n, action scores of the current period
  std::vector<double> p1;            // n, socialization rate of each individual
  std::vector<double> adopt;         // n + 1: adopt[k] = 1 - (1 - p2)^k
  double adopt_p2 = -1.0;            // the p2 `adopt` was filled for

  void resize(std::int32_t dims, std::int32_t people);
  std::int8_t& belief(std::int32_t i, std::int32_t j) {
    return beliefs[static_cast<std::size_t>(i) * m + j];
  }
  std::int8_t belief(std::int32_t i, std::int32_t j) const {
    return beliefs[static_cast<std::size_t>(i) * m + j];
  }
};

/// adopt[k] = 1 - (1 - p2)^k for k = 0 .. n (by repeated multiplication: exact to the
/// last bit on every IEEE platform).
void fill_adoption_table(double p2, std::int32_t n, std::vector<double>& adopt);

/// sum_j code_j * reality_j.
std::int32_t code_score(const State& s);
/// sum_j code_j * reality_j / m.
double code_knowledge(const State& s);
/// Share of dimensions on which the code equals reality (a 0 is never correct): the
/// "knowledge" of Watts's (2014) and Workiewicz's (2017) replications.
double code_share_correct(const State& s);
/// Mean over individuals of sum_j belief_ij * reality_j / m (0 beliefs count 0).
double individual_knowledge(const State& s);

/// Step 3: actions (belief, or a fair coin -- one bit of `coins` -- where it is 0) and
/// action scores sum_j action_ij * reality_j. With SuperiorBy::beliefs the code learns
/// from beliefs, not actions: `actions` then holds the beliefs themselves (0 included,
/// no coin is flipped) and the scores are belief scores.
void act(State& s, rng::Stream& coins, SuperiorBy by = SuperiorBy::actions);
/// Step 4: for every (i, j) where the code is non-zero and the belief differs from it,
/// with probability p1[i] the belief moves one step toward the code (-1 -> 0 -> +1).
/// Uses the code as it is (call before learn_code). Returns the number of beliefs changed.
std::int32_t socialize(State& s, rng::Stream& draws);
/// Step 5: the superior group is the individuals whose action score (from act()) exceeds
/// the code's score; on each dimension the majority of their actions, if it differs
/// from the code, is adopted (CodeUpdate::adopt) or stepped toward (CodeUpdate::step)
/// with probability adopt[k], k = majority - minority; ties and an empty group change
/// nothing. Returns the number of dimensions changed.
std::int32_t learn_code(State& s, rng::Stream& draws, CodeUpdate update = CodeUpdate::adopt);
/// Number of individuals in the superior group of the current actions.
std::int32_t superior_count(const State& s);
/// Equilibrium without turnover and turbulence: a state nothing can change any more.
/// With SuperiorBy::actions: every belief equals the code and the code has no 0
/// dimension (an individual whose beliefs equal the code acts like the code except where
/// it is 0, and may beat it by coin flips there). With SuperiorBy::beliefs: every belief
/// equals the code wherever the code is non-zero, and no belief score beats the code's;
/// where the code stayed 0, beliefs may still differ from it (and from each other).
bool at_equilibrium(const State& s, SuperiorBy by = SuperiorBy::actions);

/// Outcomes of one organization.
struct Result {
  double initial_knowledge_individuals = 0;
  double knowledge_code_final = 0;      // at equilibrium, else at max_periods
  double code_share_correct_final = 0;  // the same time
  double knowledge_individuals_final = 0;
  bool reached_equilibrium = false;
  std::int32_t periods = 0;             // periods simulated
  double knowledge_code_at_period = 0;  // after observe_period periods
  double knowledge_individuals_at_period = 0;
};

/// One organization: a pure function of (config, ctx).
void simulate_organization(const Config& c, const model::OrgContext& ctx, State& s, Result& r);

}  // namespace tribe::models::march

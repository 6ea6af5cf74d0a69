// March (1991) mutual-learning model: rules, simulation and the model plug-in.
// See models/march/include/tribe/models/march/march_model.hpp and models/march/docking-march.md.
#include "tribe/models/march/march_model.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "tribe/core/error.hpp"
#include "tribe/core/stop.hpp"
#include "tribe/model/plugin.hpp"
#include "tribe/rng/samplers.hpp"

namespace tribe::models::march {

// ---- rules ------------------------------------------------------------------------------------

namespace {

/// Fair coin flips, 64 per Philox word (bit b of word w is flip 64 w + b).
class Coins {
 public:
  explicit Coins(rng::Stream& s) : s_(s) {}
  std::int8_t sign() noexcept {
    if (left_ == 0) {
      word_ = s_.next_u64();
      left_ = 64;
    }
    const auto bit = static_cast<std::int8_t>(word_ & 1u);
    word_ >>= 1;
    --left_;
    return static_cast<std::int8_t>(2 * bit - 1);
  }

 private:
  rng::Stream& s_;
  std::uint64_t word_ = 0;
  int left_ = 0;
};

void fresh_beliefs(State& s, std::int32_t i, rng::Stream& draws) {
  std::int8_t* b = &s.beliefs[static_cast<std::size_t>(i) * s.m];
  for (std::int32_t j = 0; j < s.m; ++j)
    b[j] = static_cast<std::int8_t>(static_cast<int>(rng::uniform_index(draws, 3)) - 1);
}

}  // namespace

std::int32_t Config::fast_count() const noexcept {
  const double k = std::floor(fast_share * individuals + 0.5);
  return static_cast<std::int32_t>(k < 0 ? 0 : (k > individuals ? individuals : k));
}

void State::resize(std::int32_t dims, std::int32_t people) {
  m = dims;
  n = people;
  const auto nm = static_cast<std::size_t>(dims) * static_cast<std::size_t>(people);
  reality.assign(static_cast<std::size_t>(dims), 0);
  code.assign(static_cast<std::size_t>(dims), 0);
  beliefs.assign(nm, 0);
  actions.assign(nm, 0);
  scores.assign(static_cast<std::size_t>(people), 0);
  p1.assign(static_cast<std::size_t>(people), 0.0);
}

void fill_adoption_table(double p2, std::int32_t n, std::vector<double>& adopt) {
  adopt.assign(static_cast<std::size_t>(n) + 1, 0.0);
  double keep = 1.0;  // (1 - p2)^k
  for (std::int32_t k = 0; k <= n; ++k) {
    adopt[static_cast<std::size_t>(k)] = 1.0 - keep;
    keep *= 1.0 - p2;
  }
}

std::int32_t code_score(const State& s) {
  std::int32_t score = 0;
  for (std::int32_t j = 0; j < s.m; ++j) score += s.code[j] * s.reality[j];
  return score;
}

double code_knowledge(const State& s) {
  return static_cast<double>(code_score(s)) / s.m;
}

double code_share_correct(const State& s) {
  std::int32_t correct = 0;
  for (std::int32_t j = 0; j < s.m; ++j) correct += s.code[j] == s.reality[j] ? 1 : 0;
  return static_cast<double>(correct) / s.m;
}

double individual_knowledge(const State& s) {
  std::int64_t total = 0;
  for (std::int32_t i = 0; i < s.n; ++i)
    for (std::int32_t j = 0; j < s.m; ++j) total += s.belief(i, j) * s.reality[j];
  return static_cast<double>(total) / (static_cast<double>(s.m) * s.n);
}

void act(State& s, rng::Stream& coin_stream, SuperiorBy by) {
  Coins coins(coin_stream);
  const bool flip = by == SuperiorBy::actions;
  for (std::int32_t i = 0; i < s.n; ++i) {
    const std::size_t row = static_cast<std::size_t>(i) * s.m;
    std::int32_t score = 0;
    for (std::int32_t j = 0; j < s.m; ++j) {
      const std::int8_t b = s.beliefs[row + j];
      const std::int8_t a = (b != 0 || !flip) ? b : coins.sign();
      s.actions[row + j] = a;
      score += a * s.reality[j];
    }
    s.scores[i] = score;
  }
}

std::int32_t socialize(State& s, rng::Stream& draws) {
  std::int32_t changed = 0;
  for (std::int32_t i = 0; i < s.n; ++i) {
    const double p = s.p1[i];
    std::int8_t* b = &s.beliefs[static_cast<std::size_t>(i) * s.m];
    for (std::int32_t j = 0; j < s.m; ++j) {
      const std::int8_t c = s.code[j];
      if (c == 0 || b[j] == c) continue;
      if (rng::bernoulli(draws, p)) {
        b[j] = static_cast<std::int8_t>(b[j] + c);  // -c -> 0, 0 -> c: one step toward the code
        ++changed;
      }
    }
  }
  return changed;
}

std::int32_t superior_count(const State& s) {
  const std::int32_t threshold = code_score(s);
  std::int32_t count = 0;
  for (std::int32_t i = 0; i < s.n; ++i) count += s.scores[i] > threshold ? 1 : 0;
  return count;
}

std::int32_t learn_code(State& s, rng::Stream& draws, CodeUpdate update) {
  const std::int32_t threshold = code_score(s);
  // Per dimension: sum of the superior group's actions = majority - minority (signed).
  std::int32_t changed = 0;
  bool any = false;
  for (std::int32_t i = 0; i < s.n && !any; ++i) any = s.scores[i] > threshold;
  if (!any) return 0;
  for (std::int32_t j = 0; j < s.m; ++j) {
    std::int32_t sum = 0;
    for (std::int32_t i = 0; i < s.n; ++i)
      if (s.scores[i] > threshold) sum += s.actions[static_cast<std::size_t>(i) * s.m + j];
    if (sum == 0) continue;  // a tie changes nothing
    const std::int8_t majority = sum > 0 ? 1 : -1;
    if (majority == s.code[j]) continue;
    const auto k = static_cast<std::size_t>(sum > 0 ? sum : -sum);
    if (rng::uniform(draws) < s.adopt[k]) {
      // step: -majority -> 0 -> majority; adopt: straight to the majority.
      s.code[j] =
          update == CodeUpdate::step ? static_cast<std::int8_t>(s.code[j] + majority) : majority;
      ++changed;
    }
  }
  return changed;
}

bool at_equilibrium(const State& s, SuperiorBy by) {
  if (by == SuperiorBy::actions) {
    for (std::int32_t j = 0; j < s.m; ++j)
      if (s.code[j] == 0) return false;
    for (std::int32_t i = 0; i < s.n; ++i) {
      const std::int8_t* b = &s.beliefs[static_cast<std::size_t>(i) * s.m];
      for (std::int32_t j = 0; j < s.m; ++j)
        if (b[j] != s.code[j]) return false;
    }
    return true;
  }
  // Belief scores: nothing can change once every belief equals the code wherever the code
  // is non-zero (socialization has nothing left to do) and no belief score beats the
  // code's (the code has no one to learn from). Beliefs may still differ from the code
  // where it stayed 0.
  const std::int32_t threshold = code_score(s);
  for (std::int32_t i = 0; i < s.n; ++i) {
    const std::int8_t* b = &s.beliefs[static_cast<std::size_t>(i) * s.m];
    std::int32_t score = 0;
    for (std::int32_t j = 0; j < s.m; ++j) {
      if (s.code[j] != 0 && b[j] != s.code[j]) return false;
      score += b[j] * s.reality[j];
    }
    if (score > threshold) return false;
  }
  return true;
}

void simulate_organization(const Config& c, const model::OrgContext& ctx, State& s, Result& r) {
  s.resize(c.dimensions, c.individuals);
  for (std::int32_t i = 0; i < s.n; ++i) s.p1[i] = c.p1_of(i);
  if (s.adopt.size() != static_cast<std::size_t>(s.n) + 1 || s.adopt_p2 != c.p2) {
    fill_adoption_table(c.p2, s.n, s.adopt);
    s.adopt_p2 = c.p2;
  }

  {
    auto rs = ctx.stream(StreamPurpose::reality);
    Coins coins(rs);
    for (std::int32_t j = 0; j < s.m; ++j) s.reality[j] = coins.sign();
    auto bs = ctx.stream(StreamPurpose::beliefs);
    for (std::int32_t i = 0; i < s.n; ++i) fresh_beliefs(s, i, bs);
  }
  r = Result{};
  r.initial_knowledge_individuals = individual_knowledge(s);
  const bool closed = c.p3 == 0.0 && c.p4 == 0.0;
  bool observed = false;
  auto observe = [&] {
    r.knowledge_code_at_period = code_knowledge(s);
    r.knowledge_individuals_at_period = individual_knowledge(s);
    observed = true;
  };
  if (c.observe_period == 0) observe();

  std::int32_t t = 0;
  while (t < c.max_periods) {
    // A stop inside one long organization: partial values, its block dropped by the runner.
    if (stop_requested()) break;  // one period can take tens of milliseconds
    ++t;
    const auto period = static_cast<std::uint64_t>(t);
    if (c.p3 > 0.0) {  // 1. turnover
      auto ts = ctx.stream(StreamPurpose::turnover, period);
      for (std::int32_t i = 0; i < s.n; ++i)
        if (rng::bernoulli(ts, c.p3)) fresh_beliefs(s, i, ts);
    }
    if (c.p4 > 0.0) {  // 2. turbulence
      auto ts = ctx.stream(StreamPurpose::turbulence, period);
      for (std::int32_t j = 0; j < s.m; ++j)
        if (rng::bernoulli(ts, c.p4)) s.reality[j] = static_cast<std::int8_t>(-s.reality[j]);
    }
    auto as = ctx.stream(StreamPurpose::actions, period);
    act(s, as, c.superior_by);  // 3. actions and scores from the beliefs at the start of the step
    auto ss = ctx.stream(StreamPurpose::socialization, period);
    socialize(s, ss);  // 4. uses the code at the start of the step
    auto cs = ctx.stream(StreamPurpose::code, period);
    learn_code(s, cs, c.code_update);  // 5. uses the actions of step 3 (beliefs at the start)
    if (t == c.observe_period) observe();
    if (closed && at_equilibrium(s, c.superior_by)) {
      r.reached_equilibrium = true;
      break;
    }
  }
  r.periods = t;
  r.knowledge_code_final = code_knowledge(s);
  r.code_share_correct_final = code_share_correct(s);
  r.knowledge_individuals_final = individual_knowledge(s);
  // An equilibrium is absorbing: a later observation period sees the same state.
  if (!observed) observe();
}

// ---- the model plug-in ------------------------------------------------------------------------

namespace {

using model::ColumnSpec;

std::vector<model::Parameter<Config>> make_parameters() {
  return {
      model::integer("dimensions", &Config::dimensions, 1, 100000, 30,
                     "m: dimensions of reality (each +1 or -1)"),
      model::integer("individuals", &Config::individuals, 1, 100000, 50,
                     "n: individuals in the organization"),
      model::real(
          "p1", &Config::p1, 0, 1, 0.1,
          "socialization rate: per period and dimension, probability that a belief differing "
          "from a non-zero code moves one step toward it"),
      model::real(
          "p2", &Config::p2, 0, 1, 0.5,
          "code learning rate: the code adopts the superior group's majority on a dimension "
          "with probability 1 - (1 - p2)^k, k = majority - minority"),
      model::real("p3", &Config::p3, 0, 1, 0,
                  "turnover: per period, probability an individual is replaced"),
      model::real("p4", &Config::p4, 0, 1, 0,
                  "turbulence: per period, probability a dimension of reality flips"),
      model::real(
          "fast_share", &Config::fast_share, 0, 1, 0,
          "share of individuals (round(fast_share * n)) socialized at p1_fast instead of p1"),
      model::real("p1_fast", &Config::p1_fast, 0, 1, 0.9,
                  "socialization rate of the fast learners"),
      model::integer("max_periods", &Config::max_periods, 1, 10000000, 5000,
                     "periods simulated at most (all of them when p3 or p4 > 0)"),
      model::integer("observe_period", &Config::observe_period, 0, 10000000, 20,
                     "period after which the *_at_period columns are recorded (0: initial state)"),
      model::choice(
          "superior_by", &Config::superior_by, {"actions", "beliefs"}, 0,
          "superior group and code learning: by action scores and actions (a 0 belief acts by "
          "a fair coin; the specification followed by default) or by belief scores and "
          "non-zero beliefs (March's BASIC program as translated by Watts 2014)"),
      model::choice(
          "code_update", &Config::code_update, {"adopt", "step"}, 0,
          "a code that differs from the superior group's majority takes the majority's value "
          "at once (adopt) or moves one step toward it, -1 -> 0 -> +1 (step, as in the BASIC "
          "program)"),
  };
}

std::vector<ColumnSpec> make_columns() {
  using namespace model::column_shorthands;
  return {
      model::column("initial_knowledge_individuals", R, D,
                    "mean over individuals of beliefs x reality / m as drawn (0 beliefs count 0)"),
      model::column("knowledge_code_equilibrium", R, O,
                    "code x reality / m at equilibrium (else after max_periods)"),
      model::column(
          "knowledge_individuals_equilibrium", R, O,
          "mean individual beliefs x reality / m at equilibrium (else after max_periods)"),
      model::column(
          "equilibrium_period", R, O,
          "periods until equilibrium (every belief equals the code, and no individual can beat "
          "it any more); NaN if not reached"),
      model::column("reached_equilibrium", B, O,
                    "the equilibrium was reached within max_periods (never when p3 or p4 > 0)"),
      model::column("periods", N, O, "periods simulated"),
      model::column("knowledge_code_at_period", R, O,
                    "code x reality / m after observe_period periods"),
      model::column("knowledge_individuals_at_period", R, O,
                    "mean individual beliefs x reality / m after observe_period periods"),
      model::column(
          "code_share_correct_equilibrium", R, O,
          "share of dimensions on which the code equals reality (0 counts as wrong) at "
          "equilibrium (else after max_periods): the knowledge measure of some replications"),
  };
}

struct MarchTraits : model::SimulationTraits<march::Config, State, Result, simulate_organization> {
  static void write_row(const Config& /*c*/, const Scratch& w, model::RowWriter& out) {
    const Result& r = w.result;
    out("initial_knowledge_individuals", r.initial_knowledge_individuals);
    out("knowledge_code_equilibrium", r.knowledge_code_final);
    out("knowledge_individuals_equilibrium", r.knowledge_individuals_final);
    out("equilibrium_period", r.reached_equilibrium ? static_cast<double>(r.periods)
                                                    : std::numeric_limits<double>::quiet_NaN());
    out("reached_equilibrium", r.reached_equilibrium ? 1.0 : 0.0);
    out("periods", static_cast<double>(r.periods));
    out("knowledge_code_at_period", r.knowledge_code_at_period);
    out("knowledge_individuals_at_period", r.knowledge_individuals_at_period);
    out("code_share_correct_equilibrium", r.code_share_correct_final);
  }
};

class MarchModel final : public model::Plugin<MarchTraits> {
 public:
  MarchModel()
      : Plugin("march", "1.1.0",
               "March (1991) mutual learning: individuals socialize into an organizational code "
               "(p1) while the code learns from the individuals who outperform it (p2), with "
               "turnover (p3) and turbulence (p4); knowledge = agreement with an m-dimensional "
               "reality.",
               make_parameters(), make_columns()) {}

 protected:
  void check(const Config& c) const override {
    if (c.observe_period > c.max_periods)
      throw InputError("observe_period = " + model::format_number(c.observe_period) +
                       " must be at most max_periods = " + model::format_number(c.max_periods));
    const double cells = static_cast<double>(c.dimensions) * c.individuals;
    if (cells > 1.0e8)
      throw InputError("dimensions * individuals = " + model::format_number(cells) +
                       " must be at most 1e8");
  }
};

}  // namespace

const model::Model& model() {
  return model::instance<MarchModel>();
}

}  // namespace tribe::models::march

#include "tribe/models/leadership/leadership_model.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "tribe/core/error.hpp"
#include "tribe/model/plugin.hpp"
#include "tribe/models/leadership/simulation.hpp"

namespace tribe::models::leadership {

namespace {

using model::ColumnSpec;

std::vector<model::Parameter<Config>> make_parameters() {
  std::vector<model::Parameter<Config>> p;
  p.push_back(model::integer("agents", &Config::agents, 2, 100000, 100,
                             "number of agents N in the organization"));
  p.push_back(
      model::integer("steps", &Config::steps, 1, 100000, 200, "number of time steps T simulated"));
  p.push_back(model::choice(
      "structure", &Config::structure,
      {"flat", "hierarchy", "random_hierarchy", "random_tree", "preferential"}, 1,
      "reporting tree: flat (one leader, everyone reports to it), hierarchy (balanced, "
      "span s, breadth-first fill), random_hierarchy (spans uniform around s), "
      "random_tree (uniform attachment), preferential (preferential attachment)"));
  p.push_back(
      model::integer("span", &Config::span, 1, 100000, 5,
                     "span of control s of hierarchy and random_hierarchy (at most agents - 1)"));
  p.push_back(model::real("span_spread", &Config::span_spread, 0, 1, 0.5,
                          "random_hierarchy: each manager's span is uniform on s - w .. s + w with "
                          "w = min(round(s * spread), s - 1), so the mean span is s"));
  p.push_back(model::real("tie_within", &Config::tie_within, 0, 1, 0.3,
                          "probability of a lateral tie between two siblings (same manager)"));
  p.push_back(
      model::real("tie_across", &Config::tie_across, 0, 1, 0.01,
                  "probability of a lateral tie between two agents that are neither siblings nor "
                  "manager and report"));
  p.push_back(
      model::real("control", &Config::control, 0, 1, 0.2,
                  "upstream control kappa: probability that a lateral interaction must route "
                  "through (wait for, be "
                  "approved and joined by) the holder's manager, using that manager's capacity"));
  p.push_back(model::real("aligned", &Config::aligned, 0, 1, 0.5,
                          "mean alignment A of the agents (Beta mean)"));
  p.push_back(model::real("proactive", &Config::proactive, 0, 1, 0.5,
                          "mean proactivity P of the agents (Beta mean)"));
  p.push_back(model::real("collaborative", &Config::collaborative, 0, 1, 0.5,
                          "mean collaboration C of the agents (Beta mean)"));
  p.push_back(
      model::real("concentration", &Config::concentration, 0.5, 10000, 10,
                  "Beta concentration phi of the agent qualities (variance m(1-m)/(phi+1)); "
                  "qualities independent"));
  p.push_back(
      model::integer("capacity", &Config::capacity, 1, 1000, 2,
                     "queue items (decisions, joined interactions) an agent processes per step"));
  p.push_back(model::boolean("hero", &Config::hero, false, "the top leader is a hero"));
  p.push_back(model::real("hero_capacity", &Config::hero_capacity, 1, 1000, 5,
                          "a hero's capacity is floor(capacity * hero_capacity)"));
  p.push_back(
      model::real("hero_boost", &Config::hero_boost, 0, 1, 0.5,
                  "an interaction a hero joins has insight probability p + hero_boost * (1 - p)"));
  p.push_back(model::real("hero_quality", &Config::hero_quality, 0, 1, 0.9,
                          "a hero's alignment, proactivity and collaboration"));
  p.push_back(
      model::real("hero_deference", &Config::hero_deference, 0, 1, 0,
                  "heroic mindset: while a hero is present the others' initiative is P * (1 - "
                  "hero_deference)"));
  p.push_back(model::integer(
      "hero_managers", &Config::hero_managers, 0, 100000, 0,
      "number of further hero-like managers, drawn uniformly among the leaders below the top "
      "(\"finding more Joes\"); at most agents - 1"));
  p.push_back(model::real("arrival_rate", &Config::arrival_rate, 0, 10, 0.01,
                          "challenges per agent per step (Poisson over the organization)"));
  p.push_back(
      model::real("front_line_share", &Config::front_line_share, 0, 1, 0.8,
                  "probability a challenge arises at a uniformly drawn front-line agent (no "
                  "reports) rather than a "
                  "uniformly drawn agent"));
  p.push_back(model::real("difficulty_mean", &Config::difficulty_mean, 0, 1, 0.5,
                          "mean difficulty of a challenge (Beta mean)"));
  p.push_back(model::real("difficulty_concentration", &Config::difficulty_concentration, 0.5, 10000,
                          4, "Beta concentration of the difficulty"));
  p.push_back(model::real(
      "deadline_mean", &Config::deadline_mean, 1, 100000, 10,
      "mean number of steps a challenge may be worked on (1 + geometric with mean deadline_mean)"));
  p.push_back(model::real("insight_bias", &Config::insight_bias, -20, 20, 0,
                          "insight log-odds of average participants (A = C = d = 0.5)"));
  p.push_back(model::real("insight_alignment", &Config::insight_alignment, 0, 50, 4,
                          "insight log-odds per unit of the participants' mean alignment"));
  p.push_back(model::real("insight_collaboration", &Config::insight_collaboration, 0, 50, 4,
                          "insight log-odds per unit of the participants' mean collaboration"));
  p.push_back(model::real("insight_difficulty", &Config::insight_difficulty, 0, 50, 4,
                          "insight log-odds lost per unit of difficulty"));
  p.push_back(model::real(
      "conflict_scale", &Config::conflict_scale, 0, 1, 1,
      "conflict probability = conflict_scale * mean P * (1 - mean C) of the participants"));
  p.push_back(model::real(
      "dl_breadth", &Config::dl_breadth, 0, 1, 0.5,
      "distributed_network (the classification of models 2-4, kept for history): minimum "
      "leadership breadth"));
  p.push_back(model::real(
      "dl_centralization", &Config::dl_centralization, 0, 1, 0.5,
      "distributed_network (the classification of models 2-4, kept for history): maximum "
      "leadership-network centralization"));
  p.push_back(model::real("dl_top_share", &Config::thresholds, &DistributedThresholds::top_share, 0,
                          1, DistributedThresholds{}.top_share,
                          "distributed (a classification of spread): maximum reliance_top_share"));
  p.push_back(
      model::real("dl_formal_share", &Config::thresholds, &DistributedThresholds::formal_share, 0,
                  1, DistributedThresholds{}.formal_share,
                  "distributed (a classification of spread): maximum reliance_formal_share"));
  p.push_back(model::real(
      "dl_reliance_evenness", &Config::thresholds, &DistributedThresholds::reliance_evenness, 0, 1,
      DistributedThresholds{}.reliance_evenness,
      "distributed (a classification of spread): minimum reliance_evenness_vs_chance"));
  return p;
}

std::vector<ColumnSpec> make_columns() {
  using namespace model::column_shorthands;
  return {
      model::column("depth", N, D, "depth of the reporting tree (levels below the top leader)"),
      model::column("max_span", N, D, "largest number of direct reports of one agent"),
      model::column("lateral_ties", N, D, "number of lateral ties"),
      model::column("hero_present", B, D,
                    "the organization has a hero (top leader or hero-like manager)"),
      model::column("mean_aligned", R, D,
                    "mean alignment of the agents as drawn (heroes included)"),
      model::column("mean_proactive", R, D,
                    "mean proactivity of the agents as drawn (heroes included)"),
      model::column("mean_collaborative", R, D,
                    "mean collaboration of the agents as drawn (heroes included)"),
      model::column("challenges", N, O, "challenges that arose in the horizon"),
      model::column(
          "censored", N, O,
          "challenges whose deadline lies beyond the horizon (excluded from per-challenge rates)"),
      model::column("solve_rate", R, O,
                    "solved / resolvable challenges (deadline inside the horizon)"),
      model::column("aligned_solve_rate", R, O,
                    "mission-aligned solutions / resolvable challenges"),
      model::column("aligned_solve_logit", R, O,
                    "empirical log-odds of mission-aligned solving, log((s + 1/2) / (e - s + "
                    "1/2)) with s aligned solutions of e resolvable challenges (Haldane-Anscombe)"),
      model::column("mean_time_to_solve", R, O,
                    "mean steps from arising to solution (resolvable challenges)"),
      model::column("front_line_initiative", R, O,
                    "share of solutions found while the agent where the challenge arose held it"),
      model::column("escalation_rate", R, O,
                    "share of initiative decisions (holders with a manager) that escalated"),
      model::column("queue_mean", R, O,
                    "mean number of items waiting ahead of an item joining a leader's queue"),
      model::column("queue_max", N, O,
                    "largest number of items waiting ahead of an item at any leader"),
      model::column("conflicts_per_challenge", R, O, "conflict events per resolvable challenge"),
      model::column("misdirected_per_challenge", R, O,
                    "solutions not serving the mission per resolvable challenge"),
      model::column("failures_per_challenge", R, O,
                    "challenges failed at their deadline per resolvable challenge"),
      model::column(
          "blame_per_challenge", R, O,
          "blame events (one per agent that held a failed challenge) per resolvable challenge"),
      model::column("leadership_breadth", R, O,
                    "share of agents with at least one leadership event"),
      model::column("leadership_evenness", R, O, "1 - Gini of leadership events over all agents"),
      model::column("leader_share", R, O,
                    "share of insights (leadership moments) in which the top leader took part"),
      model::column(
          "manager_share", R, O,
          "share of insights in which at least one formal leader (an agent with reports) took "
          "part"),
      model::column(
          "leadership_density", R, O,
          "density of the leadership network (agents linked when they shared an insight)"),
      model::column(
          "leadership_centralization", R, O,
          "Freeman degree centralization of the leadership network in [0, 1]; NaN without "
          "links"),
      model::column(
          "evenness_vs_chance", R, O,
          "leadership evenness / its expectation if each insight's participants were drawn "
          "uniformly at random (1: as even as chance)"),
      model::column("reliance_events", N, O,
                    "reliance events: decisions to escalate to, turn to, be routed through or ask "
                    "to join another agent, whatever the outcome (the volume of the reliance "
                    "network; the top leader pulling in a report is direction, not reliance)"),
      model::column("reliance_top_share", R, O,
                    "share of reliance events directed at the most relied-on agent; NaN "
                    "without events"),
      model::column("reliance_formal_share", R, O,
                    "share of reliance events directed at formal leaders (agents with "
                    "reports); NaN without events"),
      model::column("reliance_evenness_vs_chance", R, O,
                    "Simpson evenness of the reliance events received, (1 - H) / (1 - 1/N) "
                    "with H = sum w_i (w_i - 1) / (W (W - 1)) unbiased for any W: 1 = as even "
                    "as events directed at uniformly drawn agents, 0 = one agent receives all"),
      model::column("reliance_top5pct_share", R, O,
                    "share of reliance events received by the ceil(5% of N) most relied-on "
                    "agents (the concentration of collaborative load: Cross, Rebele & Grant "
                    "2016); NaN without events"),
      model::column("moment_evenness_vs_chance", R, O,
                    "Simpson evenness of the leadership events (insight credits), (1 - H) / "
                    "(1 - 1/N) with H = sum x_i (x_i - 1) / (M^2 - sum_j k_j^2) over insights "
                    "j of k_j participants: 1 = as even as random crediting, for any volume"),
      model::column(
          "hero_dependence", R, O,
          "solve rate minus that of the same organization (structure, qualities, arrivals, common "
          "random numbers) "
          "with its heroes replaced by ordinary agents; NaN without a hero"),
      model::column("distributed", B, O,
                    "leadership spread (not success), on volume-invariant measures: "
                    "reliance_top_share <= dl_top_share, reliance_formal_share <= "
                    "dl_formal_share and reliance_evenness_vs_chance >= dl_reliance_evenness"),
      model::column("distributed_network", B, O,
                    "the classification of models 2-4 (history; it moves with event volume): "
                    "leadership_breadth >= dl_breadth and leadership_centralization <= "
                    "dl_centralization"),
  };
}

std::string num(double v) {
  return model::format_number(v);
}

struct LeadershipTraits : model::SimulationTraits<leadership::Config, leadership::Scratch,
                                                  OrgResult, simulate_organization> {
  static void write_row(const Config& c, const Scratch& w, model::RowWriter& out) {
    leadership::write_row(c, w.result, out);
  }
};

class LeadershipModel final : public model::Plugin<LeadershipTraits> {
 public:
  LeadershipModel()
      : Plugin("leadership", "5.1.0",
               "Organization model of distributed leadership: challenges arise (mostly at the "
               "front line) in a reporting tree with lateral ties; holders take initiative or "
               "escalate, interact with peers or managers (under upstream control and finite "
               "leader capacity); interactions end in conflict or insight, and every "
               "participant of an insight gets a leadership event.",
               make_parameters(), make_columns()) {}

  // "distributed" and "distributed_network" classify two other outcomes each by two
  // thresholds that change nothing in the simulation: the engine re-derives them under
  // other thresholds (threshold curves).
  std::span<const model::DerivedColumn> derived_columns() const override { return derived_; }
  double derive(std::size_t d, std::span<const double> in,
                const model::ParameterValues& v) const override {
    TRIBE_CHECK(d < 2 && in.size() == (d == 0 ? 3u : 2u),
                "leadership derives distributed from three inputs, distributed_network from two");
    if (d == 0)
      return is_distributed(DistributedThresholds{v[dl_top_share_], v[dl_formal_share_],
                                                  v[dl_reliance_evenness_]},
                            in[0], in[1], in[2])
                 ? 1.0
                 : 0.0;
    return is_distributed_network(v[dl_breadth_], v[dl_centralization_], in[0], in[1]) ? 1.0 : 0.0;
  }

 protected:
  void check(const Config& c) const override {
    const double agents = c.agents;
    if (c.span > agents - 1)
      throw InputError("span = " + num(c.span) +
                       " must be at most agents - 1 = " + num(agents - 1));
    if (c.hero_managers > agents - 1)
      throw InputError("hero_managers = " + num(c.hero_managers) +
                       " must be at most agents - 1 = " + num(agents - 1));
    if (std::floor(c.capacity * c.hero_capacity) > 2.0e9)
      throw InputError("capacity * hero_capacity = " + num(c.capacity * c.hero_capacity) +
                       " must be at most 2e9");
  }

  // What one organization holds while it runs, per worker thread: lateral ties (they grow
  // with agents^2: with a flat structure every pair of the leader's reports may be tied),
  // the challenges of the horizon (they grow with arrival_rate x agents x steps) with their
  // open items and leadership-network links, and the per-step calendar.
  void check_memory(const Config& c, double bytes_per_worker) const override {
    auto ties_of = [&](double n) {
      const auto kind = c.structure;
      const double all_pairs = n * (n - 1) / 2;
      const bool wide =
          kind == StructureKind::flat || kind == StructureKind::random_tree ||
          kind == StructureKind::preferential;  // a manager may have nearly all agents as reports
      const double widest_span =
          std::max(1.0, std::round(static_cast<double>(c.span) * (1 + c.span_spread)));
      const double sibling_pairs =
          wide ? all_pairs : std::min(all_pairs, n * (widest_span - 1) / 2);
      // Expected ties, with room for the spread of the draws.
      const double expected = c.tie_within * sibling_pairs + c.tie_across * all_pairs;
      return 1.05 * expected + 64;
    };
    // Challenges of the horizon: Poisson with mean arrival_rate x agents x steps, with room
    // for its spread (sd = sqrt(mean)).
    auto challenges_of = [&](double n, double steps) {
      const double mean = c.arrival_rate * n * steps;
      return mean + 6 * std::sqrt(mean) + 64;
    };
    // Per tie: two endpoint arrays that grow by doubling (up to 2 x 8 bytes) and the
    // adjacency (8 bytes); adjacency offsets are 32-bit. Per challenge: its record (24
    // bytes, in a vector that grows by doubling: 48), its open item (40) and up to three
    // leadership-network links of its insight (3 x 8, doubling: 48). Per step: the
    // calendar's first and last item (8 bytes).
    constexpr double kBytesPerTie = 24, kBytesPerChallenge = 136, kBytesPerStep = 8;
    constexpr double kMaxTies = 1.0e9;
    // Challenge indices are 32-bit.
    constexpr double kMaxChallenges = 2.0e9;
    auto bytes = [&](double n, double steps) {
      return ties_of(n) * kBytesPerTie + challenges_of(n, steps) * kBytesPerChallenge +
             steps * kBytesPerStep + n * 256;
    };
    auto fits = [&](double n, double steps) {
      return ties_of(n) <= kMaxTies && challenges_of(n, steps) <= kMaxChallenges &&
             bytes(n, steps) <= bytes_per_worker;
    };
    const double agents = c.agents, steps = c.steps;
    if (fits(agents, steps)) return;
    // The largest value of one parameter that fits, the others as given.
    auto largest = [&](double lo, double hi, auto&& ok) {  // ok(lo) or lo is returned
      while (hi - lo > 1) {
        const double mid = std::floor((lo + hi) / 2);
        (ok(mid) ? lo : hi) = mid;
      }
      return lo;
    };
    char need[64];
    std::snprintf(need, sizeof need, "%.3g GiB", bytes(agents, steps) / (1u << 30));
    const double tie_bytes = ties_of(agents) * kBytesPerTie;
    const double challenge_bytes = challenges_of(agents, steps) * kBytesPerChallenge;
    if (tie_bytes >= challenge_bytes || ties_of(agents) > kMaxTies || !fits(agents, 1)) {
      const double most = largest(2, agents, [&](double n) { return fits(n, steps); });
      throw InputError(
          "agents = " + num(agents) + " with structure = " +
          std::string(kStructureNames[static_cast<int>(c.structure)]) + " needs about " + need +
          " per worker thread, mostly for its lateral ties (they grow with agents^2)" +
          (ties_of(agents) > kMaxTies ? ", more than the 1e9 ties an organization may hold" : "") +
          "; at most agents = " + num(most) +
          " fits here (fewer --threads, or smaller tie_within/tie_across, allow more)");
    }
    const double most = largest(1, steps, [&](double t) { return fits(agents, t); });
    char expected[32];
    std::snprintf(expected, sizeof expected, "%.3g", c.arrival_rate * agents * steps);
    throw InputError(
        "agents = " + num(agents) + ", steps = " + num(steps) +
        " and arrival_rate = " + num(c.arrival_rate) + " give about " + expected +
        " challenges per organization, which need about " + need + " per worker thread" +
        (challenges_of(agents, steps) > kMaxChallenges
             ? ", more than the 2e9 challenges an organization may hold"
             : "") +
        "; at most steps = " + num(most) +
        " fits here with these agents and arrival_rate (fewer --threads, fewer agents or a "
        "lower arrival_rate allow more)");
  }

 private:
  // The thresholds' places among the parameter values derive() receives.
  const std::size_t dl_top_share_ = index_of("dl_top_share"),
                    dl_formal_share_ = index_of("dl_formal_share"),
                    dl_reliance_evenness_ = index_of("dl_reliance_evenness"),
                    dl_breadth_ = index_of("dl_breadth"),
                    dl_centralization_ = index_of("dl_centralization");
  std::vector<model::DerivedColumn> derived_ = {
      {"distributed",
       {"reliance_top_share", "reliance_formal_share", "reliance_evenness_vs_chance"},
       {"dl_top_share", "dl_formal_share", "dl_reliance_evenness"}},
      {"distributed_network",
       {"leadership_breadth", "leadership_centralization"},
       {"dl_breadth", "dl_centralization"}}};
};

}  // namespace

const model::Model& model() {
  static const LeadershipModel instance;
  return instance;
}

}  // namespace tribe::models::leadership

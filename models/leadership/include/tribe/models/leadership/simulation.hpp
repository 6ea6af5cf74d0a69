#pragma once
// The dynamics of one organization of the leadership model (docs/model.md).
// `Config` is one cell's parameters, `Scratch` the per-thread memory, and
// `simulate_organization` the pure function (config, context) -> result.
#include <cstdint>
#include <limits>
#include <vector>

#include "tribe/model/model.hpp"
#include "tribe/model/row_writer.hpp"
#include "tribe/models/leadership/metrics.hpp"
#include "tribe/models/leadership/sampling.hpp"
#include "tribe/models/leadership/structure.hpp"

namespace tribe::models::leadership {

/// Purposes of the random streams: each mechanism has its own, so changing one
/// mechanism never shifts the random numbers of another.
enum class StreamPurpose : std::uint64_t {
  structure = 1,  // the reporting tree
  qualities = 2,  // agent qualities (substream 0: aligned, 1: proactive, 2: collaborative)
  arrivals = 3,   // challenge arrival times, places, difficulties, deadlines
  interactions =
      4,     // one Philox block per attempt on a challenge, substream (challenge << 32 | attempt):
             // initiative, lateral-or-up, partner, routing, conflict, insight, mission draws
  ties = 5,  // lateral ties
  heroes = 6,  // which managers are hero-like (hero_managers)
};

/// One cell's parameters, already validated.
struct Config {
  std::int32_t agents = 100;
  std::int32_t steps = 200;
  StructureKind structure = StructureKind::hierarchy;
  std::int32_t span = 5;
  double span_spread = 0.5;
  double tie_within = 0.3;
  double tie_across = 0.01;
  double control = 0.2;
  double aligned = 0.5, proactive = 0.5, collaborative = 0.5;
  double concentration = 10.0;
  std::int32_t capacity = 2;
  bool hero = false;
  double hero_capacity = 5.0;
  double hero_boost = 0.5;
  double hero_quality = 0.9;
  double hero_deference = 0.0;
  std::int32_t hero_managers = 0;
  double arrival_rate = 0.01;
  double front_line_share = 0.8;
  double difficulty_mean = 0.5;
  double difficulty_concentration = 4.0;
  double deadline_mean = 10.0;
  double insight_bias = 0.0;
  double insight_alignment = 4.0;
  double insight_collaboration = 4.0;
  double insight_difficulty = 4.0;
  double conflict_scale = 1.0;
  DistributedThresholds thresholds{};
  double dl_breadth = 0.5, dl_centralization = 0.5;  // distributed_network (history)
};

/// Counters of one run of the dynamics (one organization, with or without its heroes).
struct RunCounts {
  std::uint64_t challenges = 0;  // arisen in [0, T)
  std::uint64_t eligible = 0;    // whose deadline falls inside the horizon (resolved by T)
  // Of eligible challenges:
  std::uint64_t solved = 0, solved_aligned = 0, misdirected = 0, failed = 0;
  std::uint64_t blame = 0, conflicts = 0;
  double time_to_solve_sum = 0.0;
  // Of everything that happened in [0, T):
  std::uint64_t decisions = 0;    // initiative decisions of holders that have a manager
  std::uint64_t escalations = 0;  // of which escalated
  std::uint64_t interactions = 0;
  std::uint64_t interactions_with_leader = 0;  // a manager joined, or the holder leads others
  std::uint64_t lateral = 0, routed = 0, upward = 0, root_pulls = 0;
  std::uint64_t all_conflicts = 0;
  std::uint64_t insights = 0, insights_with_top = 0, insights_with_hero = 0;
  std::uint64_t insights_with_manager = 0;  // a formal leader (anyone with reports) took part
  std::uint64_t insights_by_size[4] = {0, 0, 0, 0};  // by number of participants (2 or 3)
  std::uint64_t solutions = 0, solutions_at_origin = 0;
  std::uint64_t leader_items = 0;  // queue items at leaders
  double leader_ahead_sum = 0.0;   // items waiting ahead of them
  std::uint64_t leader_ahead_max = 0;
  // The reliance network: one event per agent relied on (escalated to, turned to as a
  // lateral partner, routed through, asked to join), counted when the decision is taken,
  // whatever becomes of the challenge; the top leader pulling in a report is not one.
  std::uint64_t reliance_events = 0;
};

/// The full result of one organization.
struct OrgResult {
  // Drawn
  std::int32_t depth = 0, max_span = 0;
  std::int64_t lateral_ties = 0;
  bool hero_present = false;
  double mean_aligned = 0, mean_proactive = 0, mean_collaborative = 0;
  // Run with the organization as drawn, and (if it has heroes) without them
  RunCounts run{}, counterfactual{};
  // Leadership metrics of `run`
  double breadth = 0, evenness = 0, leader_share = 0;
  double manager_share = 0, density = 0, centralization = 0, evenness_vs_chance = 0;
  // Volume-invariant spread of `run`: leadership moments and the reliance network
  double moment_evenness_vs_chance = 0;
  RelianceMeasures reliance{};
  double reliance_top5pct_share = 0;  // share on the ceil(5% N) most relied-on agents
};

/// Per-thread memory: every vector grows to the largest organization seen and is
/// reused (cleared) for the next one.
struct Scratch {
  Tree tree;
  Ties ties;
  std::vector<std::int32_t> tmp_i32;
  std::vector<double> aligned, proactive, collaborative;  // as drawn
  std::vector<std::uint8_t> is_hero;
  CachedBetaMean quality_beta[3], difficulty_beta;  // the cell's Beta set-ups
  /// A challenge as drawn (arrival order = index order).
  struct Challenge {
    std::int32_t origin;    // agent where it arises (its first holder)
    std::int32_t arrival;   // step it arises
    std::int32_t last;      // last workable step
    std::int32_t eligible;  // 1 if last + 1 < T (resolved inside the horizon)
    double difficulty;      // d in [0, 1]
  };
  std::vector<Challenge> challenges;
  /// A challenge's state in one run of the dynamics. An open challenge is always in
  /// exactly one queue (its next item), so the calendar links challenges, not items.
  struct Open {
    std::int32_t holder, holders, attempts;
    std::int32_t next;     // next challenge due at the same step (-1: the last)
    std::int32_t kind;     // its item: 0 the holder decides, 1 an interaction joined by the
                           // holder's manager
    std::int32_t partner;  // lateral partner of that interaction, or -1
    std::uint64_t w2, w3;  // interaction words of an interaction waiting for the manager
  };
  std::vector<Open> open;
  /// An agent's data in one run (qualities and capacities with heroes applied).
  struct Agent {
    double a, p, c;              // qualities in effect
    std::uint64_t t_act, t_lat;  // 32-bit thresholds: u < P_eff and (has ties and u < C)
    std::int64_t busy_step;      // queue: last busy step and items at it
    std::int32_t busy_count, capacity;
    std::int32_t parent, tie_start, degree, child_start, reports;
    std::uint8_t hero, leader;
  };
  std::vector<Agent> agents;
  std::vector<std::uint32_t> events;    // leadership events per agent (of the last run)
  std::vector<std::uint32_t> reliance;  // reliance events directed at each agent (last run)
  std::vector<std::uint8_t> formal;     // 1 for an agent with reports
  std::vector<std::uint32_t> sorted;    // metrics scratch
  std::vector<std::uint64_t> pairs;     // leadership-network links, one per (insight, pair)
  std::vector<std::uint32_t> degree;    // leadership-network degrees
  std::vector<std::uint64_t> seen;      // leadership-network bit matrix (all zero between uses)
  std::vector<std::int32_t> bucket_head, bucket_tail;  // per step: first and last challenge due
};

/// Simulates one organization; a pure function of (config, ctx).
void simulate_organization(const Config& config, const model::OrgContext& ctx, Scratch& ws,
                           OrgResult& out);

/// Drawn and outcome columns, each under its name, in the order of the model's columns().
void write_row(const Config& config, const OrgResult& r, model::RowWriter& out);

}  // namespace tribe::models::leadership

#include "tribe/models/lazer_friedman/lazer_friedman_model.hpp"

#include <cstdio>
#include <string>
#include <vector>

#include "tribe/core/error.hpp"
#include "tribe/model/plugin.hpp"
#include "tribe/models/lazer_friedman/simulation.hpp"

namespace tribe::models::lazer_friedman {

namespace {

using model::ColumnSpec;

constexpr int kMaxAgents = 2000;

std::vector<model::Parameter<Config>> make_parameters() {
  return {
      model::integer("bits", &Config::bits, 1, kMaxBits, 20,
                     "N: bits of a solution (the global maximum is found by exhaustive search "
                     "of the 2^N solutions)"),
      model::integer("k", &Config::k, 0, kMaxK, 5,
                     "K: random interaction partners per bit (at most bits - 1); each bit's "
                     "contribution depends on itself and its K partners"),
      model::integer("agents", &Config::agents, 2, kMaxAgents, 100, "number of agents"),
      model::integer("rounds", &Config::rounds, 0, 100000, 100,
                     "synchronous rounds simulated (scores are recorded for t = 0 ... 100)"),
      model::choice("network", &Config::network, {"linear", "full", "random", "small_world"}, 0,
                    "communication network: linear (a chain), full (totally connected), random "
                    "(each pair linked with probability density; components joined unless "
                    "join_components = false), "
                    "small_world (ring lattice of degree 4 with `rewired` links rewired, kept "
                    "connected)"),
      model::real("density", &Config::density, 0, 1, 0.1,
                  "random network: probability that a pair of agents is linked"),
      model::integer("rewired", &Config::rewired, 0, 2 * kMaxAgents, 0,
                     "small_world network: number of lattice links rewired (at most 2 * agents)"),
      model::boolean("join_components", &Config::join_components, true,
                     "random network: join its components into one (true), or search it as "
                     "drawn, possibly fragmented, with agents of different components never in "
                     "contact (false)"),
      model::real("exponent", &Config::exponent, 0, 64, 8,
                  "score = (fitness / global maximum)^exponent"),
      model::real("velocity", &Config::imitation, &Imitation::velocity, 0, 1, 1,
                  "probability that an agent looks at its neighbours in a round (else it "
                  "explores); the paper's velocity of information"),
      model::real("copy_error", &Config::imitation, &Imitation::copy_error, 0, 1, 0,
                  "probability that each bit of a copied solution comes out flipped (imperfect "
                  "imitation; the copy is adopted whatever its fitness)"),
  };
}

std::string score_column(int t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "mean_score_t%03d", t);
  return buf;
}

std::vector<ColumnSpec> make_columns() {
  using namespace model::column_shorthands;
  std::vector<ColumnSpec> c;
  c.push_back(model::column("global_max_fitness", R, D,
                            "fitness of the landscape's global maximum (exhaustive search)"));
  c.push_back(model::column("edges", N, D, "links of the realized network"));
  c.push_back(model::column("network_adjustments", N, D,
                            "random: links added to join components; small_world: rewirings undone "
                            "because they would disconnect the network"));
  c.push_back(
      model::column("components", N, D,
                    "connected components of the network searched (1 unless a random network is "
                    "left fragmented with join_components = false)"));
  // A series: stored as one organizations x time dataset `mean_score`, a point addressed
  // as mean_score[t=T] (or by its column name mean_score_tTTT).
  for (int t = 0; t <= kRecordedRounds; ++t)
    c.push_back(
        {score_column(t), R, O,
         "mean score of the agents after round t (t = 0: the random starts); NaN beyond rounds",
         "mean_score", static_cast<std::uint32_t>(t)});
  c.push_back(
      model::column("final_mean_score", R, O, "mean score of the agents after the last round"));
  c.push_back(
      model::column("final_best_score", R, O, "best score of an agent after the last round"));
  c.push_back(model::column("rounds_to_equilibrium", R, O,
                            "first round after which all agents share one locally optimal solution "
                            "(nothing can change any more); NaN if not reached within rounds"));
  c.push_back(model::column("share_at_global_max", R, O,
                            "share of agents whose final solution is the global maximum"));
  c.push_back(model::column("unique_solutions_final", N, O,
                            "distinct solutions among the agents at the end"));
  return c;
}

struct LazerFriedmanTraits
    : model::SimulationTraits<lazer_friedman::Config, lazer_friedman::Scratch, OrgResult,
                              simulate_organization> {
  static void write_row(const Config& /*c*/, const Scratch& w, model::RowWriter& out) {
    const OrgResult& r = w.result;
    out("global_max_fitness", r.global_max_fitness);
    out("edges", r.edges);
    out("network_adjustments", r.joined);
    out("components", r.components);
    out.series([](std::size_t t) { return score_column(static_cast<int>(t)); },
               std::span<const double>(r.mean_score));
    out("final_mean_score", r.final_mean_score);
    out("final_best_score", r.final_best_score);
    out("rounds_to_equilibrium", r.rounds_to_equilibrium);
    out("share_at_global_max", r.share_at_global_max);
    out("unique_solutions_final", r.unique_solutions_final);
  }
};

class LazerFriedmanModel final : public model::Plugin<LazerFriedmanTraits> {
 public:
  LazerFriedmanModel()
      : Plugin("lazer_friedman", "1.2.0",
               "Lazer & Friedman (2007): agents on a network (linear, full, random, small world) "
               "search an NK landscape (N bits, K interactions); each round an agent copies its "
               "best neighbour if that one scores higher, else tries one random bit flip and "
               "keeps it if it improves. Score = (fitness / global maximum)^exponent.",
               make_parameters(), make_columns()) {}

 protected:
  void check(const Config& c) const override {
    if (c.k > c.bits - 1)
      throw InputError("k = " + model::format_number(c.k) +
                       " must be at most bits - 1 = " + model::format_number(c.bits - 1));
    if (c.network == NetworkKind::small_world) {
      if (c.agents < 5)
        throw InputError("agents = " + model::format_number(c.agents) +
                         " must be at least 5 for network = \"small_world\" (ring lattice of "
                         "degree 4)");
      if (c.rewired > 2 * c.agents)
        throw InputError("rewired = " + model::format_number(c.rewired) +
                         " must be at most 2 * agents = " + model::format_number(2 * c.agents) +
                         " (the links of the ring lattice)");
    }
  }
};

}  // namespace

const model::Model& model() {
  return model::instance<LazerFriedmanModel>();
}

}  // namespace tribe::models::lazer_friedman

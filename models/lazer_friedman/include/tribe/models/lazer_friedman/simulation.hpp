#pragma once
// The Lazer & Friedman (2007) dynamics: agents on a network search an NK landscape,
// copying the best neighbour when it scores higher and otherwise trying one random
// bit flip (kept only if it improves). See models/lazer_friedman/docking-lazer-friedman.md.
#include <cstdint>
#include <vector>

#include "tribe/model/model.hpp"
#include "tribe/models/lazer_friedman/landscape.hpp"
#include "tribe/rng/stream.hpp"

namespace tribe::models::lazer_friedman {

/// Purposes of the random streams. The landscape and the starting solutions have
/// their own streams, independent of the network, so that with common random numbers
/// every network of an experiment searches the same landscapes from the same starts.
enum class StreamPurpose : std::uint64_t {
  landscape = 101,  // partners and tables
  starts = 102,     // the agents' starting solutions
  network = 103,    // random and small-world networks
  search = 104,     // substream = round: the explorers' bit choices, in agent order
  imitation = 105,  // substream = round: looking (velocity < 1) and copying errors, in agent
                    // order; drawn only when those variants are on, so that the basic model's
                    // numbers do not depend on them
};

enum class NetworkKind : int { linear = 0, full = 1, random = 2, small_world = 3 };

/// An undirected simple graph in compressed rows (neighbours of agent a at
/// adj[offset[a] .. offset[a + 1]), in increasing order).
struct Network {
  int n = 0;
  std::vector<std::int32_t> offset;
  std::vector<std::int32_t> adj;
  std::int64_t edges() const noexcept { return static_cast<std::int64_t>(adj.size()) / 2; }
};

/// Scratch of the network generators.
struct NetworkScratch {
  std::vector<std::uint8_t> matrix;  // n * n adjacency (random, small world)
  std::vector<std::int32_t> stack, component, pairs;
};

/// Builds the network of `n` agents:
///  linear       a chain 0 - 1 - ... - (n-1);
///  full         every pair linked;
///  random       each pair linked with probability `density` (Erdos-Renyi); then, if
///               `join_components` and the graph has several components, one uniformly drawn
///               agent of each other component is linked to a uniformly drawn agent of the
///               component of agent 0 (so the realized density can exceed `density` slightly
///               when it is low); without `join_components` the graph is left as drawn, and
///               agents of different components never see each other's solutions;
///  small_world  a ring lattice where each agent is linked to the 2 nearest on each side
///               (degree 4), then `rewired` times: a uniformly drawn lattice link (u, v) that
///               has not been rewired yet is replaced by (u, w) with w uniform among the
///               agents not linked to u; a rewiring that would disconnect the graph is undone
///               and another link drawn (each link is tried at most once).
/// The stream is used only by random and small_world. Returns the number of links added
/// to join components (random) or of rewirings that were undone (small world).
int make_network(NetworkKind kind, int n, double density, int rewired, rng::Stream& s, Network& net,
                 NetworkScratch& scratch, bool join_components = true);

/// Number of connected components of the network (an isolated agent is one).
int count_components(const Network& net, NetworkScratch& scratch);

/// true when the network is connected.
bool is_connected(const Network& net, NetworkScratch& scratch);

/// The agents' state between rounds.
struct Agents {
  std::vector<std::uint32_t> solution, next;
  std::vector<double> fitness, next_fitness;
};

/// The paper's variants of imitation (its "velocity" of information and imperfect copying).
struct Imitation {
  double velocity = 1.0;    // probability that an agent looks at its neighbours in a round
  double copy_error = 0.0;  // probability that each bit of a copied solution comes out flipped
};

/// One synchronous round: every agent looks at its neighbours' solutions of the previous
/// round; if the best of them (highest fitness, lowest index on ties) has a strictly higher
/// fitness than its own, it copies that solution; otherwise it flips one bit drawn
/// uniformly (one draw of `s`, agents in index order) and keeps the change only if the
/// fitness strictly improves. Returns the number of agents that changed solution.
///
/// With `im.velocity` < 1 an agent looks at its neighbours only with that probability
/// (one uniform of `variants` per agent, in agent order) and otherwise explores as if no
/// neighbour were better. With `im.copy_error` > 0 each bit of a copied solution is flipped
/// with that probability (one uniform of `variants` per bit, after the agent's look), and
/// the agent adopts the imperfect copy whatever its fitness: it believes it copied the
/// better solution. `variants` may be null when both variants are off.
int search_round(const Landscape& land, const Network& net, Agents& agents, rng::Stream& s,
                 const Imitation& im = {}, rng::Stream* variants = nullptr);

/// One cell's parameters.
struct Config {
  int bits = 20;
  int k = 5;
  int agents = 100;
  int rounds = 100;
  NetworkKind network = NetworkKind::linear;
  double density = 0.1;
  int rewired = 0;
  bool join_components = true;  // random network: join its components into one
  double exponent = 8.0;
  Imitation imitation;
};

/// Number of mean_score_tXXX columns: t = 0 ... kRecordedRounds.
inline constexpr int kRecordedRounds = 100;

struct OrgResult {
  double mean_score[kRecordedRounds + 1];  // NaN beyond `rounds`
  double final_mean_score = 0.0;
  double final_best_score = 0.0;
  double rounds_to_equilibrium =
      0.0;  // first round from which nothing can change; NaN if not reached
  double share_at_global_max = 0.0;
  double unique_solutions_final = 0.0;
  double global_max_fitness = 0.0;
  double edges = 0.0;
  double joined = 0.0;      // links added to join components / rewirings undone
  double components = 1.0;  // connected components of the network searched
};

/// Per-thread memory: everything one organization needs, grown once and reused.
struct Scratch {
  Landscape land;
  SearchScratch search;
  std::vector<std::int32_t> partners;
  Network net;
  NetworkScratch net_scratch;
  Agents agents;
  std::vector<std::uint32_t> sorted;
};

/// The pure function (config, context) -> result of one organization (one landscape).
void simulate_organization(const Config& c, const model::OrgContext& ctx, Scratch& w,
                           OrgResult& out);

}  // namespace tribe::models::lazer_friedman

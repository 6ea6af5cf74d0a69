#include "tribe/models/lazer_friedman/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "tribe/core/error.hpp"
#include "tribe/core/stop.hpp"
#include "tribe/rng/samplers.hpp"

namespace tribe::models::lazer_friedman {

namespace {

void from_matrix(int n, const std::vector<std::uint8_t>& m, Network& net) {
  net.n = n;
  net.offset.assign(static_cast<std::size_t>(n) + 1, 0);
  net.adj.clear();
  for (int a = 0; a < n; ++a) {
    const std::uint8_t* row = m.data() + static_cast<std::size_t>(a) * n;
    for (int b = 0; b < n; ++b)
      if (row[b]) net.adj.push_back(b);
    net.offset[a + 1] = static_cast<std::int32_t>(net.adj.size());
  }
}

void link(std::vector<std::uint8_t>& m, int n, int a, int b, std::uint8_t v) {
  m[static_cast<std::size_t>(a) * n + b] = v;
  m[static_cast<std::size_t>(b) * n + a] = v;
}

}  // namespace

int make_network(NetworkKind kind, int n, double density, int rewired, rng::Stream& s, Network& net,
                 NetworkScratch& w, bool join_components) {
  net.n = n;
  int adjusted = 0;
  switch (kind) {
    case NetworkKind::linear:
      net.offset.resize(static_cast<std::size_t>(n) + 1);
      net.adj.clear();
      net.offset[0] = 0;
      for (int a = 0; a < n; ++a) {
        if (a > 0) net.adj.push_back(a - 1);
        if (a + 1 < n) net.adj.push_back(a + 1);
        net.offset[a + 1] = static_cast<std::int32_t>(net.adj.size());
      }
      return 0;
    case NetworkKind::full:
      net.offset.resize(static_cast<std::size_t>(n) + 1);
      net.adj.clear();
      net.offset[0] = 0;
      for (int a = 0; a < n; ++a) {
        for (int b = 0; b < n; ++b)
          if (b != a) net.adj.push_back(b);
        net.offset[a + 1] = static_cast<std::int32_t>(net.adj.size());
      }
      return 0;
    case NetworkKind::random: {
      w.matrix.assign(static_cast<std::size_t>(n) * n, 0);
      for (int a = 0; a < n; ++a)
        for (int b = a + 1; b < n; ++b)
          if (rng::bernoulli(s, density)) link(w.matrix, n, a, b, 1);
      from_matrix(n, w.matrix, net);
      const int count = join_components ? count_components(net, w) : 1;
      if (count > 1) {
        // Join every other component to that of agent 0 (label 0): one drawn member
        // of each to one drawn member of component 0.
        w.pairs.clear();  // members of component 0
        for (int a = 0; a < n; ++a)
          if (w.component[a] == 0) w.pairs.push_back(a);
        for (int label = 1; label < count; ++label) {
          w.stack.clear();
          for (int a = 0; a < n; ++a)
            if (w.component[a] == label) w.stack.push_back(a);
          const int u = w.stack[rng::uniform_index(s, w.stack.size())];
          const int v = w.pairs[rng::uniform_index(s, w.pairs.size())];
          link(w.matrix, n, u, v, 1);
          ++adjusted;
        }
      }
      from_matrix(n, w.matrix, net);
      return adjusted;
    }
    case NetworkKind::small_world: {
      w.matrix.assign(static_cast<std::size_t>(n) * n, 0);
      for (int a = 0; a < n; ++a) {
        link(w.matrix, n, a, (a + 1) % n, 1);
        link(w.matrix, n, a, (a + 2) % n, 1);
      }
      const int links = 2 * n;  // link id < n: (id, id + 1); else (id - n, id - n + 2)
      w.pairs.resize(static_cast<std::size_t>(links));
      for (int i = 0; i < links; ++i) w.pairs[i] = i;
      int done = 0;
      for (int tried = 0; tried < links && done < rewired; ++tried) {
        const auto r = tried + static_cast<int>(rng::uniform_index(
                                   s, static_cast<std::uint64_t>(links - tried)));
        std::swap(w.pairs[tried], w.pairs[r]);
        const int id = w.pairs[tried];
        const int u = id < n ? id : id - n;
        const int v = id < n ? (u + 1) % n : (u + 2) % n;
        const std::uint8_t* row = w.matrix.data() + static_cast<std::size_t>(u) * n;
        int candidates = 0;
        for (int b = 0; b < n; ++b) candidates += (b != u && !row[b]) ? 1 : 0;
        if (candidates == 0) {
          ++adjusted;
          continue;
        }
        auto pick = static_cast<int>(rng::uniform_index(s, static_cast<std::uint64_t>(candidates)));
        int x = -1;
        for (int b = 0; b < n; ++b)
          if (b != u && !row[b] && pick-- == 0) {
            x = b;
            break;
          }
        link(w.matrix, n, u, v, 0);
        link(w.matrix, n, u, x, 1);
        from_matrix(n, w.matrix, net);
        if (count_components(net, w) > 1) {  // undo: the rewiring would split the network
          link(w.matrix, n, u, x, 0);
          link(w.matrix, n, u, v, 1);
          ++adjusted;
          continue;
        }
        ++done;
      }
      from_matrix(n, w.matrix, net);
      return adjusted;
    }
  }
  TRIBE_CHECK(false, "nk: unknown network kind");
  return 0;
}

int count_components(const Network& net, NetworkScratch& w) {
  const int n = net.n;
  w.component.assign(static_cast<std::size_t>(n), -1);
  int label = 0;
  for (int start = 0; start < n; ++start) {
    if (w.component[start] >= 0) continue;
    w.stack.clear();
    w.stack.push_back(start);
    w.component[start] = label;
    while (!w.stack.empty()) {
      const int a = w.stack.back();
      w.stack.pop_back();
      for (int c = net.offset[a]; c < net.offset[a + 1]; ++c) {
        const int b = net.adj[c];
        if (w.component[b] < 0) {
          w.component[b] = label;
          w.stack.push_back(b);
        }
      }
    }
    ++label;
  }
  return label;
}

bool is_connected(const Network& net, NetworkScratch& w) {
  return count_components(net, w) <= 1;
}

int search_round(const Landscape& land, const Network& net, Agents& ag, rng::Stream& s,
                 const Imitation& im, rng::Stream* variants) {
  const bool sometimes_looks = im.velocity < 1.0;
  const bool errors = im.copy_error > 0.0;
  TRIBE_CHECK(variants != nullptr || (!sometimes_looks && !errors),
              "nk: the imitation variants need their random stream");
  const int n = net.n;
  int changed = 0;
  for (int a = 0; a < n; ++a) {
    const double own = ag.fitness[a];
    int best = -1;
    double best_f = own;
    const bool looks = !sometimes_looks || rng::uniform(*variants) < im.velocity;
    if (looks)
      for (int c = net.offset[a]; c < net.offset[a + 1]; ++c) {
        const int b = net.adj[c];
        if (ag.fitness[b] > best_f) {
          best_f = ag.fitness[b];
          best = b;
        }
      }
    std::uint32_t x = ag.solution[a];
    double f = own;
    if (best >= 0) {  // a neighbour scores strictly higher: copy the best one
      x = ag.solution[best];
      f = best_f;
      if (errors) {
        std::uint32_t flips = 0;
        for (int bit = 0; bit < land.n; ++bit)
          if (rng::uniform(*variants) < im.copy_error) flips |= 1u << bit;
        if (flips != 0) {
          x ^= flips;
          f = land.fitness(x);
        }
      }
    } else {  // explore: one random bit, kept only if it improves
      const auto bit = static_cast<int>(rng::uniform_index(s, static_cast<std::uint64_t>(land.n)));
      const std::uint32_t y = x ^ (1u << bit);
      const double fy = land.fitness(y);
      if (fy > f) {
        x = y;
        f = fy;
      }
    }
    changed += (x != ag.solution[a]) ? 1 : 0;
    ag.next[a] = x;
    ag.next_fitness[a] = f;
  }
  ag.solution.swap(ag.next);
  ag.fitness.swap(ag.next_fitness);
  return changed;
}

namespace {

struct Scores {
  double mean = 0.0;
  double best = 0.0;
};

Scores scores(const Agents& ag, double gmax, double exponent) {
  Scores r;
  const auto n = ag.fitness.size();
  double sum = 0.0;
  for (std::size_t a = 0; a < n; ++a) {
    const double sc = std::pow(ag.fitness[a] / gmax, exponent);
    sum += sc;
    r.best = std::max(r.best, sc);
  }
  r.mean = sum / static_cast<double>(n);
  return r;
}

/// Every agent shares its neighbours' solution (on a connected network: all agents share
/// one solution) and that solution is a local optimum: no agent sees a better neighbour
/// and no single flip improves, so nothing can change any more.
bool absorbed(const Landscape& land, const Network& net, const Agents& ag) {
  for (int a = 0; a < net.n; ++a)
    for (int c = net.offset[a]; c < net.offset[a + 1]; ++c)
      if (ag.solution[net.adj[c]] != ag.solution[a]) return false;
  for (int a = 0; a < net.n; ++a) {
    // Agents of one component share a solution: test each distinct run of solutions once.
    if (a > 0 && ag.solution[a] == ag.solution[a - 1]) continue;
    if (!is_local_optimum(land, ag.solution[a])) return false;
  }
  return true;
}

}  // namespace

void simulate_organization(const Config& c, const model::OrgContext& ctx, Scratch& w,
                           OrgResult& out) {
  {
    auto s = ctx.stream(StreamPurpose::landscape);
    generate(w.land, c.bits, c.k, s, w.partners);
  }
  const GlobalMax g = global_max(w.land, w.search);
  {
    auto s = ctx.stream(StreamPurpose::network);
    out.joined = make_network(c.network, c.agents, c.density, c.rewired, s, w.net, w.net_scratch,
                              c.join_components);
  }
  out.components = count_components(w.net, w.net_scratch);
  out.edges = static_cast<double>(w.net.edges());
  out.global_max_fitness = g.fitness;

  auto& ag = w.agents;
  const auto n = static_cast<std::size_t>(c.agents);
  ag.solution.resize(n);
  ag.next.resize(n);
  ag.fitness.resize(n);
  ag.next_fitness.resize(n);
  {
    auto s = ctx.stream(StreamPurpose::starts);
    for (std::size_t a = 0; a < n; ++a) {
      ag.solution[a] = static_cast<std::uint32_t>(s.next_u64() >> (64 - c.bits));
      ag.fitness[a] = w.land.fitness(ag.solution[a]);
    }
  }

  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  for (double& v : out.mean_score) v = nan;
  Scores sc = scores(ag, g.fitness, c.exponent);
  out.mean_score[0] = sc.mean;
  out.rounds_to_equilibrium = nan;
  bool done = absorbed(w.land, w.net, ag);
  if (done) out.rounds_to_equilibrium = 0.0;
  for (int t = 1; t <= c.rounds; ++t) {
    // A stop inside one long organization: partial values, its block dropped by the runner.
    if (stop_requested()) break;
    if (!done) {
      auto s = ctx.stream(StreamPurpose::search, static_cast<std::uint64_t>(t));
      auto v = ctx.stream(StreamPurpose::imitation, static_cast<std::uint64_t>(t));
      const int changed = search_round(w.land, w.net, ag, s, c.imitation, &v);
      if (changed > 0) sc = scores(ag, g.fitness, c.exponent);
      if (absorbed(w.land, w.net, ag)) {  // absorbing: every later round repeats this one
        done = true;
        out.rounds_to_equilibrium = t;
      }
    }
    if (t <= kRecordedRounds) out.mean_score[t] = sc.mean;
  }
  out.final_mean_score = sc.mean;
  out.final_best_score = sc.best;

  std::size_t at_max = 0;
  for (std::uint32_t x : ag.solution) at_max += (x == g.argmax) ? 1 : 0;
  out.share_at_global_max = static_cast<double>(at_max) / static_cast<double>(n);
  w.sorted.assign(ag.solution.begin(), ag.solution.end());
  std::sort(w.sorted.begin(), w.sorted.end());
  out.unique_solutions_final =
      static_cast<double>(std::unique(w.sorted.begin(), w.sorted.end()) - w.sorted.begin());
}

}  // namespace tribe::models::lazer_friedman

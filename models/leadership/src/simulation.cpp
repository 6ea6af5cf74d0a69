#include "tribe/models/leadership/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <span>

#include "tribe/core/stop.hpp"
#include "tribe/models/leadership/sampling.hpp"
#include "tribe/rng/samplers.hpp"

namespace tribe::models::leadership {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::uint64_t attempt_key(std::int32_t challenge, std::int32_t attempt) {
  return (static_cast<std::uint64_t>(challenge) << 32) | static_cast<std::uint32_t>(attempt);
}

// A 32-bit uniform u = k 2^-32 (k the high or low half of a word) compared with a
// probability p: u < p  <=>  k < p 2^32  <=>  k < ceil(p 2^32) for the integer k,
// so the integer threshold ceil(p 2^32) in [0, 2^32] gives exactly the decision
// of the floating-point comparison (p 2^32 is exact: a power-of-two scaling).
inline std::uint64_t threshold32(double p) {
  if (!(p > 0.0)) return 0;
  if (p >= 1.0) return std::uint64_t{1} << 32;
  return static_cast<std::uint64_t>(std::ceil(p * 0x1.0p32));
}
inline std::uint64_t hi32(std::uint64_t x) {
  return x >> 32;
}
inline std::uint64_t lo32(std::uint64_t x) {
  return x & 0xffffffffu;
}
inline double u32(std::uint64_t k) {
  return static_cast<double>(k) * 0x1.0p-32;
}
// floor(u n) for u = k 2^-32 and 0 <= n < 2^31, in integers: k n < 2^63, so this is
// the exact floor of the real product (the same as the previous floating-point
// form, whose product k n 2^-32 is exact in double for n < 2^21).
inline std::int32_t scaled32(std::uint64_t k, std::int32_t n) {
  return static_cast<std::int32_t>((k * static_cast<std::uint64_t>(n)) >> 32);
}

double logistic(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

// The insight decision u < logistic(x) for u = k 2^-32, mostly without exp: u < logistic(x)
// iff logit(u) < x, and logit is increasing, so with the brackets L_j = logit(j / 256), a
// u in [j / 256, (j + 1) / 256) is below logistic(x) when x >= L_{j+1} and not when
// x < L_j. Only an x inside u's bracket (about 1 in 256 decisions) needs the logistic
// itself. The margin keeps the shortcut's decisions identical to `u < logistic(x)` in
// floating point (whose rounding moves the boundary by ~1e-16), so the results are
// the same as computing every logistic.
class InsightDecision {
 public:
  InsightDecision() {
    constexpr double kMargin = 1e-9;
    double logit[257];
    logit[0] = -std::numeric_limits<double>::infinity();
    for (int j = 1; j < 256; ++j) {
      const double u = j / 256.0;
      logit[j] = std::log(u / (1.0 - u));
    }
    logit[256] = std::numeric_limits<double>::infinity();
    // The bracket's bounds with their margins, added once here rather than per decision
    // (the same doubles).
    for (int j = 0; j < 256; ++j) bracket_[j] = {logit[j] - kMargin, logit[j + 1] + kMargin};
  }
  bool operator()(std::uint64_t k, double x) const noexcept {
    const Bracket& b = bracket_[k >> 24];
    if (x >= b.yes_from) return true;
    if (x < b.no_below) return false;
    return u32(k) < logistic(x);
  }

 private:
  struct Bracket {
    double no_below, yes_from;
  };
  Bracket bracket_[256];
};
const InsightDecision kInsightDecision;

// Draws the agents' qualities (independent Beta(mean, concentration) per quality).
void draw_qualities(const Config& cfg, const model::OrgContext& ctx, Scratch& ws) {
  const auto n = static_cast<std::size_t>(cfg.agents);
  const double means[3] = {cfg.aligned, cfg.proactive, cfg.collaborative};
  std::vector<double>* dest[3] = {&ws.aligned, &ws.proactive, &ws.collaborative};
  for (int q = 0; q < 3; ++q) {
    auto s = ctx.stream(StreamPurpose::qualities, static_cast<std::uint64_t>(q));
    const BetaMean& draw = ws.quality_beta[q].get(means[q], cfg.concentration);
    dest[q]->resize(n);
    double* const out = dest[q]->data();
    for (std::size_t i = 0; i < n; ++i) out[i] = draw(s);
  }
}

// Marks the hero (top leader) and `hero_managers` hero-like managers drawn
// uniformly without replacement among the other leaders.
void choose_heroes(const Config& cfg, const model::OrgContext& ctx, Scratch& ws) {
  const std::int32_t n = cfg.agents;
  ws.is_hero.assign(static_cast<std::size_t>(n), 0);
  if (cfg.hero) ws.is_hero[0] = 1;
  if (cfg.hero_managers <= 0) return;
  auto& pool = ws.tmp_i32;
  pool.clear();
  for (std::int32_t i = 1; i < n; ++i)
    if (ws.tree.reports(i) > 0) pool.push_back(i);
  auto s = ctx.stream(StreamPurpose::heroes);
  const auto k = std::min<std::size_t>(static_cast<std::size_t>(cfg.hero_managers), pool.size());
  for (std::size_t j = 0; j < k; ++j) {
    const auto r = j + rng::uniform_index(s, pool.size() - j);
    std::swap(pool[j], pool[r]);
    ws.is_hero[static_cast<std::size_t>(pool[j])] = 1;
  }
}

// Uniform integer in [0, n), 1 <= n < 2^32, from the 32-bit value x (Lemire 2019,
// multiply-shift with rejection, on 32 bits): exactly uniform; a rejection (probability
// below n / 2^32) draws a fresh 32-bit value from `s`.
inline std::uint32_t index32(std::uint64_t x, std::uint64_t n, rng::Stream& s) {
  std::uint64_t m = x * n;
  if ((m & 0xffffffffu) < n) {
    const std::uint64_t threshold = (std::uint64_t{1} << 32) % n;
    while ((m & 0xffffffffu) < threshold) m = lo32(s.next_u64()) * n;
  }
  return static_cast<std::uint32_t>(m >> 32);
}

// Poisson arrivals over the whole organization (rate arrival_rate * N per step).
void draw_arrivals(const Config& cfg, const model::OrgContext& ctx, Scratch& ws) {
  ws.challenges.clear();
  const double rate = cfg.arrival_rate * cfg.agents;
  if (rate <= 0.0) return;
  auto s = ctx.stream(StreamPurpose::arrivals);
  // Extra workable steps G ~ Geometric(1 / deadline_mean) as floor(E / -log(1 - p)),
  // E ~ Exp(1), as in rng::geometric, with log(1 - p) computed once.
  const double p_deadline = 1.0 / cfg.deadline_mean;
  const double inv_rate = p_deadline < 1.0 ? -1.0 / std::log1p(-p_deadline) : 0.0;
  const BetaMean& difficulty =
      ws.difficulty_beta.get(cfg.difficulty_mean, cfg.difficulty_concentration);
  const std::uint64_t t_front = threshold32(cfg.front_line_share);
  const auto& leaves = ws.tree.leaves;
  const auto n_leaves = static_cast<std::uint64_t>(leaves.size());
  const auto n_agents = static_cast<std::uint64_t>(cfg.agents);
  // One challenge arising at `step`: place (front line or anywhere: the two 32-bit
  // halves of one word), difficulty, deadline.
  const auto arise = [&](std::int32_t step) {
    const std::uint64_t w = s.next_u64();
    const std::int32_t where = hi32(w) < t_front
                                   ? leaves[index32(lo32(w), n_leaves, s)]
                                   : static_cast<std::int32_t>(index32(lo32(w), n_agents, s));
    const double d = difficulty(s);
    // floor(g) by truncation (g >= 0; floor(g) >= 1e9 iff g >= 1e9).
    const double g = p_deadline < 1.0 ? rng::exponential(s) * inv_rate : 0.0;
    const auto extra = g >= 1.0e9 ? std::uint64_t{1} << 30 : static_cast<std::uint64_t>(g);
    const std::int64_t last = static_cast<std::int64_t>(step) +
                              static_cast<std::int64_t>(std::min<std::uint64_t>(extra, 1u << 30));
    ws.challenges.push_back(Scratch::Challenge{where, step, static_cast<std::int32_t>(last),
                                               last + 1 < cfg.steps ? 1 : 0, d});
  };
  // Exponential gaps in continuous time; the arrival step is the integer part.
  double t = 0.0;
  for (std::uint64_t drawn = 1;; ++drawn) {
    if ((drawn & 4095) == 0 && stop_requested()) break;  // see run_dynamics
    t += rng::exponential(s) / rate;
    if (t >= cfg.steps) break;
    arise(static_cast<std::int32_t>(t));
  }
}

// One run of the dynamics. `heroes_on` false: the same organization with its
// heroes absent — each replaced by the ordinary agent drawn for its place — while
// the organization's heroic mindset (hero_deference) stays: it is a property of the
// people ("we can't lead like Joe"), who still wait for a hero who is not involved.
void run_dynamics(const Config& cfg, const model::OrgContext& ctx, Scratch& ws, bool heroes_on,
                  RunCounts& out) {
  RunCounts rc{};  // local: the counters stay out of reach of the stores below
  const Tree& tree = ws.tree;
  const Ties& ties = ws.ties;
  const std::int32_t n = cfg.agents;
  const auto un = static_cast<std::size_t>(n);
  const auto K = static_cast<std::int32_t>(ws.challenges.size());
  const auto uK = static_cast<std::size_t>(K);
  const std::int64_t T = cfg.steps;

  bool has_heroes = false;
  for (std::size_t i = 0; i < un && !has_heroes; ++i) has_heroes = ws.is_hero[i] != 0;
  const bool any_hero = heroes_on && has_heroes;
  const auto hero_cap = static_cast<std::int32_t>(
      std::max(1.0, std::floor(static_cast<double>(cfg.capacity) * cfg.hero_capacity)));
  const double deference = has_heroes ? 1.0 - cfg.hero_deference : 1.0;

  // Agents as seen by this run: qualities in effect (heroes' own qualities replace
  // the drawn ones), capacities, decision thresholds, queue state, structure.
  ws.agents.resize(un);
  Scratch::Agent* const ag = ws.agents.data();
  for (std::size_t i = 0; i < un; ++i) {
    Scratch::Agent& x = ag[i];
    const bool hero = any_hero && ws.is_hero[i] != 0;
    x.a = hero ? cfg.hero_quality : ws.aligned[i];
    x.p = hero ? cfg.hero_quality : ws.proactive[i];
    x.c = hero ? cfg.hero_quality : ws.collaborative[i];
    x.busy_step = -1;
    x.busy_count = 0;
    x.capacity = hero ? hero_cap : cfg.capacity;
    x.parent = tree.parent[i];
    x.child_start = tree.child_start[i];
    x.reports = tree.child_start[i + 1] - tree.child_start[i];
    x.tie_start = ties.start[i];
    x.degree = ties.start[i + 1] - ties.start[i];
    x.hero = hero ? 1 : 0;
    x.leader = x.reports > 0 ? 1 : 0;
    x.t_act = threshold32(x.p * (hero ? 1.0 : deference));
    x.t_lat = x.degree > 0 ? threshold32(x.c) : 0;
  }
  const std::uint64_t t_route = threshold32(cfg.control);
  ws.events.assign(un, 0);
  ws.reliance.assign(un, 0);
  ws.pairs.clear();
  std::uint32_t* const events = ws.events.data();
  std::uint32_t* const relied_on = ws.reliance.data();
  const Scratch::Challenge* const ch = ws.challenges.data();
  ws.open.resize(uK);
  Scratch::Open* const open = ws.open.data();
  for (std::size_t c = 0; c < uK; ++c) open[c] = Scratch::Open{ch[c].origin, 1, 0, -1, 0, -1, 0, 0};
  const std::int32_t* const adj = ties.adj.data();
  const std::int32_t* const children = tree.children.data();
  // Calendar: one FIFO list per step of the challenges whose item is due then (items at
  // or after T are censored and never stored). Within a step, items run in the order
  // they were scheduled. A challenge has one item at a time, so the list runs through
  // the challenges themselves (Open::next).
  ws.bucket_head.assign(static_cast<std::size_t>(T), -1);
  ws.bucket_tail.assign(static_cast<std::size_t>(T), -1);
  std::int32_t* const head = ws.bucket_head.data();
  std::int32_t* const tail = ws.bucket_tail.data();
  const rng::Stream::Engine::key_type key{
      {ctx.seed, static_cast<std::uint64_t>(StreamPurpose::interactions)}};

  // FIFO queue with `capacity` items per step, kept as (last busy step, items at it):
  // items reach an agent in non-decreasing ready order, so an item is served at
  // the first step >= ready with a free slot.
  const auto enqueue = [&](std::int32_t a, std::int64_t ready, std::int32_t c, std::int32_t kind,
                           std::int32_t partner) {
    Scratch::Agent& x = ag[a];
    const std::int32_t cap = x.capacity;
    std::int64_t ahead = 0;
    if (x.busy_step < ready) {
      x.busy_step = ready;
      x.busy_count = 1;
    } else {
      ahead = (x.busy_step - ready) * cap + x.busy_count;
      if (x.busy_count < cap) {
        ++x.busy_count;
      } else {
        ++x.busy_step;
        x.busy_count = 1;
      }
    }
    if (x.leader && ready < T) {
      ++rc.leader_items;
      rc.leader_ahead_sum += static_cast<double>(ahead);
      rc.leader_ahead_max =
          std::max<std::uint64_t>(rc.leader_ahead_max, static_cast<std::uint64_t>(ahead));
    }
    // A challenge whose deadline passes while it waits fails at last + 1.
    const std::int64_t at =
        std::min<std::int64_t>(x.busy_step, static_cast<std::int64_t>(ch[c].last) + 1);
    if (at >= T) return;
    Scratch::Open& oc = open[c];
    oc.kind = kind;
    oc.partner = partner;
    oc.next = -1;
    if (tail[at] < 0)
      head[at] = c;
    else
      open[tail[at]].next = c;
    tail[at] = c;
  };

  // An interaction of holder h with partner p (or -1) and joining manager m (or -1).
  // (decide and interact are forced inline into the step loop: measured ~8% faster.)
  const auto interact = [&](std::int32_t c, std::int64_t s, std::int32_t h, std::int32_t p,
                            std::int32_t m, std::uint64_t w2, std::uint64_t w3)
      __attribute__((always_inline)) {
    const Scratch::Challenge& cc = ch[c];
    const double u_conflict = u32(hi32(w2)), u_mission = u32(hi32(w3));
    const Scratch::Agent& xh = ag[h];
    double a = xh.a, pr = xh.p, co = xh.c;
    bool hero_in = xh.hero != 0, top_in = h == 0;
    int k = 1;
    // The partner, then the manager (the order of the sums is the results' own).
    const auto join = [&](std::int32_t who) {
      const Scratch::Agent& x = ag[who];
      a += x.a;
      pr += x.p;
      co += x.c;
      hero_in = hero_in || x.hero != 0;
      top_in = top_in || who == 0;
      ++k;
    };
    if (p >= 0) join(p);
    if (m >= 0) join(m);
    // The participants' means. x / 2 and x * 0.5 are the same double, and the product
    // spares the conflict and insight tests a division's latency in the common case of
    // two participants (an interaction has a partner, a manager or both: k is 2 or 3).
    if (k == 3) {
      a /= 3;
      pr /= 3;
      co /= 3;
    } else if (k == 2) {
      a *= 0.5;
      pr *= 0.5;
      co *= 0.5;
    }
    ++rc.interactions;
    rc.interactions_with_leader += (m >= 0 || xh.parent < 0) ? 1 : 0;
    if (u_conflict < cfg.conflict_scale * pr * (1.0 - co)) {
      ++rc.all_conflicts;
      rc.conflicts += static_cast<std::uint64_t>(cc.eligible);
    } else {
      const double x = cfg.insight_bias + cfg.insight_alignment * (a - 0.5) +
                       cfg.insight_collaboration * (co - 0.5) -
                       cfg.insight_difficulty * (cc.difficulty - 0.5);
      bool insight;
      if (hero_in) {  // a hero raises p to p + hero_boost (1 - p)
        double pi = logistic(x);
        pi += cfg.hero_boost * (1.0 - pi);
        insight = u32(lo32(w2)) < pi;
      } else {
        insight = kInsightDecision(lo32(w2), x);
      }
      if (insight) {
        const bool mission = u_mission < a;
        ++rc.insights;
        rc.insights_with_top += top_in ? 1 : 0;
        rc.insights_with_hero += hero_in ? 1 : 0;
        // m, when present, is a manager; h or p may lead others too.
        rc.insights_with_manager +=
            (m >= 0 || xh.leader != 0 || (p >= 0 && ag[p].leader != 0)) ? 1 : 0;
        ++rc.insights_by_size[k];
        ++events[h];
        if (p >= 0) ++events[p];
        if (m >= 0) ++events[m];
        const auto link = [&](std::int32_t x, std::int32_t y) {
          const auto lo = static_cast<std::uint64_t>(std::min(x, y));
          const auto hi = static_cast<std::uint64_t>(std::max(x, y));
          ws.pairs.push_back(lo << 32 | hi);
        };
        if (p >= 0) link(h, p);
        if (m >= 0) link(h, m);
        if (p >= 0 && m >= 0) link(p, m);
        ++rc.solutions;
        rc.solutions_at_origin += h == cc.origin ? 1 : 0;
        if (cc.eligible) {
          ++rc.solved;
          rc.solved_aligned += mission ? 1 : 0;
          rc.misdirected += mission ? 0 : 1;
          rc.time_to_solve_sum += static_cast<double>(s - cc.arrival);
        }
        return;
      }
    }
    enqueue(h, s + 1, c, 0, -1);  // the challenge stays; the holder decides again
  };

  // The holder of challenge c decides at step s.
  const auto decide = [&](std::int32_t c, std::int64_t s) __attribute__((always_inline)) {
    Scratch::Open& oc = open[c];
    const std::int32_t h = oc.holder;
    const std::int32_t attempt = oc.attempts++;
    // One Philox block per attempt: words 0-1 for the decision, 2-3 for the interaction
    // (the first block of the stream (seed, interactions, organization, attempt key, domain)).
    const auto blk = rng::Stream::Engine{}(
        rng::Stream::Engine::ctr_type{{ctx.organization, 0, attempt_key(c, attempt), ctx.domain}},
        key);
    ++rng::tls_philox_calls;
    const std::uint64_t w0 = blk.v[0], w1 = blk.v[1], w2 = blk.v[2], w3 = blk.v[3];
    const Scratch::Agent& xh = ag[h];
    const std::int32_t m = xh.parent;
    if (m >= 0) {
      ++rc.decisions;
      if (hi32(w0) >= xh.t_act) {  // look up the chart
        ++rc.escalations;
        ++relied_on[m];
        oc.holder = m;
        ++oc.holders;
        enqueue(m, s + 1, c, 0, -1);
        return;
      }
    }
    if (lo32(w0) < xh.t_lat) {  // a lateral partner (t_lat is 0 without ties)
      const std::int32_t p = adj[xh.tie_start + scaled32(hi32(w1), xh.degree)];
      ++rc.lateral;
      ++relied_on[p];
      if (m >= 0 && lo32(w1) < t_route) {  // must go through (and be joined by) the manager
        ++rc.routed;
        ++relied_on[m];
        oc.w2 = w2;
        oc.w3 = w3;
        enqueue(m, s + 1, c, 1, p);
      } else {
        interact(c, s, h, p, -1, w2, w3);
      }
      return;
    }
    if (m >= 0) {  // upward: the manager joins when it processes the request
      ++rc.upward;
      ++relied_on[m];
      oc.w2 = w2;
      oc.w3 = w3;
      enqueue(m, s + 1, c, 1, -1);
      return;
    }
    // The top leader without a lateral partner pulls in one of its reports.
    const std::int32_t p = children[xh.child_start + scaled32(hi32(w1), xh.reports)];
    ++rc.root_pulls;  // direction down the chart, not reliance: not a reliance event
    interact(c, s, h, p, -1, w2, w3);
  };

  std::int32_t next = 0;
  for (std::int64_t t = 0; t < T; ++t) {
    // A stop requested inside one long organization ends it here; its values are partial,
    // and the runner drops its block (computed again by the resume).
    if ((t & 255) == 0 && stop_requested()) break;
    // Challenges arising at step t join their holders' queues first.
    while (next < K && ch[next].arrival == t) {
      const std::int32_t c = next++;
      ++rc.challenges;
      rc.eligible += static_cast<std::uint64_t>(ch[c].eligible);
      enqueue(ch[c].origin, t, c, 0, -1);
    }
    // Then the items due at step t, in the order they were scheduled (items
    // scheduled while processing step t are due at t + 1 or later).
    std::int32_t c = head[t];
    while (c >= 0) {
      const Scratch::Open oc = open[c];  // its item (processing may schedule the next one)
      const std::int32_t due = c;
      c = oc.next;
      if (t > ch[due].last) {  // past its deadline: crash and burn
        ++rc.failed;           // (last + 1 < T here, so the challenge is eligible)
        rc.blame += static_cast<std::uint64_t>(oc.holders);
        continue;
      }
      if (oc.kind == 0)  // the manager that joins is the holder's (the holder has not moved)
        decide(due, t);
      else
        interact(due, t, oc.holder, oc.partner, ag[oc.holder].parent, oc.w2, oc.w3);
    }
  }
  for (std::size_t i = 0; i < un; ++i) rc.reliance_events += relied_on[i];
  out = rc;
}

}  // namespace

void simulate_organization(const Config& cfg, const model::OrgContext& ctx, Scratch& ws,
                           OrgResult& out) {
  out = OrgResult{};
  {
    auto s = ctx.stream(StreamPurpose::structure);
    generate_parents(cfg.structure, cfg.agents, cfg.span, cfg.span_spread, s, ws.tree.parent,
                     ws.tmp_i32);
    finish_tree(ws.tree, ws.tmp_i32);
  }
  {
    auto s = ctx.stream(StreamPurpose::ties);
    generate_ties(ws.tree, cfg.tie_within, cfg.tie_across, s, ws.ties);
  }
  draw_qualities(cfg, ctx, ws);
  choose_heroes(cfg, ctx, ws);
  draw_arrivals(cfg, ctx, ws);

  const auto un = static_cast<std::size_t>(cfg.agents);
  out.depth = ws.tree.max_depth;
  out.max_span = ws.tree.max_span;
  out.lateral_ties = ws.ties.count();
  double sa = 0, sp = 0, sc = 0;
  for (std::size_t i = 0; i < un; ++i) {
    const bool h = ws.is_hero[i] != 0;
    out.hero_present = out.hero_present || h;
    sa += h ? cfg.hero_quality : ws.aligned[i];
    sp += h ? cfg.hero_quality : ws.proactive[i];
    sc += h ? cfg.hero_quality : ws.collaborative[i];
  }
  out.mean_aligned = sa / static_cast<double>(un);
  out.mean_proactive = sp / static_cast<double>(un);
  out.mean_collaborative = sc / static_cast<double>(un);

  if (out.hero_present) run_dynamics(cfg, ctx, ws, false, out.counterfactual);
  run_dynamics(cfg, ctx, ws, true, out.run);  // last, so ws.events holds this run's events

  const std::span<const std::uint32_t> ev(ws.events.data(), un);
  out.breadth = breadth(ev);
  out.evenness = evenness(ev, ws.sorted);
  out.leader_share = leader_share(out.run.insights_with_top, out.run.insights);
  out.manager_share = leader_share(out.run.insights_with_manager, out.run.insights);
  const NetworkMeasures net = leadership_network(cfg.agents, ws.pairs, ws.degree, ws.seen);
  out.density = net.density;
  out.centralization = net.centralization;
  out.evenness_vs_chance =
      evenness_vs_chance(out.evenness, chance_evenness(cfg.agents, out.run.insights_by_size));
  std::uint64_t size_squared = 0;  // sum over insights of (participants)^2
  for (std::uint64_t k = 1; k < 4; ++k) size_squared += k * k * out.run.insights_by_size[k];
  out.moment_evenness_vs_chance = simpson_evenness_vs_chance(ev, size_squared);
  ws.formal.resize(un);
  for (std::size_t i = 0; i < un; ++i)
    ws.formal[i] = ws.tree.reports(static_cast<std::int32_t>(i)) > 0 ? 1 : 0;
  out.reliance =
      reliance_measures(std::span<const std::uint32_t>(ws.reliance.data(), un), ws.formal);
  out.reliance_top5pct_share =
      top_fraction_share(std::span<const std::uint32_t>(ws.reliance.data(), un), 0.05, ws.sorted);
}

namespace {
double ratio(double num, double den) {
  return den > 0 ? num / den : kNaN;
}
double solve_rate(const RunCounts& r) {
  return ratio(static_cast<double>(r.solved), static_cast<double>(r.eligible));
}
}  // namespace

void write_row(const Config& cfg, const OrgResult& r, model::RowWriter& out) {
  const RunCounts& c = r.run;
  const auto e = static_cast<double>(c.eligible);
  const double aligned_rate = ratio(static_cast<double>(c.solved_aligned), e);
  // drawn
  out("depth", r.depth);
  out("max_span", r.max_span);
  out("lateral_ties", static_cast<double>(r.lateral_ties));
  out("hero_present", r.hero_present ? 1.0 : 0.0);
  out("mean_aligned", r.mean_aligned);
  out("mean_proactive", r.mean_proactive);
  out("mean_collaborative", r.mean_collaborative);
  // outcomes
  out("challenges", static_cast<double>(c.challenges));
  out("censored", static_cast<double>(c.challenges - c.eligible));
  out("solve_rate", solve_rate(c));
  out("aligned_solve_rate", aligned_rate);
  // Empirical log-odds (Haldane-Anscombe +1/2): finite for 0 and all solved.
  out("aligned_solve_logit", e > 0 ? std::log((static_cast<double>(c.solved_aligned) + 0.5) /
                                              (e - static_cast<double>(c.solved_aligned) + 0.5))
                                   : kNaN);
  out("mean_time_to_solve", ratio(c.time_to_solve_sum, static_cast<double>(c.solved)));
  out("front_line_initiative",
      ratio(static_cast<double>(c.solutions_at_origin), static_cast<double>(c.solutions)));
  out("escalation_rate",
      ratio(static_cast<double>(c.escalations), static_cast<double>(c.decisions)));
  out("queue_mean", ratio(c.leader_ahead_sum, static_cast<double>(c.leader_items)));
  out("queue_max", static_cast<double>(c.leader_ahead_max));
  out("conflicts_per_challenge", ratio(static_cast<double>(c.conflicts), e));
  out("misdirected_per_challenge", ratio(static_cast<double>(c.misdirected), e));
  out("failures_per_challenge", ratio(static_cast<double>(c.failed), e));
  out("blame_per_challenge", ratio(static_cast<double>(c.blame), e));
  out("leadership_breadth", r.breadth);
  out("leadership_evenness", r.evenness);
  out("leader_share", r.leader_share);
  out("manager_share", r.manager_share);
  out("leadership_density", r.density);
  out("leadership_centralization", r.centralization);
  out("evenness_vs_chance", r.evenness_vs_chance);
  out("reliance_events", static_cast<double>(c.reliance_events));
  out("reliance_top_share", r.reliance.top_share);
  out("reliance_formal_share", r.reliance.formal_share);
  out("reliance_evenness_vs_chance", r.reliance.evenness_vs_chance);
  out("reliance_top5pct_share", r.reliance_top5pct_share);
  out("moment_evenness_vs_chance", r.moment_evenness_vs_chance);
  out("hero_dependence", r.hero_present ? solve_rate(c) - solve_rate(r.counterfactual) : kNaN);
  out("distributed", is_distributed(cfg.thresholds, r.reliance.top_share, r.reliance.formal_share,
                                    r.reliance.evenness_vs_chance)
                         ? 1.0
                         : 0.0);
  out("distributed_network",
      is_distributed_network(cfg.dl_breadth, cfg.dl_centralization, r.breadth, r.centralization)
          ? 1.0
          : 0.0);
}

}  // namespace tribe::models::leadership

#include "tribe/models/leadership/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <span>

#include "tribe/models/leadership/sampling.hpp"
#include "tribe/rng/samplers.hpp"

namespace tribe::models::leadership {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

rng::Stream stream(const model::OrgContext& ctx, StreamPurpose purpose,
                   std::uint64_t substream = 0) {
  return rng::Stream(ctx.seed, static_cast<std::uint64_t>(purpose), ctx.organization, substream,
                     ctx.domain);
}

std::uint64_t attempt_key(std::int32_t challenge, std::int32_t attempt) {
  return (static_cast<std::uint64_t>(challenge) << 32) | static_cast<std::uint32_t>(attempt);
}

// Two uniforms on [0, 1) with 32 random bits each from one 64-bit word.
inline double hi32(std::uint64_t x) {
  return static_cast<double>(x >> 32) * 0x1.0p-32;
}
inline double lo32(std::uint64_t x) {
  return static_cast<double>(x & 0xffffffffu) * 0x1.0p-32;
}

double logistic(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

// Draws the agents' qualities (independent Beta(mean, concentration) per quality).
void draw_qualities(const Config& cfg, const model::OrgContext& ctx, Scratch& ws) {
  const auto n = static_cast<std::size_t>(cfg.agents);
  const double means[3] = {cfg.aligned, cfg.proactive, cfg.collaborative};
  std::vector<double>* dest[3] = {&ws.aligned, &ws.proactive, &ws.collaborative};
  for (int q = 0; q < 3; ++q) {
    auto s = stream(ctx, StreamPurpose::qualities, static_cast<std::uint64_t>(q));
    dest[q]->resize(n);
    for (std::size_t i = 0; i < n; ++i) (*dest[q])[i] = beta_mean(s, means[q], cfg.concentration);
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
  auto s = stream(ctx, StreamPurpose::heroes);
  const auto k = std::min<std::size_t>(static_cast<std::size_t>(cfg.hero_managers), pool.size());
  for (std::size_t j = 0; j < k; ++j) {
    const auto r = j + rng::uniform_index(s, pool.size() - j);
    std::swap(pool[j], pool[r]);
    ws.is_hero[static_cast<std::size_t>(pool[j])] = 1;
  }
}

// Poisson arrivals over the whole organization (rate arrival_rate * N per step).
void draw_arrivals(const Config& cfg, const model::OrgContext& ctx, Scratch& ws) {
  ws.origin.clear();
  ws.arrival.clear();
  ws.last.clear();
  ws.difficulty.clear();
  ws.eligible.clear();
  const double rate = cfg.arrival_rate * cfg.agents;
  if (rate <= 0.0) return;
  auto s = stream(ctx, StreamPurpose::arrivals);
  // Extra workable steps G ~ Geometric(1 / deadline_mean) by inversion, as in
  // rng::geometric, with log(1 - p) computed once.
  const double p_deadline = 1.0 / cfg.deadline_mean;
  const double inv_log_q = p_deadline < 1.0 ? 1.0 / std::log1p(-p_deadline) : 0.0;
  const auto& leaves = ws.tree.leaves;
  double t = 0.0;
  for (;;) {
    t += rng::exponential(s) / rate;
    if (t >= cfg.steps) break;
    const auto step = static_cast<std::int32_t>(t);
    const double u_front = rng::uniform(s);
    const auto u_place = s.next_u64();
    std::int32_t where;
    if (u_front < cfg.front_line_share)
      where =
          leaves[static_cast<std::size_t>(rng::u01(u_place) * static_cast<double>(leaves.size()))];
    else
      where = static_cast<std::int32_t>(rng::u01(u_place) * cfg.agents);
    const double d = beta_mean(s, cfg.difficulty_mean, cfg.difficulty_concentration);
    const double g =
        p_deadline < 1.0 ? std::floor(std::log(rng::u01_open_low(s.next_u64())) * inv_log_q) : 0.0;
    const auto extra = g >= 1.0e9 ? std::uint64_t{1} << 30 : static_cast<std::uint64_t>(g);
    const std::int64_t last = static_cast<std::int64_t>(step) +
                              static_cast<std::int64_t>(std::min<std::uint64_t>(extra, 1u << 30));
    ws.origin.push_back(where);
    ws.arrival.push_back(step);
    ws.last.push_back(static_cast<std::int32_t>(last));
    ws.difficulty.push_back(d);
    ws.eligible.push_back(last + 1 < cfg.steps ? 1 : 0);
  }
}

// One run of the dynamics. `heroes_on` false: the same organization with its
// heroes replaced by the ordinary agents drawn for their places.
void run_dynamics(const Config& cfg, const model::OrgContext& ctx, Scratch& ws, bool heroes_on,
                  RunCounts& rc) {
  rc = RunCounts{};
  const Tree& tree = ws.tree;
  const Ties& ties = ws.ties;
  const std::int32_t n = cfg.agents;
  const auto un = static_cast<std::size_t>(n);
  const auto K = static_cast<std::int32_t>(ws.origin.size());
  const auto uK = static_cast<std::size_t>(K);
  const std::int64_t T = cfg.steps;

  bool any_hero = false;
  if (heroes_on)
    for (std::size_t i = 0; i < un && !any_hero; ++i) any_hero = ws.is_hero[i] != 0;
  const auto hero_cap = static_cast<std::int32_t>(
      std::max(1.0, std::floor(static_cast<double>(cfg.capacity) * cfg.hero_capacity)));
  const double deference = any_hero ? 1.0 - cfg.hero_deference : 1.0;

  ws.busy_step.assign(un, -1);
  ws.busy_count.assign(un, 0);
  ws.capacity.assign(un, cfg.capacity);
  ws.events.assign(un, 0);
  if (any_hero)
    for (std::size_t i = 0; i < un; ++i)
      if (ws.is_hero[i]) ws.capacity[i] = hero_cap;
  ws.holder.assign(ws.origin.begin(), ws.origin.end());
  ws.holders.assign(uK, 1);
  ws.attempts.assign(uK, 0);
  ws.pending.resize(2 * uK);
  // Calendar of events: one FIFO list per step (events at or after T are censored
  // and never stored). Within a step, events run in the order they were created.
  ws.events_pool.clear();
  ws.bucket_head.assign(static_cast<std::size_t>(T), -1);
  ws.bucket_tail.assign(static_cast<std::size_t>(T), -1);
  std::int32_t free_list = -1;

  // Qualities in effect in this run (heroes' own qualities replace the drawn ones).
  ws.eff_a.assign(ws.aligned.begin(), ws.aligned.begin() + n);
  ws.eff_p.assign(ws.proactive.begin(), ws.proactive.begin() + n);
  ws.eff_c.assign(ws.collaborative.begin(), ws.collaborative.begin() + n);
  if (any_hero)
    for (std::size_t i = 0; i < un; ++i)
      if (ws.is_hero[i]) ws.eff_a[i] = ws.eff_p[i] = ws.eff_c[i] = cfg.hero_quality;
  const double* const qa = ws.eff_a.data();
  const double* const qp = ws.eff_p.data();
  const double* const qc = ws.eff_c.data();
  const std::uint8_t* const heroes = ws.is_hero.data();
  const auto hero_at = [&](std::int32_t i) { return any_hero && heroes[i] != 0; };
  const auto A = [&](std::int32_t i) { return qa[i]; };
  const auto P = [&](std::int32_t i) { return qp[i]; };
  const auto C = [&](std::int32_t i) { return qc[i]; };

  // FIFO queue with `capacity` items per step, kept as (last busy step, items at it):
  // items reach an agent in non-decreasing ready order, so an item is served at
  // the first step >= ready with a free slot.
  const auto enqueue = [&](std::int32_t a, std::int64_t ready, std::int32_t c, std::int32_t kind,
                           std::int32_t partner) {
    const auto ua = static_cast<std::size_t>(a);
    const std::int32_t cap = ws.capacity[ua];
    std::int64_t ahead = 0;
    if (ws.busy_step[ua] < ready) {
      ws.busy_step[ua] = ready;
      ws.busy_count[ua] = 1;
    } else {
      ahead = (ws.busy_step[ua] - ready) * cap + ws.busy_count[ua];
      if (ws.busy_count[ua] < cap) {
        ++ws.busy_count[ua];
      } else {
        ++ws.busy_step[ua];
        ws.busy_count[ua] = 1;
      }
    }
    if (tree.reports(a) > 0 && ready < T) {
      ++rc.leader_items;
      rc.leader_ahead_sum += static_cast<double>(ahead);
      rc.leader_ahead_max =
          std::max<std::uint64_t>(rc.leader_ahead_max, static_cast<std::uint64_t>(ahead));
    }
    // A challenge whose deadline passes while it waits fails at last + 1.
    const std::int64_t at =
        std::min<std::int64_t>(ws.busy_step[ua], ws.last[static_cast<std::size_t>(c)] + 1);
    if (at >= T) return;
    std::int32_t id;
    if (free_list >= 0) {
      id = free_list;
      free_list = ws.events_pool[static_cast<std::size_t>(id)].next;
    } else {
      id = static_cast<std::int32_t>(ws.events_pool.size());
      ws.events_pool.emplace_back();
    }
    ws.events_pool[static_cast<std::size_t>(id)] = Scratch::Event{c, a, partner, kind, -1};
    const auto ub = static_cast<std::size_t>(at);
    if (ws.bucket_tail[ub] < 0)
      ws.bucket_head[ub] = id;
    else
      ws.events_pool[static_cast<std::size_t>(ws.bucket_tail[ub])].next = id;
    ws.bucket_tail[ub] = id;
  };

  // An interaction of holder h with partner p (or -1) and joining manager m (or -1).
  const auto interact = [&](std::int32_t c, std::int64_t s, std::int32_t h, std::int32_t p,
                            std::int32_t m, std::uint64_t w2, std::uint64_t w3) {
    const auto uc = static_cast<std::size_t>(c);
    const bool elig = ws.eligible[uc] != 0;
    const double u_conflict = hi32(w2), u_insight = lo32(w2), u_mission = hi32(w3);
    std::int32_t who[3];
    int k = 0;
    who[k++] = h;
    if (p >= 0) who[k++] = p;
    if (m >= 0) who[k++] = m;
    double a = 0, pr = 0, co = 0;
    bool hero_in = false, top_in = false;
    for (int j = 0; j < k; ++j) {
      a += A(who[j]);
      pr += P(who[j]);
      co += C(who[j]);
      hero_in = hero_in || hero_at(who[j]);
      top_in = top_in || who[j] == 0;
    }
    a /= k;
    pr /= k;
    co /= k;
    ++rc.interactions;
    if (m >= 0 || tree.parent[static_cast<std::size_t>(h)] < 0) ++rc.interactions_with_leader;
    bool solved = false;
    if (u_conflict < cfg.conflict_scale * pr * (1.0 - co)) {
      ++rc.all_conflicts;
      if (elig) ++rc.conflicts;
    } else {
      double pi = logistic(cfg.insight_bias + cfg.insight_alignment * (a - 0.5) +
                           cfg.insight_collaboration * (co - 0.5) -
                           cfg.insight_difficulty * (ws.difficulty[uc] - 0.5));
      if (hero_in) pi += cfg.hero_boost * (1.0 - pi);
      if (u_insight < pi) {
        solved = true;
        const bool mission = u_mission < a;
        ++rc.insights;
        if (top_in) ++rc.insights_with_top;
        if (hero_in) ++rc.insights_with_hero;
        for (int j = 0; j < k; ++j) ++ws.events[static_cast<std::size_t>(who[j])];
        ++rc.solutions;
        if (h == ws.origin[uc]) ++rc.solutions_at_origin;
        if (elig) {
          ++rc.solved;
          if (mission)
            ++rc.solved_aligned;
          else
            ++rc.misdirected;
          rc.time_to_solve_sum += static_cast<double>(s - ws.arrival[uc]);
        }
      }
    }
    if (!solved) enqueue(h, s + 1, c, 0, -1);  // the challenge stays; the holder decides again
  };

  // The holder of challenge c decides at step s.
  const auto decide = [&](std::int32_t c, std::int64_t s) {
    const auto uc = static_cast<std::size_t>(c);
    const std::int32_t h = ws.holder[uc];
    const std::int32_t attempt = ws.attempts[uc]++;
    // One Philox block per attempt: words 0-1 for the decision, 2-3 for the interaction.
    auto st = stream(ctx, StreamPurpose::interactions, attempt_key(c, attempt));
    const std::uint64_t w0 = st.next_u64(), w1 = st.next_u64(), w2 = st.next_u64(),
                        w3 = st.next_u64();
    const double u_act = hi32(w0), u_lateral = lo32(w0), u_partner = hi32(w1), u_route = lo32(w1);
    const std::int32_t m = tree.parent[static_cast<std::size_t>(h)];
    if (m >= 0) {
      ++rc.decisions;
      const double p_act = P(h) * (hero_at(h) ? 1.0 : deference);
      if (!(u_act < p_act)) {  // look up the chart
        ++rc.escalations;
        ws.holder[uc] = m;
        ++ws.holders[uc];
        enqueue(m, s + 1, c, 0, -1);
        return;
      }
    }
    const std::int32_t degree = ties.degree(h);
    if (degree > 0 && u_lateral < C(h)) {
      const std::int32_t p = ties.adj[static_cast<std::size_t>(
          ties.start[static_cast<std::size_t>(h)] +
          static_cast<std::int32_t>(u_partner * static_cast<double>(degree)))];
      ++rc.lateral;
      if (m >= 0 && u_route < cfg.control) {  // must go through (and be joined by) the manager
        ++rc.routed;
        ws.pending[2 * uc] = w2;
        ws.pending[2 * uc + 1] = w3;
        enqueue(m, s + 1, c, 1, p);
      } else {
        interact(c, s, h, p, -1, w2, w3);
      }
      return;
    }
    if (m >= 0) {  // upward: the manager joins when it processes the request
      ++rc.upward;
      ws.pending[2 * uc] = w2;
      ws.pending[2 * uc + 1] = w3;
      enqueue(m, s + 1, c, 1, -1);
      return;
    }
    // The top leader without a lateral partner pulls in one of its reports.
    const std::int32_t r = tree.reports(h);
    const std::int32_t p = tree.children[static_cast<std::size_t>(
        tree.child_start[static_cast<std::size_t>(h)] + static_cast<std::int32_t>(u_partner * r))];
    ++rc.root_pulls;
    interact(c, s, h, p, -1, w2, w3);
  };

  std::int32_t next = 0;
  for (std::int64_t t = 0; t < T; ++t) {
    // Challenges arising at step t join their holders' queues first.
    while (next < K && ws.arrival[static_cast<std::size_t>(next)] == t) {
      const std::int32_t c = next++;
      ++rc.challenges;
      if (ws.eligible[static_cast<std::size_t>(c)]) ++rc.eligible;
      enqueue(ws.origin[static_cast<std::size_t>(c)], t, c, 0, -1);
    }
    // Then the items due at step t, in the order they were scheduled (items
    // scheduled while processing step t are due at t + 1 or later).
    std::int32_t id = ws.bucket_head[static_cast<std::size_t>(t)];
    while (id >= 0) {
      const Scratch::Event ev = ws.events_pool[static_cast<std::size_t>(id)];
      ws.events_pool[static_cast<std::size_t>(id)].next = free_list;
      free_list = id;
      id = ev.next;
      const auto uc = static_cast<std::size_t>(ev.challenge);
      if (t > ws.last[uc]) {  // past its deadline: crash and burn
        ++rc.failed;          // (last + 1 < T here, so the challenge is eligible)
        rc.blame += static_cast<std::uint64_t>(ws.holders[uc]);
        continue;
      }
      if (ev.kind == 0)
        decide(ev.challenge, t);
      else
        interact(ev.challenge, t, ws.holder[uc], ev.partner, ev.agent, ws.pending[2 * uc],
                 ws.pending[2 * uc + 1]);
    }
  }
}

}  // namespace

void simulate_organization(const Config& cfg, const model::OrgContext& ctx, Scratch& ws,
                           OrgResult& out) {
  out = OrgResult{};
  {
    auto s = stream(ctx, StreamPurpose::structure);
    generate_parents(cfg.structure, cfg.agents, cfg.span, cfg.span_spread, s, ws.tree.parent,
                     ws.tmp_i32);
    finish_tree(ws.tree, ws.tmp_i32);
  }
  {
    auto s = stream(ctx, StreamPurpose::ties);
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
}

namespace {
double ratio(double num, double den) {
  return den > 0 ? num / den : kNaN;
}
double solve_rate(const RunCounts& r) {
  return ratio(static_cast<double>(r.solved), static_cast<double>(r.eligible));
}
}  // namespace

void write_row(const Config& cfg, const OrgResult& r, double* row) {
  const RunCounts& c = r.run;
  const auto e = static_cast<double>(c.eligible);
  const double aligned_rate = ratio(static_cast<double>(c.solved_aligned), e);
  std::size_t k = 0;
  // drawn
  row[k++] = r.depth;
  row[k++] = r.max_span;
  row[k++] = static_cast<double>(r.lateral_ties);
  row[k++] = r.hero_present ? 1.0 : 0.0;
  row[k++] = r.mean_aligned;
  row[k++] = r.mean_proactive;
  row[k++] = r.mean_collaborative;
  // outcomes
  row[k++] = static_cast<double>(c.challenges);
  row[k++] = static_cast<double>(c.challenges - c.eligible);  // censored
  row[k++] = solve_rate(c);
  row[k++] = aligned_rate;
  row[k++] = ratio(c.time_to_solve_sum, static_cast<double>(c.solved));
  row[k++] = ratio(static_cast<double>(c.solutions_at_origin), static_cast<double>(c.solutions));
  row[k++] = ratio(static_cast<double>(c.escalations), static_cast<double>(c.decisions));
  row[k++] = ratio(c.leader_ahead_sum, static_cast<double>(c.leader_items));
  row[k++] = static_cast<double>(c.leader_ahead_max);
  row[k++] = ratio(static_cast<double>(c.conflicts), e);
  row[k++] = ratio(static_cast<double>(c.misdirected), e);
  row[k++] = ratio(static_cast<double>(c.failed), e);
  row[k++] = ratio(static_cast<double>(c.blame), e);
  row[k++] = r.breadth;
  row[k++] = r.evenness;
  row[k++] = r.leader_share;
  row[k++] = r.hero_present ? solve_rate(c) - solve_rate(r.counterfactual) : kNaN;
  row[k++] = is_distributed(cfg.thresholds, r.breadth, r.evenness, r.leader_share, aligned_rate)
                 ? 1.0
                 : 0.0;
}

}  // namespace tribe::models::leadership

#include "tribe/models/leadership/structure.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

#include "tribe/rng/samplers.hpp"

namespace tribe::models::leadership {

void generate_parents(StructureKind kind, std::int32_t n, std::int32_t span, double spread,
                      rng::Stream& stream, std::vector<std::int32_t>& parent,
                      std::vector<std::int32_t>& scratch) {
  parent.resize(static_cast<std::size_t>(n));
  parent[0] = -1;
  if (span < 1) span = 1;
  switch (kind) {
    case StructureKind::flat:
      for (std::int32_t i = 1; i < n; ++i) parent[i] = 0;
      break;
    case StructureKind::hierarchy:
      // Breadth-first numbering of a complete span-ary tree: the reports of
      // manager m are m*s + 1 .. m*s + s.
      for (std::int32_t i = 1; i < n; ++i) parent[i] = (i - 1) / span;
      break;
    case StructureKind::random_hierarchy: {
      // Spans uniform on s - w .. s + w, symmetric around s so that their mean is s;
      // w = round(s * spread) (half away from zero), at most s - 1 so every span >= 1.
      const std::int64_t s = span;
      const auto w = std::min<std::int64_t>(std::llround(static_cast<double>(s) * spread), s - 1);
      const std::int64_t lo = s - w, hi = s + w;
      const auto width = static_cast<std::uint64_t>(hi - lo + 1);
      std::int32_t next = 1;
      for (std::int32_t m = 0; next < n; ++m) {  // m < next always: every span >= 1
        const auto k = lo + static_cast<std::int64_t>(rng::uniform_index(stream, width));
        for (std::int64_t j = 0; j < k && next < n; ++j) parent[next++] = m;
      }
      break;
    }
    case StructureKind::random_tree:
      for (std::int32_t i = 1; i < n; ++i)
        parent[i] =
            static_cast<std::int32_t>(rng::uniform_index(stream, static_cast<std::uint64_t>(i)));
      break;
    case StructureKind::preferential: {
      // Urn holding every agent once plus once per report: a newcomer picks
      // its manager with probability proportional to 1 + (number of reports).
      scratch.resize(2 * static_cast<std::size_t>(n));
      std::size_t urn = 0;
      scratch[urn++] = 0;
      for (std::int32_t i = 1; i < n; ++i) {
        const auto p = scratch[rng::uniform_index(stream, urn)];
        parent[i] = p;
        scratch[urn++] = p;
        scratch[urn++] = i;
      }
      break;
    }
  }
}

void finish_tree(Tree& tree, std::vector<std::int32_t>& count) {
  const std::int32_t n = tree.size();
  const auto un = static_cast<std::size_t>(n);
  tree.child_start.assign(un + 1, 0);
  tree.children.resize(un > 0 ? un - 1 : 0);
  tree.depth.resize(un);
  tree.leaves.clear();
  for (std::int32_t i = 1; i < n; ++i) ++tree.child_start[tree.parent[i] + 1];
  tree.max_span = 0;
  for (std::int32_t i = 0; i < n; ++i) {
    tree.max_span = std::max(tree.max_span, tree.child_start[i + 1]);
    tree.child_start[i + 1] += tree.child_start[i];
  }
  count.assign(tree.child_start.begin(), tree.child_start.begin() + n);
  tree.depth[0] = 0;
  tree.max_depth = 0;
  for (std::int32_t i = 1; i < n; ++i) {
    const auto p = tree.parent[i];
    tree.children[count[p]++] = i;  // children in increasing order
    tree.depth[i] = tree.depth[p] + 1;
    tree.max_depth = std::max(tree.max_depth, tree.depth[i]);
  }
  for (std::int32_t i = 0; i < n; ++i)
    if (tree.reports(i) == 0) tree.leaves.push_back(i);
}

namespace {

// From this tie probability up, pairs are drawn 64 at a time by bit-parallel Bernoulli
// trials (see skip_pairs); below it, by geometric skips from tie to tie.
constexpr double kDensePairs = 1.0 / 16.0;

// 64 Bernoulli trials u_i < t at once, u_i a 32-bit uniform integer and t in
// [0, 2^32]: lane i of the result is 1 iff u_i < t. The bits of all 64 u_i are drawn
// from the most significant down, one word per bit position (bit i of the word is the
// next bit of u_i), and a lane is decided at the first bit where u_i and t differ: u_i
// < t if t has the 1 there. Only the bits up to that point are ever looked at, so a
// word is drawn only while some lane is undecided: about 7 words for 64 lanes (each
// lane is decided with probability 1/2 per word), against 32 if every bit were drawn.
// Lanes outside `lanes` are left 0. The same distribution as comparing a full 32-bit
// uniform with t, exactly.
std::uint64_t bernoulli_lanes(std::uint64_t t, std::uint64_t lanes, rng::Stream& stream) {
  if (t >= (std::uint64_t{1} << 32)) return lanes;
  std::uint64_t undecided = lanes, yes = 0;
  for (int bit = 31; bit >= 0 && undecided != 0; --bit) {
    // Below the lowest 1 of t, u_i can only equal or exceed t: the undecided are no.
    if ((t & ((std::uint64_t{2} << bit) - 1)) == 0) break;
    const std::uint64_t r = stream.next_u64();
    if ((t >> bit) & 1) {
      yes |= undecided & ~r;  // u_i has a 0 where t has a 1: u_i < t
      undecided &= r;
    } else {
      undecided &= ~r;  // u_i has a 1 where t has a 0: u_i > t
    }
  }
  return yes;
}

// All pairs (v, w), 0 <= w < v < k, each with probability p, in the order of
// Batagelj & Brandes (2005): (1, 0), (2, 0), (2, 1), (3, 0), ...
template <class Emit>
void skip_pairs(std::int64_t k, double p, rng::Stream& stream, Emit& emit) {
  if (p <= 0.0 || k < 2) return;
  if (p >= kDensePairs) {
    // Dense ties: the pairs, numbered in that order, in blocks of 64, each block's ties
    // by bernoulli_lanes with t = ceil(p 2^32): P(tie) = p to within 2^-32, the model's
    // resolution of every decision. Then the ties of a block in increasing order.
    const double scaled = std::ceil(p * 4294967296.0);
    const std::uint64_t t =
        scaled >= 4294967296.0 ? 4294967296ULL : static_cast<std::uint64_t>(scaled);
    const std::int64_t pairs = k * (k - 1) / 2;
    std::int64_t v = 1, w = 0, at = 0;  // (v, w) is pair number `at`
    for (std::int64_t first = 0; first < pairs; first += 64) {
      const std::int64_t size = std::min<std::int64_t>(64, pairs - first);
      const std::uint64_t lanes = size == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << size) - 1;
      for (std::uint64_t ties = bernoulli_lanes(t, lanes, stream); ties != 0; ties &= ties - 1) {
        const std::int64_t i = first + std::countr_zero(ties);
        w += i - at;
        at = i;
        while (w >= v) {
          w -= v;
          ++v;
        }
        emit(v, w);
      }
    }
    return;
  }
  // Skips are geometric (failures before a success), floor(E / -log(1 - p)) with
  // E ~ Exp(1) from the ziggurat as in rng::geometric, with log(1 - p) computed once.
  const double inv_rate = p < 1.0 ? -1.0 / std::log1p(-p) : 0.0;
  const double limit = static_cast<double>(k) * static_cast<double>(k);
  std::int64_t v = 1, w = -1;
  while (v < k) {
    // skip = floor(x) for x >= 0; as `limit` is an integer, floor(x) >= limit iff
    // x >= limit, and below it truncation is the floor (cheaper than std::floor, which
    // is a library call without SSE4.1).
    const double x = p < 1.0 ? rng::exponential(stream) * inv_rate : 0.0;
    if (x >= limit) return;
    w += 1 + static_cast<std::int64_t>(x);
    while (w >= v && v < k) {
      w -= v;
      ++v;
    }
    if (v < k) emit(v, w);
  }
}

/// Receives drawn ties, in local indices (`map` gives the agents).
struct TieSink {
  std::vector<std::int32_t>& a;
  std::vector<std::int32_t>& b;
  const std::int32_t* map;  // local index -> agent (null: identity)
  std::size_t count;

  std::int32_t agent(std::int64_t i) const { return map ? map[i] : static_cast<std::int32_t>(i); }
  void operator()(std::int64_t v, std::int64_t w) {
    reserve_one();
    a[count] = agent(v);
    b[count] = agent(w);
    ++count;
  }
  void reserve_one() {
    if (count == a.size()) {  // grow geometrically; the workspace keeps the capacity
      a.resize(std::max<std::size_t>(64, 2 * a.size()));
      b.resize(a.size());
    }
  }
};

}  // namespace

void generate_ties(const Tree& tree, double tie_within, double tie_across, rng::Stream& stream,
                   Ties& ties) {
  const std::int32_t n = tree.size();
  // Edges are written into the workspace's arrays (sized up front, never shrunk).
  std::size_t count = 0;
  // Siblings: pairs within each manager's group of reports.
  if (tie_within > 0.0) {
    for (std::int32_t m = 0; m < n; ++m) {
      // children are increasing, so g[v] > g[w] for v > w
      TieSink sink{ties.edge_a, ties.edge_b, tree.children.data() + tree.child_start[m], count};
      skip_pairs(tree.reports(m), tie_within, stream, sink);
      count = sink.count;
    }
  }
  // Across units: every pair that is neither siblings nor a manager-report pair.
  // Since parent[v] < v, (v, w) with w < v is a manager-report pair iff parent[v] == w.
  if (tie_across > 0.0) {
    TieSink all{ties.edge_a, ties.edge_b, nullptr, count};
    struct Across {
      TieSink& sink;
      const Tree& tree;
      bool allowed(std::int64_t v, std::int64_t w) const {
        const auto a = static_cast<std::int32_t>(v), b = static_cast<std::int32_t>(w);
        return tree.parent[a] != b && tree.parent[a] != tree.parent[b];
      }
      void operator()(std::int64_t v, std::int64_t w) {
        if (allowed(v, w)) sink(v, w);
      }
    } across{all, tree};
    skip_pairs(n, tie_across, stream, across);
    count = all.count;
  }
  ties.edge_a.resize(count);
  ties.edge_b.resize(count);
  const auto un = static_cast<std::size_t>(n);
  ties.start.assign(un + 1, 0);
  ties.adj.resize(2 * count);
  // Compressed rows (each agent's ties in the order they were drawn). Edges come in
  // runs of equal a (all of an agent's pairs with lower agents in a row), so a's
  // counter and cursor stay in a register for the run instead of a chain of loads and
  // stores to one address; there are no self-ties (b != a), so the b-side updates of
  // the run never touch the cached entry, and the result is the same as updating
  // start[a] edge by edge.
  const std::int32_t* const ea = ties.edge_a.data();
  const std::int32_t* const eb = ties.edge_b.data();
  std::int32_t* const start = ties.start.data();
  std::int32_t* const adj = ties.adj.data();
  std::size_t e = 0;
  while (e < count) {
    const std::int32_t a = ea[e];
    std::int32_t run = 0;
    for (; e < count && ea[e] == a; ++e, ++run) ++start[eb[e] + 1];
    start[a + 1] += run;
  }
  for (std::size_t i = 0; i < un; ++i) start[i + 1] += start[i];
  // Fill using start[i] as a cursor, then shift back.
  e = 0;
  while (e < count) {
    const std::int32_t a = ea[e];
    std::int32_t cursor = start[a];
    for (; e < count && ea[e] == a; ++e) {
      adj[cursor++] = eb[e];
      adj[start[eb[e]]++] = a;
    }
    start[a] = cursor;
  }
  for (std::size_t i = un; i > 0; --i) start[i] = start[i - 1];
  start[0] = 0;
}

bool is_valid_tree(std::span<const std::int32_t> parent) {
  const auto n = static_cast<std::int64_t>(parent.size());
  if (n == 0 || parent[0] != -1) return false;
  for (std::int64_t i = 1; i < n; ++i) {
    // Walk up at most n steps: a cycle or an out-of-range manager fails.
    std::int64_t v = i, steps = 0;
    while (v != 0) {
      const std::int64_t p = parent[static_cast<std::size_t>(v)];
      if (p < 0 || p >= n || p == v || ++steps > n) return false;
      v = p;
    }
  }
  return true;
}

}  // namespace tribe::models::leadership

#pragma once
// Structure generators of the leadership model: the reporting tree and the
// lateral ties. Pure functions of their inputs and a random stream; they write
// into caller-owned vectors (resized, never shrunk, so that a reused workspace
// allocates nothing once it has grown).
//
// Conventions: agents are 0..n-1, agent 0 is the top leader (root), and every
// generator numbers agents so that parent[i] < i for i >= 1 (parent[0] = -1).
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "tribe/rng/stream.hpp"

namespace tribe::models::leadership {

enum class StructureKind : int {
  flat = 0,              // one leader, everyone else reports to it
  hierarchy = 1,         // balanced tree of span s, filled breadth first
  random_hierarchy = 2,  // breadth-first fill, each manager's span uniform around s
  random_tree = 3,       // uniform-attachment random recursive tree
  preferential = 4,      // preferential-attachment tree (weight 1 + number of reports)
};

inline constexpr std::string_view kStructureNames[] = {"flat", "hierarchy", "random_hierarchy",
                                                       "random_tree", "preferential"};

/// The reporting tree in compressed form.
struct Tree {
  std::vector<std::int32_t> parent;  // n, parent[0] = -1
  std::vector<std::int32_t>
      child_start;  // n + 1, reports of i are children[child_start[i] .. child_start[i+1])
  std::vector<std::int32_t> children;  // n - 1
  std::vector<std::int32_t> depth;     // n, depth[0] = 0
  std::vector<std::int32_t> leaves;    // agents without reports (the front line)
  std::int32_t max_depth = 0;
  std::int32_t max_span = 0;

  std::int32_t size() const noexcept { return static_cast<std::int32_t>(parent.size()); }
  std::int32_t reports(std::int32_t i) const noexcept {
    return child_start[i + 1] - child_start[i];
  }
};

/// Lateral (peer) ties in compressed adjacency form.
struct Ties {
  std::vector<std::int32_t> edge_a, edge_b;  // one entry per tie (a > b)
  std::vector<std::int32_t> start;           // n + 1
  std::vector<std::int32_t> adj;             // 2 * ties
  std::int64_t count() const noexcept { return static_cast<std::int64_t>(edge_a.size()); }
  std::int32_t degree(std::int32_t i) const noexcept { return start[i + 1] - start[i]; }
};

/// Fills tree.parent for `n` agents. `span` >= 1 is used by hierarchy and
/// random_hierarchy, `spread` in [0, 1] by random_hierarchy: managers, in breadth-first
/// order, get spans uniform on s - w .. s + w, w = min(round(s * spread), s - 1), so the
/// mean span drawn is s (the last manager gets what is left of n).
/// `scratch` is used by preferential (grown to 2n).
void generate_parents(StructureKind kind, std::int32_t n, std::int32_t span, double spread,
                      rng::Stream& stream, std::vector<std::int32_t>& parent,
                      std::vector<std::int32_t>& scratch);

/// Derives children, depth, leaves, max_depth and max_span from tree.parent
/// (requires parent[i] < i). `count` is scratch (grown to n).
void finish_tree(Tree& tree, std::vector<std::int32_t>& count);

/// Draws lateral ties: each pair of siblings (same manager) with probability
/// `tie_within`, each other pair that is not a manager-report pair with
/// probability `tie_across`. Geometric skipping (Batagelj & Brandes 2005) for
/// probabilities below 1/16, cost O(n + ties); from 1/16 up, 64 pairs at a time by
/// bit-parallel Bernoulli trials (about 7 words per 64 pairs).
void generate_ties(const Tree& tree, double tie_within, double tie_across, rng::Stream& stream,
                   Ties& ties);

/// true if `parent` describes a tree rooted at 0 (parent[0] = -1, every other
/// agent has one manager in range, and following managers always reaches 0).
bool is_valid_tree(std::span<const std::int32_t> parent);

}  // namespace tribe::models::leadership

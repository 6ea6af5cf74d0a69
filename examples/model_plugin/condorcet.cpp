// A model written outside the tribe tree and loaded at run time: Condorcet's jury.
//
// A team of `members` votes on a question with a right answer; member i is right with
// probability c_i, drawn uniformly on competence +- spread * min(competence, 1 -
// competence); the majority decides (a tie: a fair coin). Condorcet (1785): with c_i = c >
// 1/2 for all, the majority is right more often than one member, and more often the larger
// the team; with c < 1/2, less often. The known answer for spread = 0 is the binomial tail,
// P(right) = sum_{k > n/2} C(n, k) c^k (1 - c)^(n - k) (+ half the tie when n is even),
// which the example's test checks the model against.
//
// Build against an installed tribe (see CMakeLists.txt), then:
//   TRIBE_MODEL_PATH=build tribe models condorcet
//   TRIBE_MODEL_PATH=build tribe run condorcet.toml -o condorcet.h5
#include <cmath>
#include <cstdint>

#include "tribe/model/plugin.hpp"
#include "tribe/model/plugin_entry.hpp"
#include "tribe/rng/samplers.hpp"

namespace condorcet {

using namespace tribe;

struct Config {
  std::int32_t members = 5;
  double competence = 0.6;
  double spread = 0.0;
};

struct Result {
  double right = 0, votes_right = 0, margin = 0;
};

struct State {};  // nothing to keep between organizations

// The model's random streams: one purpose per mechanism, so that a change in one does
// not move the draws of the other.
enum class Purpose : std::uint64_t { Competence = 1, Vote = 2 };

void simulate(const Config& c, const model::OrgContext& ctx, State& /*state*/, Result& r) {
  rng::Stream competence = ctx.stream(Purpose::Competence);
  rng::Stream vote = ctx.stream(Purpose::Vote);
  const double half_width = c.spread * std::min(c.competence, 1.0 - c.competence);
  std::int32_t right = 0;
  for (std::int32_t i = 0; i < c.members; ++i) {
    const double ci =
        rng::uniform(competence, c.competence - half_width, c.competence + half_width);
    right += rng::bernoulli(vote, ci) ? 1 : 0;
  }
  const std::int32_t wrong = c.members - right;
  const bool majority_right = right != wrong ? right > wrong : rng::bernoulli(vote, 0.5);
  r.right = majority_right ? 1.0 : 0.0;
  r.votes_right = right;
  r.margin = static_cast<double>(right - wrong) / c.members;
}

struct Traits : model::SimulationTraits<Config, State, Result, simulate> {
  static void write_row(const Config& /*c*/, const Scratch& w, model::RowWriter& out) {
    out("right", w.result.right);
    out("votes_right", w.result.votes_right);
    out("margin", w.result.margin);
  }
};

class Condorcet final : public model::Plugin<Traits> {
 public:
  Condorcet()
      : Plugin("condorcet", "1.0.0",
               "Condorcet's jury: a team votes on a question with a right answer, each member "
               "right with its own probability; the majority decides.",
               {model::integer("members", &Config::members, 1, 10001, 5, "members of the team"),
                model::real("competence", &Config::competence, 0, 1, 0.6,
                            "mean probability that a member votes right"),
                model::real("spread", &Config::spread, 0, 1, 0,
                            "each member's probability is uniform on competence +- spread * "
                            "min(competence, 1 - competence)")},
               {model::column("right", model::ColumnKind::Binary, model::ColumnRole::Outcome,
                              "the majority is right (a tie: a fair coin)"),
                model::column("votes_right", model::ColumnKind::Count, model::ColumnRole::Outcome,
                              "members who voted right"),
                model::column("margin", model::ColumnKind::Real, model::ColumnRole::Outcome,
                              "(right - wrong votes) / members")}) {}
};

const model::Model& instance() {
  return model::instance<Condorcet>();
}

}  // namespace condorcet

TRIBE_MODEL_PLUGIN(condorcet::instance)

#include "test_functions.hpp"

#include <cmath>

#include "tribe/catalog/registry.hpp"
#include "tribe/model/plugin.hpp"
#include "tribe/rng/samplers.hpp"

namespace tribe::test {
namespace {

using model::ParamType;

struct Traits {
  struct Config {
    bool ishigami = true;
    std::array<double, 8> x{};
  };
  struct Scratch {
    double y = 0, y_noisy = 0;
  };
  static double value(const Config& c) {
    if (c.ishigami) {
      const double pi = std::numbers::pi;
      const double x1 = -pi + 2 * pi * c.x[0], x2 = -pi + 2 * pi * c.x[1],
                   x3 = -pi + 2 * pi * c.x[2];
      return std::sin(x1) + kIshigamiA * std::sin(x2) * std::sin(x2) +
             kIshigamiB * std::pow(x3, 4) * std::sin(x1);
    }
    double y = 1;
    for (std::size_t i = 0; i < 8; ++i)
      y *= (std::abs(4 * c.x[i] - 2) + kGFunctionA[i]) / (1 + kGFunctionA[i]);
    return y;
  }
  static void simulate(const Config& c, const model::OrgContext& ctx, Scratch& out) {
    out.y = value(c);
    rng::Stream s(ctx.seed, 1, ctx.organization, 0, ctx.domain);
    // Box-Muller: one standard normal draw.
    const double u1 = 1.0 - rng::uniform(s), u2 = rng::uniform(s);
    out.y_noisy = out.y + std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
  }
  static void write_row(const Config&, const Scratch& r, model::RowWriter& out) {
    out("y", r.y);
    out("y_noisy", r.y_noisy);
  }
};

class TestFunctions final : public model::Plugin<Traits> {
 public:
  TestFunctions()
      : Plugin("test_functions", "1", "Ishigami and Sobol g test functions (tests only)", specs(),
               {{"y", model::ColumnKind::Real, model::ColumnRole::Outcome, "the function's value"},
                {"y_noisy", model::ColumnKind::Real, model::ColumnRole::Outcome,
                 "y plus a standard normal draw"}}) {}

 private:
  using Config = Traits::Config;
  static std::vector<model::Parameter<Config>> specs() {
    std::vector<model::Parameter<Config>> p;
    p.push_back({{"function",
                  ParamType::Choice,
                  0,
                  1,
                  0,
                  {"ishigami", "g_function"},
                  "which test function"},
                 [](Config& c, double v) { c.ishigami = v == 0.0; }});
    for (std::size_t i = 0; i < 8; ++i)
      p.push_back({{"x" + std::to_string(i + 1),
                    ParamType::Real,
                    0,
                    1,
                    0.5,
                    {},
                    "input " + std::to_string(i + 1)},
                   [i](Config& c, double v) { c.x[i] = v; }});
    return p;
  }
};

/// test_exact (see the header): every column a function of the organization's index,
/// except `draw`, a draw of its stream (so that random streams are exercised too).
struct ExactTraits {
  struct Config {
    double level = 0, step = 1;
  };
  struct Scratch {
    double k = 0, draw = 0;
  };
  static void simulate(const Config&, const model::OrgContext& ctx, Scratch& out) {
    out.k = static_cast<double>(ctx.organization);
    rng::Stream s(ctx.seed, 1, ctx.organization, 0, ctx.domain);
    out.draw = rng::uniform(s);
  }
  static void write_row(const Config& c, const Scratch& r, model::RowWriter& out) {
    out("k", r.k);
    out("value", c.level + c.step * r.k);
    out("odd", static_cast<double>(static_cast<std::uint64_t>(r.k) % 2));
    out("draw", r.draw);
  }
};

class Exact final : public model::Plugin<ExactTraits> {
 public:
  Exact()
      : Plugin("test_exact", "1",
               "outcomes known exactly from the organization's index (tests only)",
               {model::real("level", &ExactTraits::Config::level, -1000, 1000, 0,
                            "value of organization 0"),
                model::integer("step", &ExactTraits::Config::step, 0, 1000, 1,
                               "value added per organization")},
               {{"k", model::ColumnKind::Count, model::ColumnRole::Outcome,
                 "the organization's index in its cell"},
                {"value", model::ColumnKind::Real, model::ColumnRole::Outcome, "level + step * k"},
                {"odd", model::ColumnKind::Binary, model::ColumnRole::Outcome, "k mod 2"},
                {"draw", model::ColumnKind::Real, model::ColumnRole::Outcome,
                 "a uniform draw of the organization"}}) {}
};

}  // namespace

const model::Model& exact_model() {
  static const Exact m;
  static const bool registered = (catalog::register_model(m), true);
  (void)registered;
  return m;
}

std::string exact_experiment(std::uint64_t orgs_per_cell, const std::string& extra) {
  exact_model();
  return "[experiment]\nname = \"exact\"\nmodel = \"test_exact\"\nseed = 7\norganizations_per_cell "
         "= " +
         std::to_string(orgs_per_cell) + "\n[factors]\nlevel = [0, 10]\n" + extra;
}

const model::Model& test_functions_model() {
  static const TestFunctions m;
  static const bool registered = (catalog::register_model(m), true);
  (void)registered;
  return m;
}

IshigamiIndices ishigami_indices() {
  // Variances of the ANOVA terms (x_i uniform on [-pi, pi]): Saltelli et al. (2008), 4.3.
  const double pi = std::numbers::pi, a = kIshigamiA, b = kIshigamiB;
  const double v1 = 0.5 * std::pow(1 + b * std::pow(pi, 4) / 5, 2);
  const double v2 = a * a / 8;
  const double v13 = b * b * std::pow(pi, 8) * (1.0 / 18 - 1.0 / 50);
  const double v = v1 + v2 + v13;
  return {{v1 / v, v2 / v, 0.0}, {(v1 + v13) / v, v2 / v, v13 / v}};
}

GFunctionIndices g_function_indices() {
  // V_i = 1 / (3 (1 + a_i)^2); V = prod(1 + V_i) - 1; S_i = V_i / V;
  // ST_i = V_i prod_{j != i} (1 + V_j) / V.
  std::array<double, 8> vi{};
  double prod = 1;
  for (std::size_t i = 0; i < 8; ++i) {
    vi[i] = 1.0 / (3 * (1 + kGFunctionA[i]) * (1 + kGFunctionA[i]));
    prod *= 1 + vi[i];
  }
  const double v = prod - 1;
  GFunctionIndices r{};
  for (std::size_t i = 0; i < 8; ++i) {
    r.first[i] = vi[i] / v;
    r.total[i] = vi[i] * prod / (1 + vi[i]) / v;
  }
  return r;
}

}  // namespace tribe::test

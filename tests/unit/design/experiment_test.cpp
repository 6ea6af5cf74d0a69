// The experiment file: parsing, defaults, the full-factorial plan, and rejection of bad input.
#include "tribe/design/experiment.hpp"

#include <gtest/gtest.h>

#include "../support/test_support.hpp"
#include "tribe/core/error.hpp"
#include "tribe/design/plan.hpp"

namespace {

using tribe::InputError;
using tribe::design::parse_experiment;

TEST(DesignExperiment, ParsesKeysDefaultsAndFactors) {
  const auto x = parse_experiment(tribe::test::small_experiment(), "small.toml");
  EXPECT_EQ(x.name, "small");
  EXPECT_EQ(x.model->name(), "leadership");
  EXPECT_EQ(x.seed, 7u);
  EXPECT_EQ(x.organizations_per_cell, 40u);
  EXPECT_EQ(x.output, "results/small.h5");
  EXPECT_TRUE(x.common_random_numbers);
  ASSERT_EQ(x.factors.size(), 2u);
  EXPECT_EQ(x.cell_count(), 4u);
  const auto specs = x.model->parameters();
  const auto agents = tribe::model::find_parameter(specs, "agents");
  EXPECT_EQ(x.fixed[agents], 12.0);
  // A parameter not mentioned keeps the model default.
  const auto hero = tribe::model::find_parameter(specs, "hero");
  EXPECT_EQ(x.fixed[hero], specs[hero].default_value);
  EXPECT_EQ(x.source_text, tribe::test::small_experiment());
}

TEST(DesignPlan, FullFactorialLastFactorFastestAndBlocksCoverEveryOrganization) {
  const auto x = parse_experiment(tribe::test::small_experiment("", 300), "small.toml");
  const tribe::design::RunPlan plan(x, x.organizations_per_cell, 128);
  ASSERT_EQ(plan.cells().size(), 4u);
  // factors are sorted by name: control, then structure (fastest)
  EXPECT_EQ(plan.cells()[0].label(x), "control=0.1 structure=flat");
  EXPECT_EQ(plan.cells()[1].label(x), "control=0.1 structure=hierarchy");
  EXPECT_EQ(plan.cells()[2].label(x), "control=0.9 structure=flat");
  EXPECT_EQ(plan.block_count(), 12u);
  std::uint64_t covered = 0;
  for (std::uint64_t b = 0; b < plan.block_count(); ++b) {
    const auto blk = plan.block(b);
    EXPECT_EQ(blk.global, blk.cell * 300 + blk.first);
    covered += blk.count;
  }
  EXPECT_EQ(covered, plan.total_organizations());
  EXPECT_EQ(plan.block(2).count, 300u - 256u);

  // More organizations for two cells: blocks follow the segments, rows continue.
  const auto more = plan.with_segments({{3, 300, 200}, {1, 300, 10}});
  EXPECT_EQ(more.total_organizations(), 210u);
  EXPECT_EQ(more.block_count(), 3u);
  EXPECT_EQ(more.block(1).cell, 3u);
  EXPECT_EQ(more.block(1).first, 428u);
  EXPECT_EQ(more.block(1).count, 72u);
  EXPECT_EQ(more.block(2).cell, 1u);
  EXPECT_EQ(more.block(2).global, 200u);
  EXPECT_EQ(&more.cells(), &plan.cells());
}

// Every kind of bad input is rejected before any work, with a message that names
// the key and what is allowed.
struct BadCase {
  const char* what;
  std::string text;
  std::vector<std::string> message_contains;
};

std::string with(const std::string& exp_extra, const std::string& params,
                 const std::string& factors) {
  return "[experiment]\nname = \"x\"\nmodel = \"leadership\"\nseed = 1\norganizations_per_cell = "
         "10\n" +
         exp_extra + "\n[parameters]\n" + params + "\n[factors]\n" + factors;
}

TEST(DesignExperiment, RejectsBadInputWithAClearMessage) {
  const std::vector<BadCase> cases = {
      {"malformed TOML", "[experiment\nname = 1", {"malformed TOML", "line 1"}},
      {"unknown top-level table",
       with("", "", "") + "\n[paramters]\nagents = 3\n",
       {"unknown key paramters"}},
      {"unknown experiment key", with("sede = 3\n", "", ""), {"experiment.sede", "allowed keys"}},
      {"unknown parameter", with("", "agentz = 3\n", ""), {"parameters.agentz", "allowed keys"}},
      {"unknown factor", with("", "", "contrl = [0.1]\n"), {"factors.contrl"}},
      {"unknown model",
       "[experiment]\nname=\"x\"\nmodel=\"nope\"\nseed=1\norganizations_per_cell=1\n",
       {"model = \"nope\"", "known"}},
      {"missing seed",
       "[experiment]\nname=\"x\"\nmodel=\"leadership\"\norganizations_per_cell=1\n",
       {"experiment.seed"}},
      {"seed not an integer",
       with("", "", "").replace(with("", "", "").find("seed = 1"), 8, "seed = 1.5"),
       {"experiment.seed = 1.5", "integer"}},
      {"negative seed",
       with("", "", "").replace(with("", "", "").find("seed = 1"), 8, "seed = -4"),
       {"experiment.seed = -4"}},
      {"zero organizations",
       with("", "", "")
           .replace(with("", "", "").find("organizations_per_cell = 10"), 27,
                    "organizations_per_cell = 0"),
       {"experiment.organizations_per_cell = 0", "[1,"}},
      {"wrong type",
       with("", "agents = \"many\"\n", ""),
       {"parameters.agents = \"many\"", "integer"}},
      {"integer as float",
       with("", "agents = 10.5\n", ""),
       {"parameters.agents = 10.5", "integer"}},
      {"out of range threshold",
       with("", "dl_breadth = 1.5\n", ""),
       {"parameters.dl_breadth = 1.5", "[0, 1]"}},
      {"negative control", with("", "control = -0.1\n", ""), {"parameters.control = -0.1"}},
      {"zero steps", with("", "steps = 0\n", ""), {"parameters.steps = 0"}},
      {"bad choice",
       with("", "structure = \"matrix\"\n", ""),
       {"parameters.structure = \"matrix\"", "\"flat\""}},
      {"empty factor", with("", "", "control = []\n"), {"factors.control", "non-empty"}},
      {"factor not a list", with("", "", "control = 0.5\n"), {"factors.control = 0.5", "list"}},
      {"factor level out of range",
       with("", "", "control = [0.1, 2.0]\n"),
       {"factors.control = 2.0"}},
      {"duplicate level", with("", "", "control = [0.1, 0.1]\n"), {"factors.control", "distinct"}},
      {"fixed and varied",
       with("", "control = 0.2\n", "control = [0.1, 0.5]\n"),
       {"factors.control contradicts parameters.control"}},
      {"span larger than N", with("", "agents = 10\nspan = 20\n", ""), {"span", "20", "agents"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    try {
      const auto x = parse_experiment(c.text, "bad.toml");
      // Cross-parameter checks run when the plan binds each cell.
      const tribe::design::RunPlan plan(x, x.organizations_per_cell);
      ADD_FAILURE() << "accepted: " << c.text;
    } catch (const InputError& e) {
      const std::string msg = e.what();
      EXPECT_EQ(msg.find('\n'), std::string::npos) << "one line: " << msg;
      for (const auto& part : c.message_contains)
        EXPECT_NE(msg.find(part), std::string::npos) << msg;
    }
  }
}

}  // namespace

namespace {

std::string repeated(const std::string& part, std::size_t n, const std::string& sep) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += (i ? sep : "") + part;
  return s;
}

std::string refusal(const std::string& text) {
  try {
    tribe::design::parse_experiment(text, "e.toml");
  } catch (const tribe::InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

// Issue 27, item 3: a key of tens of thousands of dotted parts overflowed toml++'s stack
// (it nests values to 256 levels, not keys); now it is refused with one line, before
// toml++ reads it, as a table header, a dotted key or an inline table's key.
TEST(DesignExperiment, RefusesKeysWithTooManyDottedParts) {
  const std::string base = with("", "", "");
  for (const std::string& bad : {base + "\n[" + repeated("a", 40000, ".") + "]\n",
                                 base + "\n" + repeated("k", 60000, ".") + " = 1\n",
                                 base + "\nx = { " + repeated("k", 100, " . ") + " = 1 }\n"}) {
    const auto msg = refusal(bad);
    EXPECT_NE(msg.find("dotted parts"), std::string::npos) << msg.substr(0, 200);
    EXPECT_NE(msg.find("at most 64"), std::string::npos) << msg.substr(0, 200);
    EXPECT_EQ(msg.find('\n'), std::string::npos);  // one line
  }
  // Dots in values, strings and comments are not key parts: a long list of levels, a
  // dotted string and a comment full of dots are fine.
  std::string levels;
  for (int i = 0; i < 200; ++i) levels += (i ? ", " : "") + std::to_string(i / 200.0);
  const auto ok = refusal(with("description = \"" + repeated("a", 100, ".") + "\"\n", "",
                               "control = [" + levels + "]\n# " + repeated("x", 100, ".") + "\n"));
  EXPECT_EQ(ok, "");
}

// Issue 27, item 5: 16 factors of 16 levels (2^64 combinations) wrapped around to 0 cells;
// now the count saturates and the design is refused.
TEST(DesignExperiment, RefusesDesignsWhoseCellCountOverflows) {
  std::string factors;
  for (const char* p :
       {"control", "aligned", "proactive", "collaborative", "tie_within", "tie_across",
        "span_spread", "hero_boost", "hero_quality", "hero_deference", "front_line_share",
        "difficulty_mean", "conflict_scale", "dl_breadth", "dl_centralization", "dl_top_share"}) {
    std::string levels;
    for (int i = 0; i < 16; ++i) levels += (i ? ", " : "") + std::to_string(i / 16.0);
    factors += std::string(p) + " = [" + levels + "]\n";
  }
  const auto msg = refusal(with("", "", factors));
  EXPECT_NE(msg.find("more than 2^64"), std::string::npos) << msg;
  EXPECT_NE(msg.find("cells are allowed"), std::string::npos) << msg;
}

namespace {

// A "list" design runs the listed points themselves (e.g. a calibration's accepted
// points), crossed with the factors; each mistake is refused with one line.
TEST(DesignExperiment, ListDesignRunsTheListedPoints) {
  const std::string base =
      "[experiment]\nname = \"l\"\nmodel = \"leadership\"\nseed = 1\norganizations_per_cell = 2\n"
      "[factors]\nstructure = [\"flat\", \"hierarchy\"]\n[design]\nsampling = \"list\"\n";
  const auto x = tribe::design::parse_experiment(
      base + "[design.points]\nagents = [10, 20, 30]\ninsight_bias = [0.1, -0.2, 0.3]\n", "e.toml");
  EXPECT_EQ(x.points, 3u);
  EXPECT_EQ(x.cell_count(), 6u);
  const tribe::design::RunPlan plan(x, 1);
  const auto specs = x.model->parameters();
  const auto agents = tribe::model::find_parameter(specs, "agents");
  const auto bias = tribe::model::find_parameter(specs, "insight_bias");
  for (const auto& cell : plan.cells()) {
    EXPECT_EQ(cell.values[agents], 10.0 * static_cast<double>(cell.point + 1));
    EXPECT_EQ(cell.values[bias], (std::vector<double>{0.1, -0.2, 0.3})[cell.point]);
  }
  EXPECT_NE(refusal(base + "[design.points]\nagents = [10, 20]\ninsight_bias = [0.1]\n")
                .find("is not allowed: expected 2 values, one per point"),
            std::string::npos);
  EXPECT_NE(refusal(base + "points = 3\n").find("design.points: expected a table"),
            std::string::npos);
  EXPECT_NE(refusal(base + "[design.points]\nagents = [1.5]\n").find("design.points.agents"),
            std::string::npos);
  EXPECT_NE(refusal(base + "[design.points]\nstructure = [\"flat\"]\n")
                .find("contradicts factors.structure"),
            std::string::npos);
  EXPECT_NE(refusal(base + "[design.points]\nagents = [10]\n[design.ranges]\nspan = [2, 3]\n")
                .find("not with design.sampling = \"list\""),
            std::string::npos);
}

}  // namespace

namespace {

// Issue 27, item 6: an uncapped robustness_offsets list (10^8 settings per claim) ran for
// ~25 minutes deaf to Ctrl-C. The grid is capped at parse time, naming the longest list.
TEST(DesignExperiment, RobustnessGridIsCapped) {
  std::string offsets;
  for (int i = -5; i <= 5; ++i) offsets += (offsets.empty() ? "" : ", ") + std::to_string(i / 10.0);
  const auto msg = refusal(with("", "", "") + "[report]\nrobustness_offsets = [" + offsets + "]\n");
  EXPECT_NE(msg.find("report.robustness_offsets"), std::string::npos) << msg;
  EXPECT_NE(msg.find("expected at most 10 offsets"), std::string::npos) << msg;
  EXPECT_NE(msg.find("5 threshold parameters of model leadership"), std::string::npos) << msg;
  EXPECT_EQ(refusal(with("", "", "") + "[report]\nrobustness_offsets = [-0.1, 0.0, 0.1]\n"), "");
}

}  // namespace

namespace {

std::string with_library(const std::string& model, const std::string& library) {
  std::string text = tribe::test::small_experiment();
  const std::string line = "model = \"leadership\"";
  text.replace(text.find(line), line.size(),
               "model = \"" + model + "\"\nmodel_library = \"" + library + "\"");
  return text;
}

std::string refusal(const std::string& text, const std::string& source) {
  try {
    parse_experiment(text, source);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

}  // namespace

TEST(DesignExperiment, AModelLibraryThatIsNotThereIsRefusedNamingWhereItWasLookedFor) {
  const std::string said =
      refusal(with_library("mine", "libs/tribe_model_mine.so"), "/studies/one/experiment.toml");
  EXPECT_NE(said.find("experiment.model_library = \"libs/tribe_model_mine.so\": no such file"),
            std::string::npos)
      << said;
  // Relative to the experiment's folder, then on the search path.
  EXPECT_NE(said.find("/studies/one/libs/tribe_model_mine.so"), std::string::npos) << said;
  EXPECT_NE(said.find("TRIBE_MODEL_PATH"), std::string::npos) << said;
}

TEST(DesignExperiment, AFileThatIsNotALibraryIsRefusedAsOne) {
  const auto dir = std::filesystem::temp_directory_path() / "tribe_model_library_test";
  std::filesystem::create_directories(dir);
  tribe::test::write_file(dir / "tribe_model_text.so", "not a shared object\n");
  const std::string said =
      refusal(with_library("text", "tribe_model_text.so"), (dir / "e.toml").string());
  EXPECT_NE(said.find("tribe_model_text.so: cannot be loaded"), std::string::npos) << said;
  std::filesystem::remove_all(dir);
}

TEST(DesignExperiment, AnEmptyModelLibraryIsRefused) {
  EXPECT_NE(refusal(with_library("leadership", ""), "e.toml").find("model_library = \"\""),
            std::string::npos);
}

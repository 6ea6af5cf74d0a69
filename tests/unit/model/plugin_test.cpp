// A model plug-in declares each parameter once (its spec and the Config member it sets), and
// cannot write a column in the wrong slot silently: Plugin refuses a model whose row writer
// disagrees with its columns, or that declares a parameter twice.
#include "tribe/model/plugin.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tribe/catalog/registry.hpp"

namespace tribe::model {
namespace {

// Two parameters a and b; the row is (a, a + b).
struct SumTraits {
  struct Config {
    double a = 0.0, b = 0.0;
  };
  struct Scratch {
    double sum = 0.0;
  };
  static void simulate(const Config& c, const OrgContext&, Scratch& s) { s.sum = c.a + c.b; }
  static void write_row(const Config& c, const Scratch& s, RowWriter& out) {
    out("a", c.a);
    out("sum", s.sum);
  }
};

using SumConfig = SumTraits::Config;

std::vector<Parameter<SumConfig>> parameters(const char* first, const char* second) {
  return {real(first, &SumConfig::a, 0, 10, 1, "first"),
          real(second, &SumConfig::b, 0, 10, 2, "second")};
}

std::vector<ColumnSpec> columns(const char* first, const char* second) {
  return {column(first, ColumnKind::Real, ColumnRole::Outcome, "first"),
          column(second, ColumnKind::Real, ColumnRole::Outcome, "second")};
}

TEST(Plugin, AModelWhoseTablesAgreeWritesEachValueIntoItsColumn) {
  const Plugin<SumTraits> model("sum", "1.0.0", "a + b", parameters("a", "b"), columns("a", "sum"));
  const auto cell = model.bind({3.0, 4.0});
  auto ws = model.make_workspace();
  std::vector<double> row(2);
  cell->simulate(OrgContext{}, *ws, row);
  EXPECT_EQ(row, (std::vector<double>{3.0, 7.0}));
}

TEST(Plugin, EachParameterSetsTheConfigMemberItIsDeclaredWith) {
  // Declared b first: parameters() lists b first, and each value lands in its own member
  // whatever the order of the members in Config.
  const Plugin<SumTraits> model(
      "sum", "1.0.0", "a + b",
      {real("b", &SumConfig::b, 0, 10, 2, "second"), real("a", &SumConfig::a, 0, 10, 1, "first")},
      columns("a", "sum"));
  EXPECT_EQ(model.parameters()[0].name, "b");
  EXPECT_EQ(model.parameters()[0].default_value, 2.0);
  const SumConfig c = model.configure({3.0, 4.0});
  EXPECT_EQ(c.b, 3.0);
  EXPECT_EQ(c.a, 4.0);
}

TEST(PluginDeathTest, AModelThatDeclaresAParameterTwiceIsRefused) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      Plugin<SumTraits>("sum", "1.0.0", "a + b", parameters("a", "a"), columns("a", "sum")),
      "sum: parameter \"a\" is declared twice");
}

TEST(PluginDeathTest, AModelWhoseRowWriterWritesColumnsInAnotherOrderIsRefused) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  // columns() lists sum before a: write_row would put a into the sum column.
  EXPECT_DEATH(
      Plugin<SumTraits>("sum", "1.0.0", "a + b", parameters("a", "b"), columns("sum", "a")),
      "sum: column 0 is \"a\" in write_row but \"sum\" in columns\\(\\)");
}

TEST(Plugin, NamingMismatchSaysWhereTwoListsFirstDiffer) {
  const std::vector<std::string_view> declared = {"a", "b", "c"};
  EXPECT_EQ(naming_mismatch("parameter", declared, "parameter_names",
                            std::vector<std::string>{"a", "b", "c"}, "parameters()"),
            "");
  EXPECT_EQ(naming_mismatch("parameter", declared, "parameter_names",
                            std::vector<std::string>{"a", "c", "b"}, "parameters()"),
            "parameter 1 is \"b\" in parameter_names but \"c\" in parameters()");
  EXPECT_EQ(naming_mismatch("column", declared, "write_row", std::vector<std::string>{"a", "b"},
                            "columns()"),
            "write_row has 3 columns but columns() has 2 (column 2: \"c\" only in write_row)");
  EXPECT_EQ(naming_mismatch("column", std::span(declared).first(1), "write_row",
                            std::vector<std::string>{"a", "b"}, "columns()"),
            "write_row has 1 columns but columns() has 2 (column 1: \"b\" only in columns())");
}

TEST(Plugin, EveryRegisteredModelAgreesWithItsOwnTables) {
  // Building a model runs the checks; a disagreeing model would abort here.
  for (const auto& name : catalog::model_names()) EXPECT_EQ(catalog::find_model(name).name(), name);
}

}  // namespace
}  // namespace tribe::model

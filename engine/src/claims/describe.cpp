#include "tribe/claims/describe.hpp"

#include <cstdio>
#include <vector>

#include "tribe/core/error.hpp"
#include "tribe/core/text.hpp"

namespace tribe::claims {

std::string describe(const ClaimSpec& c, const design::Experiment& x) {
  char value[32];
  std::snprintf(value, sizeof value, "%g", c.value);
  const std::string than = (c.is_greater() ? " > " : " < ") + std::string(value);
  const auto columns = x.model->columns();
  const bool binary =
      columns[model::find_column(columns, c.column)].kind == model::ColumnKind::Binary;
  const std::string stat = binary ? "rate" : "mean";
  const std::string of_a = stat + "(" + c.column + " | " + c.a.text + ")";
  const std::string difference =
      of_a + " - " + stat + "(" + c.column + " | " + c.b.text + ")" + (c.paired ? " [paired]" : "");
  // eta2, S1 or ST of the factor group a, minus that of group b if there is one.
  auto groups = [&](const std::string& index) {
    const std::string a = join(c.factors_a, ","), b = join(c.factors_b, ",");
    return index + "(" + c.column + ": " + a + ")" +
           (b.empty() ? "" : " - " + index + "(" + c.column + ": " + b + ")");
  };
  std::string statistic;
  switch (c.test.statistic) {
    case Statistic::Mean:
      statistic = of_a;
      break;
    case Statistic::Difference:
      statistic = difference;
      break;
    case Statistic::VarianceShare:
      statistic = groups("eta2");
      break;
    case Statistic::SobolFirst:
      statistic = groups("S1");
      break;
    case Statistic::SobolTotal:
      statistic = groups("ST");
      break;
    case Statistic::Interaction: {
      std::vector<std::string> names;
      for (auto f : c.interaction) names.push_back(x.factors[f].name);
      statistic = "interaction(" + join(names, " x ") + ") of mean(" + c.column + " | " + c.a.text +
                  ") [paired]";
      break;
    }
    case Statistic::Correlation:
      statistic = "spearman(" + c.column + ", " + c.with + " | " + c.a.text + ", within cells)";
      break;
    case Statistic::RankCorrelation:
      statistic = "spearman(" + c.column + ", " + c.with + " | " + c.a.text +
                  ", between organizations" +
                  (c.controls.empty() ? "" : ", net of " + join(c.controls, ", ")) + ")";
      break;
  }
  switch (c.test.direction) {
    case Direction::Above:
    case Direction::Below:
      return statistic + than;
    case Direction::Equivalent:
      return "|" + statistic + "| < " + value;
    case Direction::Within: {
      char low[32], high[32];
      std::snprintf(low, sizeof low, "%g", c.value);
      std::snprintf(high, sizeof high, "%g", c.value_high);
      return std::string(low) + " < " + statistic + " < " + high;
    }
  }
  TRIBE_CHECK(false, "claims::describe: a test without a description");
  return {};
}

}  // namespace tribe::claims

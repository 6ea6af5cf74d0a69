#include "tribe/catalog/defined.hpp"

#include <map>
#include <memory>
#include <set>

#include "tribe/catalog/registry.hpp"
#include "tribe/core/error.hpp"

namespace tribe::catalog {
namespace {

class DefinedModel final : public model::Model {
 public:
  explicit DefinedModel(ModelDefinition d) : d_(std::move(d)) {}
  void redefine(ModelDefinition d) { d_ = std::move(d); }

  std::string_view name() const override { return d_.name; }
  std::string_view version() const override { return d_.version; }
  std::string_view description() const override { return d_.description; }
  std::span<const model::ParameterSpec> parameters() const override { return d_.parameters; }
  std::span<const model::ColumnSpec> columns() const override { return d_.columns; }
  void validate(const model::ParameterValues& values) const override {
    if (d_.check) d_.check(values);
  }
  std::unique_ptr<const model::CellModel> bind(
      const model::ParameterValues& values) const override {
    return std::make_unique<Cell>(values, d_.simulate);
  }
  std::unique_ptr<model::Workspace> make_workspace() const override {
    return std::make_unique<model::Workspace>();
  }

 private:
  class Cell final : public model::CellModel {
   public:
    Cell(model::ParameterValues values, const decltype(ModelDefinition::simulate)& simulate)
        : values_(std::move(values)), simulate_(simulate) {}
    void simulate(const model::OrgContext& ctx, model::Workspace& /*ws*/,
                  std::span<double> row) const override {
      simulate_(values_, ctx, row);
    }

   private:
    model::ParameterValues values_;
    std::function<void(const model::ParameterValues&, const model::OrgContext&, std::span<double>)>
        simulate_;
  };

  ModelDefinition d_;
};

// Defined models live as long as the program: the registry holds pointers to them.
std::map<std::string, std::unique_ptr<DefinedModel>>& defined_models() {
  static std::map<std::string, std::unique_ptr<DefinedModel>> models;
  return models;
}

void check_definition(const ModelDefinition& d) {
  const std::string where = "model \"" + d.name + "\"";
  if (d.name.empty() || !(d.name[0] >= 'a' && d.name[0] <= 'z') ||
      d.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos)
    throw InputError(where +
                     ": a model name is lower case letters, digits and _, starting with "
                     "a letter");
  if (!d.simulate) throw InputError(where + ": no simulation function");
  if (d.columns.empty()) throw InputError(where + ": a model needs at least one column");
  std::set<std::string> seen;
  for (const auto& p : d.parameters)
    if (p.name.empty() || !seen.insert(p.name).second)
      throw InputError(where + ": parameter \"" + p.name + "\" is empty or declared twice");
  seen.clear();
  for (const auto& c : d.columns)
    if (c.name.empty() || !seen.insert(c.name).second)
      throw InputError(where + ": column \"" + c.name + "\" is empty or declared twice");
}

}  // namespace

const model::Model& define_model(ModelDefinition d) {
  check_definition(d);
  auto& models = defined_models();
  if (auto it = models.find(d.name); it != models.end()) {
    it->second->redefine(std::move(d));
    return *it->second;
  }
  if (is_registered(d.name))
    throw InputError("model \"" + d.name +
                     "\" is built into tribe or loaded from a library: name the Python model "
                     "otherwise");
  auto model = std::make_unique<DefinedModel>(std::move(d));
  register_model(*model);
  const std::string name(model->name());
  return *models.emplace(name, std::move(model)).first->second;
}

}  // namespace tribe::catalog

#pragma once
// What every model plug-in shares, so that a plug-in is only its tables, its checks and
// one simulation function. A plug-in derives from Plugin<Traits>, where Traits gives
//
//   using Config  = ...;   // one cell's parameters, built once per cell by configure()
//   using Scratch = ...;   // per-thread memory (state, result); default-constructible
//   static Config configure(const ParameterValues& values);
//   static void simulate(const Config& config, const OrgContext& ctx, Scratch& scratch,
//                        std::span<double> row);   // one row, one value per column
//
// and overrides check() for the rules that go across parameters (each value is already
// within its own range, and the number of values is checked here).
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tribe/core/error.hpp"
#include "tribe/model/model.hpp"

namespace tribe::model {

template <class Traits>
class Plugin : public Model {
 public:
  using Config = typename Traits::Config;
  using Scratch = typename Traits::Scratch;

  Plugin(std::string name, std::string version, std::string description,
         std::vector<ParameterSpec> parameters, std::vector<ColumnSpec> columns)
      : name_(std::move(name)),
        version_(std::move(version)),
        description_(std::move(description)),
        parameters_(std::move(parameters)),
        columns_(std::move(columns)) {}

  std::string_view name() const final { return name_; }
  std::string_view version() const final { return version_; }
  std::string_view description() const final { return description_; }
  std::span<const ParameterSpec> parameters() const final { return parameters_; }
  std::span<const ColumnSpec> columns() const final { return columns_; }

  void validate(const ParameterValues& values) const final {
    if (values.size() != parameters_.size())
      throw InputError(name_ + ": expected " + std::to_string(parameters_.size()) +
                       " parameter values, got " + std::to_string(values.size()));
    check(values);
  }

  std::unique_ptr<const CellModel> bind(const ParameterValues& values) const final {
    validate(values);
    return std::make_unique<Cell>(Traits::configure(values), columns_.size(), name_);
  }

  std::unique_ptr<Workspace> make_workspace() const final { return std::make_unique<Space>(); }

 protected:
  /// Rules across parameters; throws InputError naming the keys, values and what is allowed.
  virtual void check(const ParameterValues& /*values*/) const {}

 private:
  struct Space final : Workspace {
    Scratch scratch;
  };

  class Cell final : public CellModel {
   public:
    Cell(Config config, std::size_t columns, const std::string& model)
        : config_(std::move(config)), columns_(columns), model_(model) {}
    void simulate(const OrgContext& ctx, Workspace& ws, std::span<double> row) const override {
      TRIBE_CHECK(row.size() == columns_, model_ + ": row size differs from the column count");
      Traits::simulate(config_, ctx, static_cast<Space&>(ws).scratch, row);
    }

   private:
    Config config_;
    std::size_t columns_;
    std::string model_;
  };

  std::string name_, version_, description_;
  std::vector<ParameterSpec> parameters_;
  std::vector<ColumnSpec> columns_;
};

}  // namespace tribe::model

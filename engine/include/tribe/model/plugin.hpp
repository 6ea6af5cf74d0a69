#pragma once
// What every model plug-in shares, so that a plug-in is only its tables, its checks and
// one simulation function. A plug-in derives from Plugin<Traits>, where Traits gives
//
//   using Config  = ...;   // one cell's parameters, built once per cell from the table
//   using Scratch = ...;   // per-thread memory (state, result); default-constructible
//   static void simulate(const Config& config, const OrgContext& ctx, Scratch& scratch);
//   static void write_row(const Config& config, const Scratch& scratch, RowWriter& out);
//                          // out("column", value) for every column, in the order of columns()
//
// and gives Plugin its parameter table: each parameter declared once, binding its name,
// type, range, default and meaning to the member of Config it sets,
//
//   model::real("control", &Config::control, 0, 1, 0.2, "upstream control kappa ..."),
//
// from which Plugin derives parameters() (the experiment parser's schema and `tribe models`)
// and the Config of every cell. It overrides check(const Config&) for the rules that go
// across parameters (each value is already within its own range).
//
// A model cannot write a column in the wrong slot silently: when it is built, Plugin checks
// that write_row writes exactly the columns of columns(), in order (RowWriter's naming
// mode), and that no two parameters share a name; a model that disagrees with itself is
// refused (an internal error at the first use of the model).
#include <array>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tribe/core/error.hpp"
#include "tribe/model/model.hpp"
#include "tribe/model/row_writer.hpp"

namespace tribe::model {

/// One parameter of a model, declared once: its spec (name, type, range or choices, default,
/// meaning) and how its value sets the model's Config. Written with the helpers below.
template <class Config>
struct Parameter {
  ParameterSpec spec;
  std::function<void(Config&, double)> set;
};

/// An integer parameter stored in `member` (any integer type).
template <class Config, class T>
Parameter<Config> integer(std::string name, T Config::*member, double min, double max,
                          double default_value, std::string description) {
  return {integer_parameter(std::move(name), min, max, default_value, std::move(description)),
          [member](Config& c, double v) { c.*member = static_cast<T>(v); }};
}

/// A real parameter stored in `member`.
template <class Config>
Parameter<Config> real(std::string name, double Config::*member, double min, double max,
                       double default_value, std::string description) {
  return {real_parameter(std::move(name), min, max, default_value, std::move(description)),
          [member](Config& c, double v) { c.*member = v; }};
}

/// A real parameter stored in a member of a member (a group of related values in Config).
template <class Config, class Group>
Parameter<Config> real(std::string name, Group Config::*group, double Group::*member, double min,
                       double max, double default_value, std::string description) {
  return {real_parameter(std::move(name), min, max, default_value, std::move(description)),
          [group, member](Config& c, double v) { (c.*group).*member = v; }};
}

/// A true/false parameter (the experiment writes true or false).
template <class Config>
Parameter<Config> boolean(std::string name, bool Config::*member, bool default_value,
                          std::string description) {
  return {ParameterSpec{std::move(name),
                        ParamType::Boolean,
                        0,
                        1,
                        default_value ? 1.0 : 0.0,
                        {},
                        std::move(description)},
          [member](Config& c, double v) { c.*member = v != 0.0; }};
}

/// A parameter with named values, stored as the index of the value chosen (an enum whose
/// values are 0, 1, ... in the order of `choices`, or an integer).
template <class Config, class E>
Parameter<Config> choice(std::string name, E Config::*member, std::vector<std::string> choices,
                         std::size_t default_index, std::string description) {
  const double last = static_cast<double>(choices.size()) - 1;
  return {
      ParameterSpec{std::move(name), ParamType::Choice, 0, last, static_cast<double>(default_index),
                    std::move(choices), std::move(description)},
      [member](Config& c, double v) { c.*member = static_cast<E>(static_cast<int>(v)); }};
}

/// Empty when `declared` lists exactly the names `listed`, in order; else one line saying
/// where the two first differ, e.g. `parameter 3 is "span" in parameter_names but
/// "span_spread" in parameters()`. `what` is "parameter" or "column"; `declared_in` and
/// `listed_in` say where the two lists come from.
std::string naming_mismatch(std::string_view what, std::span<const std::string_view> declared,
                            std::string_view declared_in, std::span<const std::string> listed,
                            std::string_view listed_in);

/// Names of parameters or columns, in order.
std::vector<std::string> names_of(std::span<const ParameterSpec> specs);
std::vector<std::string> names_of(std::span<const ColumnSpec> specs);

/// The usual first half of a Traits: a model whose simulation is one function
/// `simulate(config, ctx, state, result)` over a per-thread state and result,
///
///   struct MyTraits : model::SimulationTraits<Config, State, Result, simulate_organization> {
///     static void write_row(const Config&, const Scratch& w, RowWriter& out);  // w.result
///   };
template <class ConfigT, class StateT, class ResultT,
          void (*Simulate)(const ConfigT&, const OrgContext&, StateT&, ResultT&)>
struct SimulationTraits {
  using Config = ConfigT;
  struct Scratch {
    StateT state;
    ResultT result;
  };
  static void simulate(const Config& c, const OrgContext& ctx, Scratch& w) {
    Simulate(c, ctx, w.state, w.result);
  }
};

template <class Traits>
class Plugin : public Model {
 public:
  using Config = typename Traits::Config;
  using Scratch = typename Traits::Scratch;

  Plugin(std::string name, std::string version, std::string description,
         std::vector<Parameter<Config>> parameters, std::vector<ColumnSpec> columns)
      : name_(std::move(name)),
        version_(std::move(version)),
        description_(std::move(description)),
        columns_(std::move(columns)) {
    for (auto& p : parameters) {
      parameters_.push_back(std::move(p.spec));
      setters_.push_back(std::move(p.set));
    }
    check_naming();
  }

  std::string_view name() const final { return name_; }
  std::string_view version() const final { return version_; }
  std::string_view description() const final { return description_; }
  std::span<const ParameterSpec> parameters() const final { return parameters_; }
  std::span<const ColumnSpec> columns() const final { return columns_; }

  void validate(const ParameterValues& values) const final { check(configure(values)); }

  std::unique_ptr<const CellModel> bind(const ParameterValues& values) const final {
    Config config = configure(values);
    check(config);
    return std::make_unique<Cell>(std::move(config), columns_.size(), name_);
  }

  void check_memory(const ParameterValues& values, double bytes_per_worker) const final {
    check_memory(configure(values), bytes_per_worker);
  }

  /// One cell's Config: every parameter's value set as its table entry says.
  Config configure(const ParameterValues& values) const {
    if (values.size() != parameters_.size())
      throw InputError(name_ + ": expected " + std::to_string(parameters_.size()) +
                       " parameter values, got " + std::to_string(values.size()));
    Config config{};
    for (std::size_t i = 0; i < values.size(); ++i) setters_[i](config, values[i]);
    return config;
  }

  /// The index of parameter `name` in parameters() (an internal error if there is none):
  /// for the code that reads ParameterValues directly (a derived column's thresholds).
  std::size_t index_of(std::string_view parameter) const {
    const std::size_t i = find_parameter(parameters_, parameter);
    TRIBE_CHECK(i != npos, name_ + ": no parameter " + std::string(parameter));
    return i;
  }

  std::unique_ptr<Workspace> make_workspace() const final { return std::make_unique<Space>(); }

 protected:
  /// Rules across parameters; throws InputError naming the keys, values and what is allowed.
  virtual void check(const Config& /*config*/) const {}
  /// Refuses, before any work, a cell whose organization cannot fit in `bytes_per_worker`
  /// (InputError naming the parameters and the largest value that fits).
  virtual void check_memory(const Config& /*config*/, double /*bytes_per_worker*/) const {}

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
      Scratch& scratch = static_cast<Space&>(ws).scratch;
      Traits::simulate(config_, ctx, scratch);
      RowWriter out(row);
      Traits::write_row(config_, scratch, out);
      TRIBE_CHECK(out.written() == columns_,
                  model_ + ": a model wrote fewer values than it has columns");
    }

   private:
    Config config_;
    std::size_t columns_;
    std::string model_;
  };

  // Parameter names are unique, and the model's row writer agrees with its columns().
  void check_naming() const {
    for (std::size_t i = 0; i < parameters_.size(); ++i)
      TRIBE_CHECK(find_parameter(parameters_, parameters_[i].name) == i,
                  name_ + ": parameter \"" + parameters_[i].name + "\" is declared twice");
    std::vector<std::string> written;
    RowWriter naming = RowWriter::naming(written);
    const auto config = std::make_unique<const Config>();
    const auto scratch = std::make_unique<const Scratch>();
    Traits::write_row(*config, *scratch, naming);
    std::vector<std::string_view> written_views(written.begin(), written.end());
    const std::string columns = naming_mismatch("column", written_views, "write_row",
                                                names_of(std::span(columns_)), "columns()");
    TRIBE_CHECK(columns.empty(), name_ + ": " + columns);
  }

  std::string name_, version_, description_;
  std::vector<ParameterSpec> parameters_;
  std::vector<std::function<void(Config&, double)>> setters_;
  std::vector<ColumnSpec> columns_;
};

/// The one instance of a plug-in class, built (and its tables checked) at its first use:
/// what a model's `model()` returns.
template <class PluginClass>
const Model& instance() {
  static const PluginClass plugin;
  return plugin;
}

}  // namespace tribe::model

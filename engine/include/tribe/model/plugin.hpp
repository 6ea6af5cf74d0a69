#pragma once
// What every model plug-in shares, so that a plug-in is only its tables, its checks and
// one simulation function. A plug-in derives from Plugin<Traits>, where Traits gives
//
//   using Config  = ...;   // one cell's parameters, built once per cell by configure()
//   using Scratch = ...;   // per-thread memory (state, result); default-constructible
//   static constexpr std::array<std::string_view, N> parameter_names = index_names<N>({...});
//                          // the name of each parameter index configure() and check() use
//   static Config configure(const ParameterValues& values);
//   static void simulate(const Config& config, const OrgContext& ctx, Scratch& scratch);
//   static void write_row(const Config& config, const Scratch& scratch, RowWriter& out);
//                          // out("column", value) for every column, in the order of columns()
//
// and overrides check() for the rules that go across parameters (each value is already
// within its own range, and the number of values is checked here).
//
// A model cannot read or write the wrong slot silently: when it is built, Plugin checks that
// parameter_names lists exactly the names of parameters(), in order, and that write_row
// writes exactly the columns of columns(), in order (RowWriter's naming mode); a model that
// disagrees with itself is refused (an internal error at the first use of the model).
#include <array>
#include <cstddef>
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

/// A table of names by index, written as {index, name} pairs so that every line shows which
/// index names which parameter: parameter_names = index_names<kCount>({{kAgents, "agents"}, ...}).
/// An index out of range, given twice or left out does not compile.
template <std::size_t N>
consteval std::array<std::string_view, N> index_names(
    std::initializer_list<std::pair<std::size_t, std::string_view>> entries) {
  std::array<std::string_view, N> names{};
  for (const auto& [index, name] : entries) {
    if (index >= N) throw "index_names: an index is out of range";
    if (!names[index].empty()) throw "index_names: an index is named twice";
    if (name.empty()) throw "index_names: a name is empty";
    names[index] = name;
  }
  for (const auto& name : names)
    if (name.empty()) throw "index_names: an index has no name";
  return names;
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
        columns_(std::move(columns)) {
    check_naming();
  }

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

  // The model's index table and its row writer agree with its parameters() and columns().
  void check_naming() const {
    const std::span<const std::string_view> declared = Traits::parameter_names;
    const std::string parameters = naming_mismatch(
        "parameter", declared, "parameter_names", names_of(std::span(parameters_)), "parameters()");
    TRIBE_CHECK(parameters.empty(), name_ + ": " + parameters);
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

#pragma once
// The model plug-in interface. A model turns (cell parameters, organization
// index, seed) into one row of outputs; it is a pure function of those, so any
// runner may compute any organization anywhere and get the same row.
//
//   Model            describes parameters and columns; validates; binds a cell
//   CellModel        a model bound to one cell's parameters (immutable, shared by threads)
//   Workspace        per-thread scratch memory, reused across organizations (no allocation
//                    in the hot loop once it has grown to the largest organization)
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tribe/model/parameters.hpp"
#include "tribe/rng/stream.hpp"

namespace tribe::model {

/// Scratch memory owned by one worker thread. It holds no state that outlives
/// one organization, so which thread uses which workspace never changes results.
class Workspace {
 public:
  virtual ~Workspace() = default;
};

/// Everything that identifies the random numbers of one organization.
struct OrgContext {
  std::uint64_t seed = 0;          // master seed of the experiment
  std::uint64_t organization = 0;  // index of the organization within its cell
  std::uint64_t domain = 0;        // 0 with common random numbers across cells, else cell + 1

  /// The random stream of one mechanism (`purpose`, a value of the model's own enum) of
  /// this organization, at `substream` (a period, a round): keyed by (seed, purpose),
  /// counting (organization, draw block, substream, domain) (rng/stream.hpp).
  template <class Purpose>
  rng::Stream stream(Purpose purpose, std::uint64_t substream = 0) const {
    return rng::Stream(seed, static_cast<std::uint64_t>(purpose), organization, substream, domain);
  }
};

struct DerivedColumn {
  std::string column;                   // the derived column (one of columns())
  std::vector<std::string> inputs;      // columns it is computed from
  std::vector<std::string> thresholds;  // parameters it depends on (and nothing else)
};

class CellModel {
 public:
  virtual ~CellModel() = default;
  /// Simulates one organization and writes one value per column into `row`.
  virtual void simulate(const OrgContext& ctx, Workspace& ws, std::span<double> row) const = 0;
};

class Model {
 public:
  virtual ~Model() = default;

  virtual std::string_view name() const = 0;
  /// Version of the model's mechanisms; bumped when results change.
  virtual std::string_view version() const = 0;
  virtual std::string_view description() const = 0;

  virtual std::span<const ParameterSpec> parameters() const = 0;
  virtual std::span<const ColumnSpec> columns() const = 0;

  /// Checks that go across parameters (each value is already within its own
  /// range). Throws InputError naming the keys, the values and what is allowed.
  virtual void validate(const ParameterValues& values) const = 0;

  /// Binds the model to one cell's (validated) parameter values.
  virtual std::unique_ptr<const CellModel> bind(const ParameterValues& values) const = 0;

  /// A fresh workspace for one worker thread.
  virtual std::unique_ptr<Workspace> make_workspace() const = 0;

  /// Checks, before a run starts, that one organization of a cell with these (validated)
  /// values fits in `bytes_per_worker` bytes of a worker's workspace. A model whose
  /// memory grows fast with a parameter (ties grow with agents^2) throws InputError
  /// naming the parameter, the memory it needs and the largest value that fits, instead
  /// of failing with bad_alloc in the middle of the run. Small models need not override.
  virtual void check_memory(const ParameterValues& /*values*/, double /*bytes_per_worker*/) const {}

  /// Columns that are pure functions of other columns and of parameters that
  /// change no simulation (classification thresholds). The engine re-derives them
  /// under other thresholds to check that conclusions are robust to the thresholds.
  virtual std::span<const DerivedColumn> derived_columns() const { return {}; }
  /// Value of derived column `d` (index into derived_columns()) from its inputs (in the
  /// order of DerivedColumn::inputs) and parameter values.
  virtual double derive(std::size_t /*d*/, std::span<const double> /*inputs*/,
                        const ParameterValues& /*values*/) const {
    return 0.0;
  }
};

}  // namespace tribe::model

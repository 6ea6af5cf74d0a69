// tribe._tribe: the compiled core of the Python module `tribe` (see python/tribe/).
//
// It binds the same engine library the command-line program links (no second
// implementation): the model catalog, and a run of an experiment as `tribe run` does it
// (parts, resume, precision targets, assembly). The GIL is released while the engine
// computes; between windows of blocks the calling thread takes it back briefly to report
// progress and to let Python see a pending Ctrl-C, which then stops the run as SIGINT
// stops the CLI: finished parts are kept and the same call resumes.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tribe/catalog/defined.hpp"
#include "tribe/catalog/describe.hpp"
#include "tribe/catalog/registry.hpp"
#include "tribe/core/error.hpp"
#include "tribe/core/text.hpp"
#include "tribe/core/version.hpp"
#include "tribe/job/job.hpp"
#include "tribe/job/request.hpp"
#include "tribe/report/summary.hpp"

namespace py = pybind11;

namespace {

py::dict describe_parameter(const tribe::model::ParameterSpec& p) {
  using tribe::model::ParamType;
  py::dict d;
  d["name"] = p.name;
  d["type"] = std::string(tribe::model::to_string(p.type));
  switch (p.type) {
    case ParamType::Real:
      d["min"] = p.min;
      d["max"] = p.max;
      d["default"] = p.default_value;
      break;
    case ParamType::Integer:
      d["min"] = static_cast<std::int64_t>(p.min);
      d["max"] = static_cast<std::int64_t>(p.max);
      d["default"] = static_cast<std::int64_t>(p.default_value);
      break;
    case ParamType::Boolean:
      d["default"] = p.default_value != 0.0;
      break;
    case ParamType::Choice:
      d["choices"] = p.choices;
      d["default"] = tribe::model::format_value(p, p.default_value);
      break;
  }
  d["description"] = p.description;
  return d;
}

py::dict describe_model(const tribe::model::Model& m) {
  py::dict d;
  d["name"] = std::string(m.name());
  d["version"] = std::string(m.version());
  d["description"] = std::string(m.description());
  py::list parameters, columns, derived;
  for (const auto& p : m.parameters()) parameters.append(describe_parameter(p));
  for (const auto& c : m.columns()) {
    py::dict col;
    col["name"] = c.name;
    col["kind"] = std::string(tribe::model::to_string(c.kind));
    col["role"] = std::string(tribe::model::to_string(c.role));
    col["description"] = c.description;
    if (!c.series.empty()) {  // a point of a time series (stored as one 2-D dataset)
      col["series"] = c.series;
      col["time"] = c.time;
    }
    columns.append(col);
  }
  for (const auto& x : m.derived_columns()) {
    py::dict dc;
    dc["column"] = x.column;
    dc["inputs"] = x.inputs;
    dc["thresholds"] = x.thresholds;
    derived.append(dc);
  }
  d["parameters"] = parameters;
  d["columns"] = columns;
  d["derived_columns"] = derived;
  return d;
}

/// A Python error raised inside a callback, kept (with the GIL released in between)
/// until the engine has returned.
struct PendingError {
  py::object type, value, traceback;
  bool set() const { return static_cast<bool>(type); }
  void fetch() {
    PyObject *t = nullptr, *v = nullptr, *tb = nullptr;
    PyErr_Fetch(&t, &v, &tb);
    PyErr_NormalizeException(&t, &v, &tb);
    type = py::reinterpret_steal<py::object>(t);
    value = py::reinterpret_steal<py::object>(v);
    traceback = py::reinterpret_steal<py::object>(tb);
  }
  bool is_keyboard_interrupt() const {
    return set() && PyErr_GivenExceptionMatches(type.ptr(), PyExc_KeyboardInterrupt);
  }
  [[noreturn]] void raise() {
    PyErr_Restore(type.release().ptr(), value.release().ptr(), traceback.release().ptr());
    throw py::error_already_set();
  }
};

// SIGINT while the engine runs (the GIL released, this thread inside the engine): Python's
// own handler would only mark the signal for later, and the run would go on to its end
// (issue 27, item 6). For the run's duration the engine's handler stands in for it: it
// stops the run in whatever phase it is (computing, assembling, evaluating claims), and
// the call raises tribe.Interrupted. Python's handler is restored when the run returns.
std::atomic<bool>* g_run_stop = nullptr;
volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void on_interrupt(int) {
  g_interrupted = 1;
  if (g_run_stop) g_run_stop->store(true);
}

class InterruptScope {
 public:
  InterruptScope(std::atomic<bool>& stop, bool main_thread) : active_(main_thread) {
    if (!active_) return;  // signals reach Python's main thread only
    g_run_stop = &stop;
    g_interrupted = 0;
    struct sigaction sa {};
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &previous_);
  }
  ~InterruptScope() {
    if (!active_) return;
    sigaction(SIGINT, &previous_, nullptr);
    g_run_stop = nullptr;
  }
  bool interrupted() const { return active_ && g_interrupted != 0; }
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

 private:
  bool active_;
  struct sigaction previous_ {};
};

/// Where a model written in Python reports its first exception during a run: the run's
/// pending error (raised when the engine returns) and its stop flag. Set by run() for its
/// duration; read by the models' callbacks with the GIL held.
struct ModelErrorSink {
  PendingError* pending = nullptr;
  std::atomic<bool>* stop = nullptr;
};
ModelErrorSink g_model_errors;

/// A model written in Python (python/tribe/model.py): its tables, and `simulate(values,
/// seed, organization, domain) -> list of floats` (one per column), called from the
/// engine's worker threads with the GIL taken. An exception stops the run (the engine's
/// stop flag) and is raised by run(); the organization's row is zeros meanwhile.
const tribe::model::Model& define_python_model(const std::string& name, const std::string& version,
                                               const std::string& description,
                                               const py::list& parameters, const py::list& columns,
                                               py::object simulate, py::object check) {
  using namespace tribe;
  catalog::ModelDefinition d;
  d.name = name;
  d.version = version;
  d.description = description;
  for (const auto& item : parameters) {
    const auto p = item.cast<py::dict>();
    model::ParameterSpec spec;
    spec.name = p["name"].cast<std::string>();
    const auto type = p["type"].cast<std::string>();
    const std::vector<std::string> types = {"real", "integer", "boolean", "choice"};
    const auto t = std::find(types.begin(), types.end(), type);
    if (t == types.end())
      throw InputError("parameter " + spec.name + ": type \"" + type +
                       "\" is not allowed (real, integer, boolean or choice)");
    spec.type = static_cast<model::ParamType>(t - types.begin());
    spec.min = p["min"].cast<double>();
    spec.max = p["max"].cast<double>();
    spec.default_value = p["default"].cast<double>();
    spec.choices = p["choices"].cast<std::vector<std::string>>();
    spec.description = p["description"].cast<std::string>();
    d.parameters.push_back(std::move(spec));
  }
  for (const auto& item : columns) {
    const auto c = item.cast<py::dict>();
    const auto kind = c["kind"].cast<std::string>(), role = c["role"].cast<std::string>();
    const std::vector<std::string> kinds = {"binary", "count", "real"};
    const auto k = std::find(kinds.begin(), kinds.end(), kind);
    if (k == kinds.end())
      throw InputError("column " + c["name"].cast<std::string>() + ": kind \"" + kind +
                       "\" is not allowed (binary, count or real)");
    d.columns.push_back(model::column(
        c["name"].cast<std::string>(), static_cast<model::ColumnKind>(k - kinds.begin()),
        role == "drawn" ? model::ColumnRole::Drawn : model::ColumnRole::Outcome,
        c["description"].cast<std::string>()));
  }
  // The callables live as long as the program: the catalog keeps its models until static
  // destruction, after Python has finalized, when a py::object may no longer be released.
  const auto* shared_simulate = new py::object(std::move(simulate));
  d.simulate = [shared_simulate](const model::ParameterValues& values, const model::OrgContext& ctx,
                                 std::span<double> row) {
    py::gil_scoped_acquire gil;
    std::fill(row.begin(), row.end(), 0.0);
    if (g_model_errors.pending && g_model_errors.pending->set()) return;  // stopping already
    try {
      const auto out = (*shared_simulate)(values, ctx.seed, ctx.organization, ctx.domain)
                           .cast<std::vector<double>>();
      TRIBE_CHECK(out.size() == row.size(), "a Python model returned a row of another size");
      std::copy(out.begin(), out.end(), row.begin());
    } catch (py::error_already_set& e) {
      if (!g_model_errors.pending) throw;  // not inside run(): cannot happen
      e.restore();
      g_model_errors.pending->fetch();
      g_model_errors.stop->store(true);
    }
  };
  if (!check.is_none()) {
    const auto* shared_check = new py::object(std::move(check));
    d.check = [shared_check](const model::ParameterValues& values) {
      py::gil_scoped_acquire gil;
      try {
        (*shared_check)(values);
      } catch (py::error_already_set& e) {
        // A rule across parameters the model refuses: bad input, like an engine model's.
        throw InputError(one_line(py::str(e.value()).cast<std::string>()));
      }
    };
  }
  return catalog::define_model(std::move(d));
}

/// Runs an experiment like `tribe run`. `progress(done, total, seconds)` and `note(text)`
/// are called with the GIL held (either may be None). Returns a dict describing the run;
/// an interruption is reported in it ("stopped": True) with the exception that caused it
/// ("interrupt") for the Python layer to raise.
py::dict run(const tribe::job::RunRequest& q, const py::object& progress, const py::object& note) {
  using namespace tribe;
  job::ResolvedRun resolved = job::resolve(q, job::Spelling::python);
  job::JobOptions& o = resolved.options;

  std::atomic<bool> stop{false};
  PendingError pending;
  o.run.stop = &stop;
  // Called by the engine on this (the calling) thread, between windows of blocks and while
  // the GIL is released: take it, let Python handle signals (a KeyboardInterrupt stops the
  // run gracefully), report progress. No Python exception may cross the engine.
  o.run.on_progress = [&](const auto& p) {
    py::gil_scoped_acquire gil;
    if (pending.set()) return;
    if (PyErr_CheckSignals() != 0) {
      pending.fetch();
      stop.store(true);
      return;
    }
    if (progress.is_none()) return;
    try {
      progress(p.done, std::max(p.total, p.done), p.elapsed_seconds);
    } catch (py::error_already_set& e) {
      e.restore();
      pending.fetch();
      stop.store(true);
    }
  };
  o.note = [&](const std::string& s) {
    py::gil_scoped_acquire gil;
    if (note.is_none() || pending.set()) return;
    try {
      note(s);
    } catch (py::error_already_set& e) {
      e.restore();
      pending.fetch();
      stop.store(true);
    }
  };

  job::JobResult r;
  g_model_errors = {&pending, &stop};
  struct ClearSink {
    ~ClearSink() { g_model_errors = {}; }
  } clear_sink;
  const py::module_ threading = py::module_::import("threading");
  const bool main_thread = threading.attr("current_thread")().is(threading.attr("main_thread")());
  {
    InterruptScope interrupts(stop, main_thread);
    {
      py::gil_scoped_release release;
      r = job::run_job(resolved.experiment, o);
    }
    if (interrupts.interrupted() && !pending.set()) {
      PyErr_SetNone(PyExc_KeyboardInterrupt);
      pending.fetch();
    }
  }
  if (pending.set() && !pending.is_keyboard_interrupt()) pending.raise();  // a failing callback
  py::dict d;
  d["output"] = o.output.string();
  d["complete"] = r.complete;
  d["stopped"] = r.stopped;
  d["stopped_while"] = r.stopped_while;
  d["resumed_from"] = r.resumed_from;
  d["computed"] = r.computed;
  d["total"] = r.total;
  d["seconds"] = r.seconds;
  d["threads"] = r.threads;
  d["parts"] = r.parts.string();
  d["interrupt"] = pending.is_keyboard_interrupt() ? pending.value : py::none();
  return d;
}

}  // namespace

PYBIND11_MODULE(_tribe, m) {
  m.doc() = "The compiled core of the tribe Python module (use `import tribe`).";

  // Engine errors become the module's exception classes (defined in tribe/errors.py),
  // carrying the engine's one-line message.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const tribe::InputError& e) {
      py::object cls = py::module_::import("tribe.errors").attr("InputError");
      PyErr_SetString(cls.ptr(), tribe::one_line(e.what()).c_str());
    } catch (const tribe::EnvironmentError& e) {
      py::object cls = py::module_::import("tribe.errors").attr("EnvironmentFault");
      PyErr_SetString(cls.ptr(), tribe::one_line(e.what()).c_str());
    }
  });

  m.def("engine_version", [] { return std::string(tribe::version::engine()); });
  m.def("git_sha1", [] { return std::string(tribe::version::git_sha1()); });
  m.def("hardware_threads", &tribe::job::hardware_threads);
  m.def("model_names", &tribe::catalog::model_names, "Names of the registered models.");
  m.def(
      "describe_model",
      [](const std::string& name) { return describe_model(tribe::catalog::find_model(name)); },
      py::arg("name"),
      "Parameters, columns and derived columns of a model (as `tribe models NAME`).");
  m.def(
      "catalog_text",
      [](const std::string& name, bool markdown) {
        const auto f = markdown ? tribe::catalog::Format::markdown : tribe::catalog::Format::text;
        return tribe::catalog::describe(name, f);
      },
      py::arg("name") = "", py::arg("markdown") = false, "The text `tribe models [NAME]` prints.");
  m.def(
      "validate_result",
      [](const std::string& path, bool allow_incomplete) {
        // The CLI's one validation layer (io/validate.hpp): every dataset and attribute a
        // reader uses, the strings' digest, the format version; throws its one-line errors.
        py::gil_scoped_release release;
        tribe::report::check_result(path, allow_incomplete);
      },
      py::arg("path"), py::arg("allow_incomplete") = false,
      "Checks a result file as `tribe inspect` does (raises InputError or EnvironmentFault).");
  m.def(
      "define_model",
      [](const std::string& name, const std::string& version, const std::string& description,
         const py::list& parameters, const py::list& columns, py::object simulate,
         py::object check) {
        return describe_model(define_python_model(name, version, description, parameters, columns,
                                                  std::move(simulate), std::move(check)));
      },
      py::arg("name"), py::arg("version"), py::arg("description"), py::arg("parameters"),
      py::arg("columns"), py::arg("simulate"), py::arg("check") = py::none(),
      "Registers (or redefines) a model written in Python; use tribe.Model.");
  m.def(
      "check_experiment",
      [](const std::string& text, const std::string& source_path) {
        const auto x = tribe::job::check_experiment(text, source_path);
        py::dict d;
        d["name"] = x.name;
        d["model"] = std::string(x.model->name());
        d["cells"] = x.cell_count();
        d["organizations_per_cell"] = x.organizations_per_cell;
        d["seed"] = x.seed;
        d["output"] = x.output;
        return d;
      },
      py::arg("text"), py::arg("source_path") = "<string>",
      "Parses and validates an experiment (raises InputError like `tribe run` would).");

  m.def(
      "run",
      [](const std::string& text, const std::string& source_path, bool from_file,
         std::optional<std::string> output, std::optional<std::int64_t> seed,
         std::optional<std::int64_t> orgs_per_cell, const std::string& backend,
         std::optional<std::int64_t> threads, bool overwrite, bool resume,
         std::optional<double> ci_width, std::vector<std::string> ci_columns,
         std::optional<std::int64_t> max_orgs_per_cell, std::int64_t rows_per_part,
         const std::string& command_line, const py::object& progress, const py::object& note) {
        tribe::job::RunRequest q;
        q.experiment_path = source_path;
        if (!from_file) q.experiment_text = text;
        q.output = std::move(output);
        q.seed = seed;
        q.orgs_per_cell = orgs_per_cell;
        q.backend = backend;
        q.threads = threads;
        q.overwrite = overwrite;
        q.resume = resume;
        q.ci_width = ci_width;
        q.ci_columns = std::move(ci_columns);
        q.max_orgs_per_cell = max_orgs_per_cell;
        q.rows_per_part = rows_per_part;
        q.command_line = command_line;
        return run(q, progress, note);
      },
      py::arg("text"), py::arg("source_path"), py::arg("from_file") = false,
      py::arg("output") = py::none(), py::arg("seed") = py::none(),
      py::arg("orgs_per_cell") = py::none(), py::arg("backend") = "openmp",
      py::arg("threads") = py::none(), py::arg("overwrite") = false, py::arg("resume") = false,
      py::arg("ci_width") = py::none(), py::arg("ci_columns") = std::vector<std::string>{},
      py::arg("max_orgs_per_cell") = py::none(), py::arg("rows_per_part") = 65536,
      py::arg("command_line") = "", py::arg("progress") = py::none(), py::arg("note") = py::none(),
      "Runs an experiment as `tribe run` does (see tribe.run). Use tribe.run instead.");
}

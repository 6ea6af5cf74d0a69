// tribe_scaling: the strong- and weak-scaling study of the parallel runner.
//
// Runs an experiment's plan (with a reduced number of organizations per cell) through
// tribe::exec::run with a sink that discards every row, for each backend and thread
// count, several times, and writes the wall times, rates and parallel efficiencies,
// with the machine, compiler, flags and git commit, to a JSON file.
//
//   strong scaling: the same organizations (--orgs) at every thread count;
//   weak scaling:   organizations proportional to the threads (--weak-orgs-per-thread each).
//
// Repeats are interleaved (repeat r of every configuration before repeat r+1 of any), so
// slow drifts of a shared machine spread over all configurations instead of biasing one.
// See docs/performance.md; scripts/scaling.sh runs it and plots the result.
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tribe/core/error.hpp"
#include "tribe/core/provenance.hpp"
#include "tribe/core/version.hpp"
#include "tribe/design/experiment.hpp"
#include "tribe/design/plan.hpp"
#include "tribe/exec/runner.hpp"

namespace {

using namespace tribe;

/// Discards every row: the study measures simulation and reduction, not output.
class NullSink final : public exec::BlockSink {
 public:
  void consume(const exec::BlockRows& rows) override { organizations += rows.block.count; }
  std::uint64_t organizations = 0;
};

/// A finite number, or JSON null (NaN and infinities have no JSON form).
nlohmann::ordered_json number(double v) {
  if (!std::isfinite(v)) return nullptr;
  return v;
}

/// The first line of /proc/cpuinfo whose key is `key` ("model name"), or "".
std::string proc_value(const char* file, std::string_view key) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string k = line.substr(0, colon);
    while (!k.empty() && (k.back() == ' ' || k.back() == '\t')) k.pop_back();
    if (k != key) continue;
    std::string v = line.substr(colon + 1);
    v.erase(0, v.find_first_not_of(" \t"));
    return v;
  }
  return "";
}

std::string first_line(const char* file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

struct Config {
  std::string mode;  // "strong" or "weak"
  exec::Backend backend;
  unsigned threads;
  std::uint64_t orgs_per_cell;
  std::vector<double> seconds;  // wall time of each repeat
  std::vector<double> cpu;      // CPU time (user + system) of this process in each repeat
  std::vector<double>
      background;        // cores busy with other work (other processes, steal) in each repeat
  unsigned retries = 0;  // repeats redone because of --max-background
};

/// CPU seconds used by this process so far (user + system, every thread).
double process_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

/// CPU seconds the whole machine has been busy (all but idle and iowait, steal included),
/// from the first line of /proc/stat; 0 where it cannot be read.
double machine_busy_seconds() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  double v[10] = {};
  if (!(in >> cpu) || cpu != "cpu") return 0;
  for (double& x : v) in >> x;
  // user nice system idle iowait irq softirq steal guest guest_nice (guest is inside user)
  const double busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
  return busy / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

struct Args {
  std::string experiment = "experiments/claims.toml";
  std::string output = "results/scaling.json";
  std::uint64_t orgs = 4096;
  std::uint64_t weak_orgs_per_thread = 0;  // 0: --orgs / the largest thread count
  std::vector<unsigned> threads;           // empty: 1 .. hardware threads
  std::vector<std::string> backends = {"openmp", "tbb"};
  unsigned repeats = 5;
  unsigned warmup = 1;
  std::string mode = "both";
  std::uint64_t block_size = design::RunPlan::kDefaultBlockSize;
  double max_background = -1;  // < 0: keep every repeat
  unsigned max_retries = 10;
  bool quiet = false;
};

int run_study(const Args& a, const std::string& command_line) {
  const design::Experiment x = design::load_experiment(a.experiment);
  const std::uint64_t cells = x.cell_count();

  std::vector<unsigned> threads = a.threads;
  if (threads.empty())
    for (unsigned t = 1; t <= exec::hardware_threads(); ++t) threads.push_back(t);
  std::sort(threads.begin(), threads.end());
  threads.erase(std::unique(threads.begin(), threads.end()), threads.end());
  if (threads.empty() || threads.front() == 0)
    throw InputError("--threads-list: thread counts must be >= 1");
  std::vector<exec::Backend> backends;
  for (const auto& name : a.backends) {
    const exec::Backend b = exec::parse_backend(name);
    if (std::find(backends.begin(), backends.end(), b) == backends.end()) backends.push_back(b);
  }

  // Organizations per cell for a total of `total`: at least one per cell, rounded up.
  const auto per_cell = [&](std::uint64_t total) {
    return std::max<std::uint64_t>(1, (total + cells - 1) / cells);
  };
  const std::uint64_t weak_per_thread = a.weak_orgs_per_thread
                                            ? a.weak_orgs_per_thread
                                            : std::max<std::uint64_t>(1, a.orgs / threads.back());

  std::vector<Config> configs;
  for (const std::string mode : {"strong", "weak"}) {
    if (a.mode != "both" && a.mode != mode) continue;
    for (const auto b : backends)
      for (const unsigned t : threads)
        configs.push_back(
            {mode, b, t, per_cell(mode == "strong" ? a.orgs : weak_per_thread * t), {}});
  }

  // One plan per distinct size (binding every cell once, outside the timed region).
  std::map<std::uint64_t, std::unique_ptr<design::RunPlan>> plans;
  for (const auto& c : configs)
    if (!plans.count(c.orgs_per_cell))
      plans.emplace(c.orgs_per_cell,
                    std::make_unique<design::RunPlan>(x, c.orgs_per_cell, a.block_size));

  // Work per organization, summed over the cells: agents * steps (when the model has both).
  const auto& params = x.model->parameters();
  const std::size_t p_agents = model::find_parameter(params, "agents");
  const std::size_t p_steps = model::find_parameter(params, "steps");
  const bool has_agent_steps = p_agents != model::npos && p_steps != model::npos;
  double agent_steps_per_cell_org = 0;  // sum over cells of agents * steps
  if (has_agent_steps)
    for (const auto& c : plans.begin()->second->cells())
      agent_steps_per_cell_org += c.values[p_agents] * c.values[p_steps];

  struct Timing {
    double wall, cpu, background;
  };
  const auto run_once = [&](const Config& c) -> Timing {
    const design::RunPlan& plan = *plans.at(c.orgs_per_cell);
    exec::RunOptions opts;
    opts.backend = c.backend;
    opts.threads = c.threads;
    NullSink sink;
    const double busy0 = machine_busy_seconds(), cpu0 = process_cpu_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    const exec::RunResult r = exec::run(plan, opts, sink);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu = process_cpu_seconds() - cpu0;
    const double others = std::max(0.0, machine_busy_seconds() - busy0 - cpu);
    if (r.organizations != plan.total_organizations() ||
        sink.organizations != plan.total_organizations())
      throw std::runtime_error("the runner computed " + std::to_string(r.organizations) + " of " +
                               std::to_string(plan.total_organizations()) + " organizations");
    if (r.threads != c.threads)
      std::fprintf(stderr, "[scaling] note: %s asked for %u threads, used %u\n",
                   std::string(exec::to_string(c.backend)).c_str(), c.threads, r.threads);
    return {s, cpu, others / s};
  };

  const std::string date = provenance::utc_now();
  const std::string load_before = first_line("/proc/loadavg");
  if (!a.quiet)
    std::fprintf(stderr,
                 "[scaling] %s: %llu cells, %zu configurations x %u repeats (+%u warm-up)\n",
                 x.name.c_str(), static_cast<unsigned long long>(cells), configs.size(), a.repeats,
                 a.warmup);
  for (unsigned w = 0; w < a.warmup; ++w)
    for (const auto b : backends) {
      Config c = configs.front();
      c.backend = b;
      c.threads = threads.back();
      c.orgs_per_cell = per_cell(std::min<std::uint64_t>(a.orgs, 4 * cells * threads.back()));
      if (!plans.count(c.orgs_per_cell))
        plans.emplace(c.orgs_per_cell,
                      std::make_unique<design::RunPlan>(x, c.orgs_per_cell, a.block_size));
      run_once(c);
    }
  for (unsigned r = 0; r < a.repeats; ++r)
    for (auto& c : configs) {
      Timing t = run_once(c);
      // On a shared machine: redo a repeat that other work disturbed (a bounded number of times).
      for (unsigned k = 0;
           a.max_background >= 0 && t.background > a.max_background && k < a.max_retries; ++k) {
        ++c.retries;
        if (!a.quiet)
          std::fprintf(stderr, "[scaling] other load %.2f cores > %.2f: repeating\n", t.background,
                       a.max_background);
        t = run_once(c);
      }
      c.seconds.push_back(t.wall);
      c.cpu.push_back(t.cpu);
      c.background.push_back(t.background);
      if (!a.quiet)
        std::fprintf(stderr,
                     "[scaling] repeat %u %-6s %-6s threads %2u: %llu orgs in %.3f s (cpu %.3f s, "
                     "other load %.2f cores)\n",
                     r + 1, c.mode.c_str(), std::string(exec::to_string(c.backend)).c_str(),
                     c.threads, static_cast<unsigned long long>(c.orgs_per_cell * cells), t.wall,
                     t.cpu, t.background);
    }
  const std::string load_after = first_line("/proc/loadavg");

  // The 1-thread (or smallest) configuration of the same mode and backend is the baseline.
  const auto rate = [&](const Config& c) {
    return static_cast<double>(c.orgs_per_cell * cells) / median(c.seconds);
  };
  const auto best_rate = [&](const Config& c) {
    return static_cast<double>(c.orgs_per_cell * cells) /
           *std::min_element(c.seconds.begin(), c.seconds.end());
  };
  const auto baseline = [&](const Config& c) -> const Config& {
    for (const auto& o : configs)
      if (o.mode == c.mode && o.backend == c.backend && o.threads == threads.front()) return o;
    return c;
  };

  // Keys in the order written (ordered_json), for a reader of the file.
  nlohmann::ordered_json j;
  j["tool"] = "tribe_scaling";
  j["date"] = date;
  j["command_line"] = command_line;
  j["engine_version"] = version::engine();
  j["git_sha1"] = version::git_sha1();
  j["compiler"] = version::compiler();
  j["build_flags"] = version::build_flags();
  j["machine"] = {
      {"cpu_model", proc_value("/proc/cpuinfo", "model name")},
      {"cores", exec::hardware_threads()},
      {"memory", proc_value("/proc/meminfo", "MemTotal")},
      {"loadavg_before", load_before},
      {"loadavg_after", load_after},
  };
  j["experiment"] = {
      {"name", x.name},
      {"path", a.experiment},
      {"model", x.model->name()},
      {"model_version", x.model->version()},
      {"cells", cells},
      {"agent_steps_per_organization",
       has_agent_steps ? number(agent_steps_per_cell_org / static_cast<double>(cells)) : nullptr},
  };
  j["settings"] = {
      {"orgs", a.orgs},
      {"weak_orgs_per_thread", weak_per_thread},
      {"repeats", a.repeats},
      {"warmup", a.warmup},
      {"block_size", a.block_size},
      {"max_background", a.max_background >= 0 ? number(a.max_background) : nullptr},
      {"max_retries", a.max_retries},
      {"sink", "discard"},
      {"timing", "steady_clock around tribe::exec::run, median over repeats"},
      {"background_load",
       "CPU busy time of the whole machine (/proc/stat, steal included) minus this process's, "
       "per wall second: cores used by other work during the run"},
  };
  const auto numbers = [](const std::vector<double>& values) {
    auto list = nlohmann::ordered_json::array();
    for (const double v : values) list.push_back(number(v));
    return list;
  };
  auto& results = j["results"] = nlohmann::ordered_json::array();
  for (const Config& c : configs) {
    const Config& base = baseline(c);
    const double orgs = static_cast<double>(c.orgs_per_cell * cells);
    const double med = median(c.seconds);
    const double speedup = rate(c) / rate(base);
    // Efficiency from throughput: rate(t) / (t/t0 * rate(t0)). For strong scaling this
    // is T(t0) * t0 / (T(t) * t); for weak scaling it also corrects for the rounding of
    // organizations to whole cells.
    const double eff = rate(c) / (rate(base) * c.threads / base.threads);
    // The same from the fastest repeat of each: on a shared machine, the least disturbed run.
    const double eff_best = best_rate(c) / (best_rate(base) * c.threads / base.threads);
    results.push_back({
        {"mode", c.mode},
        {"backend", exec::to_string(c.backend)},
        {"threads", c.threads},
        {"organizations", c.orgs_per_cell * cells},
        {"organizations_per_cell", c.orgs_per_cell},
        {"seconds", numbers(c.seconds)},
        {"cpu_seconds", numbers(c.cpu)},
        {"background_load_cores", numbers(c.background)},
        {"median_background_load_cores", number(median(c.background))},
        {"retries", c.retries},
        {"median_seconds", number(med)},
        {"min_seconds", number(*std::min_element(c.seconds.begin(), c.seconds.end()))},
        {"max_seconds", number(*std::max_element(c.seconds.begin(), c.seconds.end()))},
        {"organizations_per_second", number(orgs / med)},
        {"agent_steps_per_second",
         has_agent_steps
             ? number(agent_steps_per_cell_org * static_cast<double>(c.orgs_per_cell) / med)
             : nullptr},
        {"speedup", number(speedup)},
        {"parallel_efficiency", number(eff)},
        {"parallel_efficiency_best", number(eff_best)},
        {"baseline_threads", base.threads},
    });
  }

  const std::filesystem::path out(a.output);
  if (out.has_parent_path()) std::filesystem::create_directories(out.parent_path());
  std::ofstream f(out);
  if (!(f << j.dump(2) << "\n")) throw EnvironmentError("cannot write " + a.output);
  f.close();

  if (!a.quiet) {
    std::fprintf(stderr, "[scaling] %-6s %-6s %7s %10s %10s %12s %8s %10s %9s %10s\n", "mode",
                 "backend", "threads", "orgs", "median s", "orgs/s", "speedup", "efficiency",
                 "eff.best", "other load");
    for (const auto& c : configs) {
      const Config& base = baseline(c);
      std::fprintf(
          stderr, "[scaling] %-6s %-7s %7u %10llu %10.4f %12.1f %8.3f %9.1f%% %8.1f%% %10.2f\n",
          c.mode.c_str(), std::string(exec::to_string(c.backend)).c_str(), c.threads,
          static_cast<unsigned long long>(c.orgs_per_cell * cells), median(c.seconds), rate(c),
          rate(c) / rate(base), 100.0 * rate(c) / (rate(base) * c.threads / base.threads),
          100.0 * best_rate(c) / (best_rate(base) * c.threads / base.threads),
          median(c.background));
    }
    std::fprintf(stderr, "[scaling] wrote %s\n", a.output.c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string command_line;
  for (int i = 0; i < argc; ++i) command_line += (i ? " " : "") + std::string(argv[i]);

  Args a;
  CLI::App app{
      "tribe_scaling: strong and weak scaling of the tribe runner (rows discarded), as JSON"};
  app.add_option("experiment", a.experiment, "Experiment file (TOML)")->capture_default_str();
  app.add_option("-o,--output", a.output, "JSON result file")->capture_default_str();
  app.add_option("--orgs", a.orgs,
                 "Organizations in total for strong scaling (rounded up to whole cells)")
      ->capture_default_str()
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40));
  app.add_option(
      "--weak-orgs-per-thread", a.weak_orgs_per_thread,
      "Organizations per thread for weak scaling (default: --orgs / the largest thread count)");
  app.add_option("--threads-list", a.threads,
                 "Thread counts, e.g. 1,2,4 (default: 1 .. every core)")
      ->delimiter(',')
      ->check(CLI::Range(1u, 4096u));
  app.add_option("--backends", a.backends, "Backends, e.g. openmp,tbb")
      ->capture_default_str()
      ->delimiter(',')
      ->check(CLI::IsMember({"serial", "openmp", "tbb"}));
  app.add_option("--repeats", a.repeats, "Timed repeats of each configuration")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1000u));
  app.add_option("--warmup", a.warmup, "Untimed warm-up runs per backend")
      ->capture_default_str()
      ->check(CLI::Range(0u, 100u));
  app.add_option("--mode", a.mode, "strong, weak or both")
      ->capture_default_str()
      ->check(CLI::IsMember({"strong", "weak", "both"}));
  app.add_option("--block-size", a.block_size, "Organizations per block of the plan")
      ->capture_default_str()
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 30));
  app.add_option(
      "--max-background", a.max_background,
      "Redo a repeat while other work used more than this many cores during it (shared machines; "
      "default: keep every repeat)");
  app.add_option("--max-retries", a.max_retries,
                 "Redos of one repeat at most, for --max-background")
      ->capture_default_str();
  app.add_flag("-q,--quiet", a.quiet, "No progress output");
  // A later value of a single-valued option replaces an earlier one (scripts pass defaults first).
  for (const char* name : {"-o", "--orgs", "--weak-orgs-per-thread", "--repeats", "--warmup",
                           "--mode", "--block-size", "--max-background", "--max-retries"})
    app.get_option(name)->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    return run_study(a, command_line);
  } catch (...) {
    return tribe::report_exception("tribe_scaling");
  }
}

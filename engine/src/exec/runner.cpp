#include "tribe/exec/runner.hpp"

#include <omp.h>
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include "tribe/core/error.hpp"
#include "tribe/core/text.hpp"
#include "tribe/stats/intervals.hpp"

namespace tribe::exec {

std::string_view to_string(Backend b) {
  return enum_name(std::array<std::string_view, 3>{"serial", "openmp", "tbb"}, b);
}

Backend parse_backend(std::string_view name) {
  if (name == "serial") return Backend::Serial;
  if (name == "openmp") return Backend::OpenMP;
  if (name == "tbb") return Backend::TBB;
  throw InputError("--backend " + std::string(name) +
                   " is not allowed: expected serial, openmp or tbb");
}

unsigned hardware_threads() {
  return std::max(1u, std::thread::hardware_concurrency());
}

void merge_block(std::vector<CellStatistics>& cells, const design::Block& block,
                 std::span<const stats::Accumulator> accumulators) {
  auto& cell = cells.at(block.cell).columns;
  TRIBE_CHECK(accumulators.size() == cell.size(),
              "a block's accumulators do not match its cell's columns");
  for (std::size_t c = 0; c < cell.size(); ++c) cell[c].merge(accumulators[c]);
}

void append_segment(std::vector<design::Segment>& segments, const design::Block& block) {
  if (!segments.empty() && segments.back().cell == block.cell &&
      segments.back().first + segments.back().count == block.first)
    segments.back().count += block.count;
  else
    segments.push_back({block.cell, block.first, block.count});
}

namespace {

using Clock = std::chrono::steady_clock;

/// Results of one window of blocks: rows and per-block accumulators.
struct Window {
  std::uint64_t first_block = 0;
  std::uint64_t blocks = 0;
  std::vector<double> rows;                      // window_blocks * block_size * columns
  std::vector<stats::Accumulator> accumulators;  // window_blocks * columns
  // Blocks finished: each worker publishes its block with a release increment and the
  // calling thread reads it with acquire before handing the window on. The backends
  // already synchronize at the end of a parallel loop, but inside their own
  // (uninstrumented) runtimes; this makes the hand-over explicit in tribe's code, so
  // that ThreadSanitizer sees it too. One atomic add per block costs nothing.
  std::atomic<std::uint64_t> finished{0};
};

/// Computes one block into its slot of the window, sequentially, with the given workspace.
/// Returns early, leaving the block unfinished, once `stop` is set: a block of large
/// organizations can take long, and a stop must take effect within a second.
void compute_block(const design::RunPlan& plan, std::uint64_t b, Window& w, model::Workspace& ws,
                   std::size_t columns, const std::atomic<bool>* stop) {
  const design::Block blk = plan.block(b);
  const std::uint64_t slot = b - w.first_block;
  double* rows = w.rows.data() + slot * plan.block_size() * columns;
  stats::Accumulator* acc = w.accumulators.data() + slot * columns;
  for (std::size_t c = 0; c < columns; ++c) acc[c] = stats::Accumulator{};
  const design::Cell& cell = plan.cells()[blk.cell];
  model::OrgContext ctx{plan.experiment().seed, 0, plan.domain(blk.cell)};
  for (std::uint64_t i = 0; i < blk.count; ++i) {
    if (stop && stop->load(std::memory_order_relaxed)) return;
    ctx.organization = blk.first + i;
    std::span<double> row(rows + i * columns, columns);
    cell.bound->simulate(ctx, ws, row);
    for (std::size_t c = 0; c < columns; ++c) acc[c].add(row[c]);
  }
  // A stop that came during the last organization may have cut it short (the models'
  // time loops end early on a stop): the block is not kept.
  if (stop && stop->load(std::memory_order_relaxed)) return;
  w.finished.fetch_add(1, std::memory_order_release);
}

/// The worker side: computes all blocks of a window with one backend.
class Workers {
 public:
  Workers(const design::RunPlan& plan, Backend backend, unsigned threads,
          const std::atomic<bool>* stop)
      : plan_(plan),
        backend_(backend),
        threads_(threads),
        stop_(stop),
        arena_(static_cast<int>(threads)),
        tbb_workspaces_([&plan] { return plan.experiment().model->make_workspace(); }) {
    const auto& model = *plan.experiment().model;
    const unsigned slots = backend == Backend::OpenMP ? threads : 1;
    for (unsigned i = 0; i < slots; ++i) omp_workspaces_.push_back(model.make_workspace());
  }

  void compute(Window& w) {
    const std::size_t columns = plan_.experiment().model->columns().size();
    const auto n = static_cast<std::int64_t>(w.blocks);
    switch (backend_) {
      case Backend::Serial:
        for (std::int64_t i = 0; i < n; ++i)
          compute_block(plan_, w.first_block + i, w, *omp_workspaces_[0], columns, stop_);
        break;
      case Backend::OpenMP: {
        // Dynamic schedule: blocks differ in cost (cells differ); results do not
        // depend on which thread computes which block.
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads_)
        for (std::int64_t i = 0; i < n; ++i)
          compute_block(plan_, w.first_block + i, w, *omp_workspaces_[omp_get_thread_num()],
                        columns, stop_);
        break;
      }
      case Backend::TBB:
        arena_.execute([&] {
          tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, n, 1),
                            [&](const tbb::blocked_range<std::int64_t>& r) {
                              auto& ws = tbb_workspaces_.local();
                              for (std::int64_t i = r.begin(); i != r.end(); ++i)
                                compute_block(plan_, w.first_block + i, w, *ws, columns, stop_);
                            });
        });
        break;
    }
  }

 private:
  const design::RunPlan& plan_;
  Backend backend_;
  unsigned threads_;
  const std::atomic<bool>* stop_;
  tbb::task_arena arena_;
  std::vector<std::unique_ptr<model::Workspace>> omp_workspaces_;
  tbb::enumerable_thread_specific<std::unique_ptr<model::Workspace>> tbb_workspaces_;
};

/// The writer side: a thread that takes finished windows, in order, to the sink.
class Writer {
 public:
  Writer(const design::RunPlan& plan, BlockSink& sink, std::vector<CellStatistics>& cells)
      : plan_(plan), sink_(sink), cells_(cells), thread_([this] { loop(); }) {}

  ~Writer() {
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  /// Hands a window over; blocks until the previous one has been written.
  void submit(Window* w) {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return pending_ == nullptr || error_; });
    rethrow_locked();
    pending_ = w;
    cv_.notify_all();
  }

  /// Waits until every submitted window has been written.
  void drain() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return (pending_ == nullptr && !busy_) || error_; });
    rethrow_locked();
  }

  /// True once the writer no longer uses window `w`.
  void wait_released(const Window* w) {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return (pending_ != w && current_ != w) || error_; });
    rethrow_locked();
  }

 private:
  void rethrow_locked() {
    if (error_) std::rethrow_exception(error_);
  }

  void loop() {
    std::unique_lock lock(mutex_);
    for (;;) {
      cv_.wait(lock, [&] { return pending_ != nullptr || closing_; });
      if (pending_ == nullptr) return;
      current_ = pending_;
      pending_ = nullptr;
      busy_ = true;
      cv_.notify_all();
      lock.unlock();
      std::exception_ptr err;
      try {
        write(*current_);
      } catch (...) {
        err = std::current_exception();
      }
      lock.lock();
      if (err && !error_) error_ = err;
      current_ = nullptr;
      busy_ = false;
      cv_.notify_all();
      if (error_) return;
    }
  }

  void write(const Window& w) {
    const std::size_t columns = plan_.experiment().model->columns().size();
    for (std::uint64_t i = 0; i < w.blocks; ++i) {
      const design::Block blk = plan_.block(w.first_block + i);
      // Ordered reduction: blocks merge into their cell in block order.
      const stats::Accumulator* acc = w.accumulators.data() + i * columns;
      merge_block(cells_, blk, std::span<const stats::Accumulator>(acc, columns));
      const double* rows = w.rows.data() + i * plan_.block_size() * columns;
      sink_.consume(BlockRows{blk, columns, std::span<const double>(rows, blk.count * columns),
                              w.first_block + i,
                              std::span<const stats::Accumulator>(acc, columns)});
    }
  }

  const design::RunPlan& plan_;
  BlockSink& sink_;
  std::vector<CellStatistics>& cells_;
  std::mutex mutex_;
  std::condition_variable cv_;
  Window* pending_ = nullptr;
  const Window* current_ = nullptr;
  bool busy_ = false;
  bool closing_ = false;
  std::exception_ptr error_;
  std::thread thread_;  // last: starts after every other member is ready
};

}  // namespace

RunResult run(const design::RunPlan& plan, const RunOptions& options, BlockSink& sink) {
  const auto start = Clock::now();
  RunResult result;
  const unsigned threads = options.backend == Backend::Serial
                               ? 1u
                               : (options.threads ? options.threads : hardware_threads());
  result.threads = threads;
  const std::size_t columns = plan.experiment().model->columns().size();
  result.cells.resize(plan.cells().size());
  for (auto& c : result.cells) c.columns.resize(columns);

  const std::uint64_t first = std::min(options.first_block, plan.block_count());
  const std::uint64_t end = std::min(options.end_block, plan.block_count());
  const std::uint64_t total = plan.organizations_in(first, end);

  // Enough blocks per window that the barrier at its end costs little.
  const std::uint64_t window_blocks =
      options.window_blocks ? options.window_blocks : std::max<std::uint64_t>(32, 16ull * threads);
  Window windows[2];
  for (auto& w : windows) {
    w.rows.resize(window_blocks * plan.block_size() * columns);
    w.accumulators.resize(window_blocks * columns);
  }

  Workers workers(plan, options.backend, threads, options.stop);
  std::uint64_t done = first;  // blocks computed and written
  {
    Writer writer(plan, sink, result.cells);
    std::uint64_t next = first;
    for (unsigned k = 0; next < end; k ^= 1) {
      if (options.stop && options.stop->load(std::memory_order_relaxed)) {
        result.stopped = true;
        break;
      }
      Window& w = windows[k];
      writer.wait_released(&w);
      w.first_block = next;
      w.blocks = std::min(window_blocks, end - next);
      w.finished.store(0, std::memory_order_relaxed);
      workers.compute(w);
      if (w.finished.load(std::memory_order_acquire) != w.blocks) {
        // Stopped inside the window: its blocks are dropped (the finished ones are
        // computed again by a resume), the windows before it are written.
        TRIBE_CHECK(options.stop && options.stop->load(), "a block of the window was not computed");
        result.stopped = true;
        break;
      }
      for (std::uint64_t b = 0; b < w.blocks; ++b)
        result.organizations += plan.block(next + b).count;
      next += w.blocks;
      writer.submit(&w);
      if (options.on_progress) {
        options.on_progress(Progress{result.organizations, total,
                                     std::chrono::duration<double>(Clock::now() - start).count()});
      }
    }
    writer.drain();
    done = next;
  }
  result.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  // The segments actually covered, in row order (a block range may cut segments).
  for (std::uint64_t b = first; b < done; ++b) append_segment(result.segments, plan.block(b));
  return result;
}

std::vector<std::uint64_t> organizations_per_cell(const RunResult& result) {
  std::vector<std::uint64_t> n;
  for (const auto& c : result.cells)
    n.push_back(c.columns.empty() ? 0 : c.columns[0].n + c.columns[0].missing);
  return n;
}

double precision_half_width(const model::ColumnSpec& column, const stats::Accumulator& a,
                            double confidence) {
  if (column.kind == model::ColumnKind::Binary) {
    const auto w = stats::wilson(static_cast<std::uint64_t>(a.sum), a.n, confidence);
    return (w.high - w.low) / 2;
  }
  const auto t = stats::mean_interval(a.mean, a.sd(), a.n, confidence);
  return (t.high - t.low) / 2;
}

RunResult run_to_precision(const design::RunPlan& plan, const RunOptions& options, BlockSink& sink,
                           const PrecisionTarget& target,
                           const std::function<void(std::uint64_t)>& before_round) {
  const auto columns = plan.experiment().model->columns();
  std::vector<std::size_t> targeted = target.columns;
  if (targeted.empty())
    for (std::size_t k = 0; k < columns.size(); ++k)
      if (columns[k].kind == model::ColumnKind::Binary &&
          columns[k].role == model::ColumnRole::Outcome)
        targeted.push_back(k);
  for (std::size_t k : targeted)
    TRIBE_CHECK(k < columns.size(), "precision target: column index out of range");
  RunResult total = run(plan, options, sink);
  design::RunPlan current = plan.with_segments(plan.segments());
  for (std::uint64_t r = 1; !total.stopped; ++r) {
    const auto n = organizations_per_cell(total);
    std::vector<design::Segment> more;
    for (std::size_t c = 0; c < total.cells.size(); ++c) {
      if (n[c] >= target.max_per_cell) continue;
      bool precise = true;
      for (std::size_t k : targeted) {
        const auto& a = total.cells[c].columns[k];
        if (a.n == 0) continue;  // no value to estimate in this cell
        // A NaN half-width (a mean of one value) is not precise.
        precise =
            precise && precision_half_width(columns[k], a, target.confidence) <= target.half_width;
      }
      if (!precise) more.push_back({c, n[c], std::min(n[c], target.max_per_cell - n[c])});
    }
    if (more.empty()) break;
    current = plan.with_segments(std::move(more));
    if (before_round) before_round(r);
    // options' block range is that of the first plan; an added round is a plan of its
    // own (often with more blocks) and runs whole.
    RunOptions round_options = options;
    round_options.first_block = 0;
    round_options.end_block = UINT64_MAX;
    RunResult round = run(current, round_options, sink);
    for (std::size_t c = 0; c < total.cells.size(); ++c)
      for (std::size_t k = 0; k < columns.size(); ++k)
        total.cells[c].columns[k].merge(round.cells[c].columns[k]);
    total.organizations += round.organizations;
    total.wall_seconds += round.wall_seconds;
    total.stopped = round.stopped;
    total.segments.insert(total.segments.end(), round.segments.begin(), round.segments.end());
  }
  return total;
}

}  // namespace tribe::exec

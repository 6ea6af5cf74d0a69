#include "tribe/core/stop.hpp"

namespace tribe {
namespace {

std::atomic<const std::atomic<bool>*> g_flag{nullptr};

}  // namespace

bool stop_requested() noexcept {
  const std::atomic<bool>* flag = g_flag.load(std::memory_order_acquire);
  return flag != nullptr && flag->load(std::memory_order_relaxed);
}

void stop_point(const char* phase) {
  if (stop_requested()) throw Stopped(std::string("interrupted while ") + phase);
}

StopScope::StopScope(const std::atomic<bool>* flag) noexcept
    : previous_(g_flag.exchange(flag, std::memory_order_acq_rel)) {}

StopScope::~StopScope() {
  g_flag.store(previous_, std::memory_order_release);
}

}  // namespace tribe

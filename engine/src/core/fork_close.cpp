#include "tribe/core/fork_close.hpp"

#include <unistd.h>

#include <array>
#include <atomic>

namespace tribe {
namespace {

// Slots of registered descriptors, each holding fd + 1 (0 when free, as zero-initialized
// statics are): no mutex, so that a child forked while another thread registers cannot
// block on it.
std::array<std::atomic<int>, 64> g_slots{};

}  // namespace

void close_in_forked_children(int fd) noexcept {
  for (auto& slot : g_slots) {
    int expected = 0;
    if (slot.compare_exchange_strong(expected, fd + 1)) return;
  }
}

void keep_in_forked_children(int fd) noexcept {
  for (auto& slot : g_slots) {
    int expected = fd + 1;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

void close_registered_in_child() noexcept {
  for (auto& slot : g_slots) {
    const int stored = slot.load();
    if (stored > 0) ::close(stored - 1);
  }
}

}  // namespace tribe

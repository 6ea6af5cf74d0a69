#pragma once
// File descriptors that a forked child must close at once. The output lock of a run
// (job::OutputLock) is an flock(2) on an open file description, which a child made by
// fork() shares: a file-checking child (io::contained_check) still alive when its parent is
// killed would hold the dead run's lock for a moment, and the rerun would be refused as
// "being written by another tribe run". The lock registers its descriptor here; the
// child closes every registered descriptor first thing (its copy: the parent's lock stays).
namespace tribe {

/// Registers `fd` to be closed in forked children (lock-free; at most 64 at once, beyond
/// which a descriptor is simply not registered).
void close_in_forked_children(int fd) noexcept;
/// Unregisters `fd` (before the owner closes it).
void keep_in_forked_children(int fd) noexcept;
/// In a child, right after fork(): closes every registered descriptor (async-signal-safe).
void close_registered_in_child() noexcept;

}  // namespace tribe

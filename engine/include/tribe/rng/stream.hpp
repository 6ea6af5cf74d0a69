#pragma once
// Counter-based random streams (Philox4x64-10 from Random123).
//
// A stream is a pure function of (master seed, purpose, organization, substream,
// domain) and a draw index: organization k gets the same numbers whoever computes
// it, in whatever order, on whatever thread, rank or machine. Nothing is keyed by
// thread, task or rank.
//
//   key     = (master seed, purpose)
//   counter = (organization index, draw block, substream, domain)
//
// Each Philox call yields four 64-bit words; `draw block` counts calls.
#include <Random123/philox.h>

#include <cstdint>

namespace tribe::rng {

/// Philox calls made by the current thread (for the benchmarks' RNG-bound floor:
/// it tells how many random numbers a model really consumes). One TLS increment
/// per four draws; it never affects results.
inline thread_local std::uint64_t tls_philox_calls = 0;

class Stream {
 public:
  using Engine = r123::Philox4x64;

  Stream(std::uint64_t seed, std::uint64_t purpose, std::uint64_t organization,
         std::uint64_t substream = 0, std::uint64_t domain = 0) noexcept {
    key_ = Engine::key_type{{seed, purpose}};
    ctr_ = Engine::ctr_type{{organization, 0, substream, domain}};
  }

  /// Next raw 64-bit word.
  std::uint64_t next_u64() noexcept {
    if (pos_ == 4) refill();
    return out_.v[pos_++];
  }

  /// Number of 64-bit words consumed so far.
  std::uint64_t draws() const noexcept { return blocks_ * 4 - (4 - pos_); }

 private:
  void refill() noexcept {
    ++tls_philox_calls;
    ctr_.v[1] = blocks_++;
    out_ = Engine{}(ctr_, key_);
    pos_ = 0;
  }

  Engine::key_type key_{};
  Engine::ctr_type ctr_{};
  Engine::ctr_type out_{};
  std::uint64_t blocks_ = 0;
  unsigned pos_ = 4;
};

/// The conversions to floating point are our own (not std::*_distribution),
/// so results are identical across standard libraries and machines.
/// [0, 1) with 53 random bits.
inline double u01(std::uint64_t x) noexcept {
  return static_cast<double>(x >> 11) * 0x1.0p-53;
}
/// (0, 1] with 53 random bits: safe to take the logarithm of.
inline double u01_open_low(std::uint64_t x) noexcept {
  return static_cast<double>((x >> 11) + 1) * 0x1.0p-53;
}

}  // namespace tribe::rng

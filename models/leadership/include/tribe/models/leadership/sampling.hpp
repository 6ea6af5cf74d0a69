#pragma once
// The leadership model's Beta draws (agent qualities, difficulties). Since leadership
// 4.0.0 a shape with a, b >= 1 that is not too narrow is drawn from a table
// (rng::BetaTable: one 64-bit word for ~98% of the draws); the others, and every shape
// below 1, by the ratio of two Marsaglia–Tsang gamma variates (rng::BetaSampler). The
// choice depends on the shapes alone. This header keeps the model's mean/concentration
// spelling, and `CachedBetaMean` keeps a table from one organization to the next (a
// table costs about as much to build as an organization to simulate).
#include <bit>
#include <cstdint>
#include <memory>

#include "tribe/rng/beta_table.hpp"
#include "tribe/rng/samplers.hpp"

namespace tribe::models::leadership {

/// Beta(m phi, (1 - m) phi) with its set-up done once; the degenerate means 0 and 1
/// return exactly 0 and 1 without drawing.
class BetaMean {
 public:
  BetaMean() = default;
  BetaMean(double m, double phi)
      : degenerate_(m <= 0.0 || m >= 1.0),
        value_(m >= 1.0 ? 1.0 : 0.0),
        table_(degenerate_ ? nullptr : rng::BetaTable::make(m * phi, (1.0 - m) * phi)),
        sampler_(degenerate_ || table_ ? rng::BetaSampler()
                                       : rng::BetaSampler(m * phi, (1.0 - m) * phi)) {}
  double operator()(rng::Stream& s) const noexcept {
    if (table_) [[likely]]
      return (*table_)(s);
    return degenerate_ ? value_ : sampler_(s);
  }
  /// The table drawn from, or null (degenerate, a shape below 1, or too narrow).
  const rng::BetaTable* table() const noexcept { return table_.get(); }

 private:
  bool degenerate_ = true;
  double value_ = 0.0;
  std::shared_ptr<const rng::BetaTable> table_;
  rng::BetaSampler sampler_;
};

/// A BetaMean kept between calls: rebuilt only when (m, phi) changes (compared bit for
/// bit), so the organizations of one cell share one set-up. The draws are those of a
/// fresh BetaMean(m, phi).
class CachedBetaMean {
 public:
  const BetaMean& get(double m, double phi) {
    const auto mb = std::bit_cast<std::uint64_t>(m), pb = std::bit_cast<std::uint64_t>(phi);
    if (!valid_ || mb != m_ || pb != phi_) {
      beta_ = BetaMean(m, phi);
      m_ = mb;
      phi_ = pb;
      valid_ = true;
    }
    return beta_;
  }

 private:
  bool valid_ = false;
  std::uint64_t m_ = 0, phi_ = 0;
  BetaMean beta_;
};

/// Beta with mean m and concentration phi (a = m phi, b = (1 - m) phi); the
/// degenerate means 0 and 1 return exactly 0 and 1 without drawing. It sets the sampler
/// up on every call (a table costs about 10 µs): for many draws keep a BetaMean, or a
/// CachedBetaMean across organizations.
inline double beta_mean(rng::Stream& s, double m, double phi) {
  return BetaMean(m, phi)(s);
}

}  // namespace tribe::models::leadership

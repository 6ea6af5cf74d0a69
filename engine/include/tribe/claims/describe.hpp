#pragma once
// A claim's test in one line, as stored in /claims/description and printed in the
// report: "rate(solved | structure=flat) - rate(solved | structure=tall) > 0.05".
#include <string>

#include "tribe/claims/claim.hpp"
#include "tribe/design/experiment.hpp"

namespace tribe::claims {

/// The test of `claim` (one of experiment `x`'s claims) with its statistic, its cells or
/// factor groups and its threshold.
std::string describe(const ClaimSpec& claim, const design::Experiment& x);

}  // namespace tribe::claims

#pragma once
// The [[claims]] of an experiment file (see tribe/claims/claim.hpp): read from the
// experiment's text and checked against its model, factors and design. The experiment
// itself (design/experiment.hpp) holds its claims only as that text.
#include <vector>

#include "tribe/claims/claim.hpp"
#include "tribe/design/experiment.hpp"

namespace tribe::claims {

/// The claims of the experiment, in the order of the file (a swept claim expanded into one
/// claim per level). Throws InputError with one clear line naming the key, the value and
/// what is allowed. A job calls it before any work starts.
std::vector<ClaimSpec> parse_claims(const design::Experiment& experiment);

/// The [[patterns]] of the experiment: empirical regularities the model should reproduce,
/// each a band test ("within", "rank_correlation_within") decided in a family of its own.
/// Same errors as parse_claims; a pattern's id must differ from every claim's.
std::vector<ClaimSpec> parse_patterns(const design::Experiment& experiment);

/// The claims, then the patterns (ClaimSpec::pattern), from one reading of the file: what a
/// run evaluates.
std::vector<ClaimSpec> parse_claims_and_patterns(const design::Experiment& experiment);

}  // namespace tribe::claims

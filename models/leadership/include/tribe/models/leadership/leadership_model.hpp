#pragma once
// The organization ("leadership") model: challenges arise in an organization
// (a reporting tree plus lateral ties), agents take initiative or escalate,
// interact with peers or managers, and leadership events are credited to the
// participants of interactions that produce an insight. See docs/model.md.
#include "tribe/model/model.hpp"

namespace tribe::models::leadership {

/// The registered model (name "leadership").
const model::Model& model();

}  // namespace tribe::models::leadership

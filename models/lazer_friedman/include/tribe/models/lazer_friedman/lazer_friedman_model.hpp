#pragma once
// Lazer & Friedman (2007), "The network structure of exploration and exploitation",
// Administrative Science Quarterly 52(4): agents on a network search an NK landscape,
// copying better neighbours or exploring one bit at a time.
// See models/lazer_friedman/docking-lazer-friedman.md.
#include "tribe/model/model.hpp"

namespace tribe::models::lazer_friedman {

/// The registered model (name "lazer_friedman").
const model::Model& model();

}  // namespace tribe::models::lazer_friedman

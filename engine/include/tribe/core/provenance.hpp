#pragma once
// Facts about where and when something ran, for the provenance of result files and
// benchmark records.
#include <string>

namespace tribe::provenance {

/// The current time in UTC, ISO 8601 ("2026-11-26T09:21:49Z").
std::string utc_now();
/// This machine's host name ("unknown" if it cannot be read).
std::string hostname();

}  // namespace tribe::provenance

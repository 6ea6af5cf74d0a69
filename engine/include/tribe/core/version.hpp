#pragma once
// Every version stamp of tribe lives here: the engine, and each file format.
// Format rule: a minor version only adds; a major version breaks, and readers
// reject a major they do not know.
#include <array>
#include <cstdint>
#include <string_view>

namespace tribe::version {

std::string_view engine();    // e.g. "0.1.0"
std::string_view git_sha1();  // commit the binary was built from ("-dirty" if modified)
std::string_view compiler();  // compiler id and version
std::string_view build_flags();

inline constexpr std::string_view kResultFiletype = "tribe-result";
inline constexpr std::array<std::uint32_t, 2> kResultFormat = {1, 3};  // [major, minor]
/// The format of a result file that stores a model's time series as two-dimensional
/// datasets (organizations x time). A file without a series keeps kResultFormat: its
/// layout is that of 1.x, so readers of 1.x keep reading it. Readers read both majors.
/// Minor versions of both majors move together (2.1 = 1.1 with series).
inline constexpr std::array<std::uint32_t, 2> kResultFormatSeries = {2, 3};

inline constexpr std::string_view kRngScheme =
    "Philox4x64-10 (Random123); key = (master seed, stream purpose); "
    "counter = (organization index in cell, draw block, substream, cell or 0 when common random "
    "numbers)";

}  // namespace tribe::version

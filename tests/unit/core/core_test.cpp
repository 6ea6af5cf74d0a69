// core/: the error tiers the CLI maps to exit codes, the provenance stamped into every
// result file, and the version rule readers rely on.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <regex>
#include <string>
#include <type_traits>

#include "tribe/core/error.hpp"
#include "tribe/core/provenance.hpp"
#include "tribe/core/version.hpp"

namespace {

using namespace tribe;

TEST(CoreError, ADamagedFileIsBadInputAndTheTiersAreDistinct) {
  // main() catches InputError (exit 2) before EnvironmentError (exit 3): a damaged file must
  // land in the first, an environment fault never.
  try {
    throw DamagedFileError("f.h5: damaged file: x");
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "f.h5: damaged file: x");
  }
  EXPECT_FALSE((std::is_base_of_v<InputError, EnvironmentError>));
  EXPECT_FALSE((std::is_base_of_v<EnvironmentError, InputError>));
}

TEST(CoreErrorDeathTest, ABrokenInvariantAbortsNamingTheConditionAndTheFile) {
  EXPECT_DEATH(TRIBE_CHECK(1 + 1 == 3, "arithmetic is broken"),
               "core_test\\.cpp:[0-9]+: check '1 \\+ 1 == 3' failed: arithmetic is broken");
}

TEST(CoreProvenance, UtcNowIsIso8601AndNow) {
  const std::string now = provenance::utc_now();
  ASSERT_TRUE(std::regex_match(now, std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)"))) << now;
  std::tm tm{};
  ASSERT_NE(strptime(now.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm), nullptr);
  const auto stamped = std::chrono::system_clock::from_time_t(timegm(&tm));
  EXPECT_LT(std::chrono::abs(std::chrono::system_clock::now() - stamped), std::chrono::minutes(1));
  EXPECT_FALSE(provenance::hostname().empty());
}

TEST(CoreVersion, StampsArePresentAndBothFormatsShareTheirMinor) {
  EXPECT_TRUE(std::regex_match(std::string(version::engine()), std::regex(R"(\d+\.\d+\.\d+.*)")))
      << version::engine();
  EXPECT_FALSE(version::git_sha1().empty());
  EXPECT_FALSE(version::compiler().empty());
  // Readers accept either major; 2.x is 1.x with series, so the minors move together.
  EXPECT_NE(version::kResultFormat[0], version::kResultFormatSeries[0]);
  EXPECT_EQ(version::kResultFormat[1], version::kResultFormatSeries[1]);
}

}  // namespace

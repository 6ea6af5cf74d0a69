#include "tribe/core/error.hpp"

#include <cstdio>
#include <cstdlib>
#include <exception>

#include "tribe/core/text.hpp"

namespace tribe {

void check_failed(const char* expr, const char* file, int line, const std::string& msg) {
  std::fprintf(stderr, "tribe: internal error: %s:%d: check '%s' failed: %s\n", file, line, expr,
               msg.c_str());
  std::abort();
}

int report_exception(const char* program) noexcept {
  const auto say = [program](const char* what) {
    std::fprintf(stderr, "%s: error: %s\n", program, one_line(what).c_str());
  };
  try {
    throw;
  } catch (const InputError& e) {
    say(e.what());
    return 2;
  } catch (const EnvironmentError& e) {
    say(e.what());
    return 3;
  } catch (const std::exception& e) {
    say(e.what());
  } catch (...) {
    say("an exception that is not a std::exception");
  }
  return 1;
}

}  // namespace tribe

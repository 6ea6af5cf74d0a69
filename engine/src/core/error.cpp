#include "tribe/core/error.hpp"

#include <cstdio>
#include <cstdlib>

namespace tribe {

void check_failed(const char* expr, const char* file, int line, const std::string& msg) {
  std::fprintf(stderr, "tribe: internal error: %s:%d: check '%s' failed: %s\n", file, line, expr,
               msg.c_str());
  std::abort();
}

}  // namespace tribe

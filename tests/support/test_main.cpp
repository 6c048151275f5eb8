// main() for engine tests: decides skip/fail for a missing PostgreSQL before
// any test runs, so a skipped suite is loud (exit 77 → ctest "Skipped").
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "support/engine.hpp"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  bool listing = false;
  for (int i = 1; i < argc; ++i)
    if (std::strncmp(argv[i], "--gtest_list_tests", 18) == 0) listing = true;
  const std::string& engine = junction::test::engine();
  if (engine != "sqlite" && engine != "postgres") {
    std::fprintf(stderr, "JUNCTION_TEST_ENGINE must be sqlite or postgres, not \"%s\"\n",
                 engine.c_str());
    return 2;
  }
  if (!listing && engine == "postgres" && junction::test::serverUrl().empty()) {
    const char* ci = std::getenv("CI");
    if (ci && std::string(ci) == "true") {
      std::fprintf(stderr, "FAIL: CI=true but JUNCTION_TEST_POSTGRES_URL is not set\n");
      return 1;
    }
    std::fprintf(stderr,
                 "SKIPPED: PostgreSQL tests need JUNCTION_TEST_POSTGRES_URL "
                 "(make test starts a throwaway cluster and sets it)\n");
    return 77;
  }
  return RUN_ALL_TESTS();
}

// Connecting through the registry to places that do not answer.
#include <gtest/gtest.h>

#include <chrono>

#include "driver_test_util.hpp"
#include "junction/dialects.hpp"
#include "junction/errors.hpp"

namespace junction::test {
namespace {

TEST(driverConnect, UnreachablePostgresIsAConnectionErrorQuickly) {
  auto start = std::chrono::steady_clock::now();
  auto e = expectThrow<ConnectionError>(
      [] { openConnection("postgres://someone:topsecret@127.0.0.1:1/x"); }, {"127.0.0.1"});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(std::string(e.what()).find("topsecret"), std::string::npos) << e.what();
}

TEST(driverConnect, UnknownSchemeThroughOpenConnection) {
  expectThrow<InvalidUrlError>([] { openConnection("oracle://h/db"); }, {"oracle"});
  expectThrow<InvalidUrlError>([] { openConnection("not a url"); }, {"scheme"});
}

}  // namespace
}  // namespace junction::test

// Helpers shared by the driver suites.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "junction/connection.hpp"
#include "junction/sql/dialect.hpp"

namespace junction::test {

// The dialect's placeholder for the index-th (1-based) parameter.
inline std::string ph(const Connection& c, std::size_t index) {
  std::string s;
  c.dialect().placeholder(s, index);
  return s;
}

// Runs fn, expects an E whose what() contains every needle; returns it.
template <class E, class Fn>
E expectThrow(Fn&& fn, std::initializer_list<std::string_view> needles = {}) {
  try {
    fn();
  } catch (const E& e) {
    std::string what = e.what();
    for (auto n : needles)
      EXPECT_NE(what.find(n), std::string::npos) << "\"" << n << "\" not in: " << what;
    return e;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "threw a different exception: " << e.what();
    throw;
  }
  ADD_FAILURE() << "did not throw";
  throw std::logic_error("expected exception was not thrown");
}

}  // namespace junction::test

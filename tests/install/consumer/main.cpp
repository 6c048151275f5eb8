// Consumer of an installed junction: only public headers, only the installed
// library. Prints "SELECT 1 = 1" and exits 0 when the round trip works.
#if __has_include(<junction/junction.hpp>)
#include <junction/junction.hpp>  // the umbrella: every public header must compile here
#endif
#include <cstdio>
#include <exception>
#include <junction/connection.hpp>
#include <junction/dialects.hpp>

int main() {
  try {
    auto conn = junction::openConnection("sqlite::memory:");
    junction::ResultSet rows = conn->query("SELECT 1");
    const junction::Value& v = rows.at(0, 0);
    std::printf("SELECT 1 = %s\n", v.toString().c_str());
    return v.as<int>() == 1 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "junction_consumer: %s\n", e.what());
    return 1;
  }
}

// Database URL parsing on any text: an InvalidUrlError is fine; anything
// else escaping, a crash or UB is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "junction/errors.hpp"
#include "junction/url.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto url = junction::ConnectionUrl::parse(text);
    (void)url;
  } catch (const junction::Error&) {
  }
  return 0;
}

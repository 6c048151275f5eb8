// The replacements scanner (`?` and `:name` in raw SQL) on any text, with
// both engines' quoting rules: a UsageError for a bad placeholder or count is
// fine; a crash, a hang, UB or a leak is a finding.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "junction/dialects.hpp"
#include "junction/errors.hpp"
#include "junction/sql/replacements.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto& dialect = (data[0] & 1) ? junction::postgresDialect() : junction::sqliteDialect();
  const bool named = data[0] & 2;
  std::string_view sql(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    if (named) {
      const std::map<std::string, junction::Value, std::less<>> values{
          {"a", junction::Value(1)}, {"name", junction::Value("x'y")}, {"b_2", junction::Value()}};
      auto c = junction::sql::bindReplacements(dialect, sql, values);
      if (c.params.size() > sql.size()) __builtin_trap();  // more params than placeholders
    } else {
      const std::vector<junction::Value> values{junction::Value(1), junction::Value("x'y"),
                                                junction::Value()};
      auto c = junction::sql::bindReplacements(dialect, sql, values);
      if (c.params.size() != values.size()) __builtin_trap();  // every value bound once
    }
  } catch (const junction::Error&) {
  }
  return 0;
}

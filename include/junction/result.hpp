// junction/result.hpp — the rows a statement returned.
//
// Values are stored row-major in one vector so a result is two allocations
// whatever its size; hydration moves values out instead of copying.
//
// Thread-safety: a plain value type.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "junction/value.hpp"

namespace junction {

class ResultSet {
 public:
  std::vector<std::string> columns;
  std::vector<Value> values;       // row-major: row r, column c at r * columns.size() + c
  std::int64_t rowsAffected = 0;   // INSERT/UPDATE/DELETE: rows changed

  std::size_t size() const noexcept { return columns.empty() ? 0 : values.size() / columns.size(); }
  bool empty() const noexcept { return size() == 0; }

  const Value& at(std::size_t row, std::size_t col) const;        // bounds-checked (UsageError)
  const Value& at(std::size_t row, std::string_view column) const;  // UsageError if unknown
  Value& mutableAt(std::size_t row, std::size_t col) { return values[row * columns.size() + col]; }
  std::optional<std::size_t> columnIndex(std::string_view column) const noexcept;
  std::span<const Value> row(std::size_t r) const;
};

}  // namespace junction

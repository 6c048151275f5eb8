#include "junction/result.hpp"

#include <fmt/format.h>

#include "junction/errors.hpp"

namespace junction {

const Value& ResultSet::at(std::size_t row, std::size_t col) const {
  if (col >= columns.size())
    throw UsageError(
        fmt::format("result column {} is out of range ({} columns)", col, columns.size()));
  if (row >= size())
    throw UsageError(fmt::format("result row {} is out of range ({} rows)", row, size()));
  return values[row * columns.size() + col];
}

const Value& ResultSet::at(std::size_t row, std::string_view column) const {
  auto idx = columnIndex(column);
  if (!idx) {
    std::string known;
    for (const auto& c : columns) known += (known.empty() ? "" : ", ") + c;
    throw UsageError(fmt::format("result has no column \"{}\" (columns: {})", column, known));
  }
  return at(row, *idx);
}

std::optional<std::size_t> ResultSet::columnIndex(std::string_view column) const noexcept {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == column) return i;
  return std::nullopt;
}

std::span<const Value> ResultSet::row(std::size_t r) const {
  if (r >= size())
    throw UsageError(fmt::format("result row {} is out of range ({} rows)", r, size()));
  return std::span<const Value>(values).subspan(r * columns.size(), columns.size());
}

}  // namespace junction

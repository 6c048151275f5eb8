#include "junction/errors.hpp"

#include <fmt/format.h>

namespace junction {

namespace {
std::string validationMessage(const std::vector<ValidationErrorItem>& items) {
  std::string msg = "Validation error";
  for (std::size_t i = 0; i < items.size(); ++i) {
    msg += i == 0 ? ": " : ",\n";
    msg += items[i].message;
  }
  return msg;
}
}  // namespace

ValidationError::ValidationError(std::string model, std::vector<ValidationErrorItem> items)
    : Error(validationMessage(items)), model_(std::move(model)), items_(std::move(items)) {}

ValidationError::ValidationError(std::string message, std::string model,
                                 std::vector<ValidationErrorItem> items)
    : Error(std::move(message)), model_(std::move(model)), items_(std::move(items)) {}

namespace {
std::vector<ValidationErrorItem> allItems(const std::vector<BulkRecordError>& rows) {
  std::vector<ValidationErrorItem> out;
  for (const auto& r : rows) out.insert(out.end(), r.error.errors().begin(), r.error.errors().end());
  return out;
}
std::string bulkMessage(const std::string& model, const std::vector<BulkRecordError>& rows) {
  std::string msg = fmt::format("{} {} of {} failed validation", rows.size(),
                                rows.size() == 1 ? "row" : "rows", model);
  for (const auto& r : rows) msg += fmt::format("\nrow {}: {}", r.index, r.error.what());
  return msg;
}
}  // namespace

BulkValidationError::BulkValidationError(std::string model, std::vector<BulkRecordError> rows)
    : ValidationError(bulkMessage(model, rows), model, allItems(rows)), rows_(std::move(rows)) {}

DatabaseError::DatabaseError(std::string message, std::string sqlState, std::string sql,
                             std::string constraint, std::string table)
    : Error(std::move(message)),
      sqlState_(std::move(sqlState)),
      sql_(std::move(sql)),
      constraint_(std::move(constraint)),
      table_(std::move(table)) {}

UniqueConstraintError::UniqueConstraintError(std::string message, std::vector<std::string> fields,
                                             std::string sqlState, std::string sql,
                                             std::string constraint, std::string table)
    : DatabaseError(std::move(message), std::move(sqlState), std::move(sql), std::move(constraint),
                    std::move(table)),
      fields_(std::move(fields)) {}

MigrationError::MigrationError(std::string migration, Direction direction, std::string cause)
    : Error(fmt::format("Migration {} failed ({}): {}", migration,
                        direction == Direction::Up ? "up" : "down", cause)),
      migration_(std::move(migration)),
      direction_(direction),
      cause_(std::move(cause)) {}

}  // namespace junction

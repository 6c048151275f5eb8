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

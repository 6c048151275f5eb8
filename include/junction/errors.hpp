// junction/errors.hpp — the typed exception hierarchy (DESIGN.md decision 6).
//
// Every failure junction reports is one of these, so callers can catch by
// kind (`catch (const UniqueConstraintError&)`) the way Sequelize users test
// `err.name`. Messages name what failed: the model, attribute, rule, table,
// URL or migration.
//
//   Error
//   ├── ConversionError          a Value could not become the requested type
//   ├── UsageError               the API was called wrongly (unknown attribute,
//   │   │                        unknown option, bad argument)
//   │   └── InvalidUrlError      a connection URL that cannot be parsed
//   ├── ValidationError          one or more validators failed (items below)
//   ├── EmptyResultError         rejectOnEmpty / findOrFail found nothing
//   ├── AssociationError         unknown alias, naming collision
//   ├── MigrationError           which migration, which direction, the cause
//   ├── ConnectionError          cannot connect / connection lost
//   │   ├── ConnectionLostError
//   │   └── ConnectionAcquireTimeoutError   pool had no free connection in time
//   └── DatabaseError            the engine refused a statement (SQLSTATE, SQL)
//       ├── UniqueConstraintError
//       ├── ForeignKeyConstraintError
//       ├── NotNullConstraintError
//       ├── CheckConstraintError
//       └── TimeoutError          lock/busy timeout, statement timeout
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace junction {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  // Sequelize-style class name: "SequelizeUniqueConstraintError" becomes
  // "UniqueConstraintError". Useful in JSON error bodies and logs.
  virtual const char* name() const noexcept { return "Error"; }
};

#define JUNCTION_ERROR_CLASS(Name, Base)               \
  class Name : public Base {                           \
   public:                                             \
    using Base::Base;                                  \
    const char* name() const noexcept override {       \
      return #Name;                                    \
    }                                                  \
  }

JUNCTION_ERROR_CLASS(ConversionError, Error);
JUNCTION_ERROR_CLASS(UsageError, Error);
JUNCTION_ERROR_CLASS(InvalidUrlError, UsageError);
JUNCTION_ERROR_CLASS(EmptyResultError, Error);
JUNCTION_ERROR_CLASS(AssociationError, Error);
JUNCTION_ERROR_CLASS(ConnectionError, Error);
JUNCTION_ERROR_CLASS(ConnectionLostError, ConnectionError);
JUNCTION_ERROR_CLASS(ConnectionAcquireTimeoutError, ConnectionError);

// One failed rule on one attribute (Sequelize's ValidationErrorItem).
struct ValidationErrorItem {
  std::string message;    // "Validation isEmail on username failed"
  std::string type;       // "Validation error", "notNull violation", "unique violation"
  std::string path;       // attribute name
  std::string value;      // offending value as text ("NULL" for null)
  std::string validatorKey;  // "isEmail", "notNull", "len", "custom", ...
  std::string model;      // model name
};

class ValidationError : public Error {
 public:
  ValidationError(std::string model, std::vector<ValidationErrorItem> items);
  const char* name() const noexcept override { return "ValidationError"; }
  const std::vector<ValidationErrorItem>& errors() const noexcept { return items_; }
  const std::string& model() const noexcept { return model_; }

 protected:
  ValidationError(std::string message, std::string model, std::vector<ValidationErrorItem> items);

 private:
  std::string model_;
  std::vector<ValidationErrorItem> items_;
};

// One failed row of a bulk write: its position in what the caller passed
// (bulkCreate's rows, add/set's targets) and why it failed.
struct BulkRecordError {
  std::size_t index = 0;
  ValidationError error;
};

// Sequelize's AggregateError of BulkRecordErrors: every row of a bulkCreate
// (or of an add/set with through values) that failed validation, each with
// its errors; nothing was written. A ValidationError whose errors() are all
// the rows' items, so `catch (const ValidationError&)` still catches it.
class BulkValidationError : public ValidationError {
 public:
  BulkValidationError(std::string model, std::vector<BulkRecordError> rows);
  const char* name() const noexcept override { return "AggregateError"; }
  const std::vector<BulkRecordError>& rows() const noexcept { return rows_; }

 private:
  std::vector<BulkRecordError> rows_;
};

class DatabaseError : public Error {
 public:
  DatabaseError(std::string message, std::string sqlState = {}, std::string sql = {},
                std::string constraint = {}, std::string table = {});
  const char* name() const noexcept override { return "DatabaseError"; }
  const std::string& sqlState() const noexcept { return sqlState_; }
  const std::string& sql() const noexcept { return sql_; }
  // Constraint and table names when the engine reports them (PostgreSQL
  // always; SQLite only in the message text).
  const std::string& constraint() const noexcept { return constraint_; }
  const std::string& table() const noexcept { return table_; }

 private:
  std::string sqlState_, sql_, constraint_, table_;
};

class UniqueConstraintError : public DatabaseError {
 public:
  UniqueConstraintError(std::string message, std::vector<std::string> fields,
                        std::string sqlState = {}, std::string sql = {},
                        std::string constraint = {}, std::string table = {});
  const char* name() const noexcept override { return "UniqueConstraintError"; }
  // Column names of the violated key, when known ("username").
  const std::vector<std::string>& fields() const noexcept { return fields_; }

 private:
  std::vector<std::string> fields_;
};

JUNCTION_ERROR_CLASS(ForeignKeyConstraintError, DatabaseError);
JUNCTION_ERROR_CLASS(NotNullConstraintError, DatabaseError);
JUNCTION_ERROR_CLASS(CheckConstraintError, DatabaseError);
JUNCTION_ERROR_CLASS(TimeoutError, DatabaseError);

class MigrationError : public Error {
 public:
  enum class Direction { Up, Down };
  MigrationError(std::string migration, Direction direction, std::string cause);
  const char* name() const noexcept override { return "MigrationError"; }
  const std::string& migration() const noexcept { return migration_; }
  Direction direction() const noexcept { return direction_; }
  const std::string& cause() const noexcept { return cause_; }

 private:
  std::string migration_;
  Direction direction_;
  std::string cause_;
};

#undef JUNCTION_ERROR_CLASS

}  // namespace junction

// Private to the QueryInterface: its run/read paths for the schema-editor
// session, and the migration column spec check.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "junction/migrate/query_interface.hpp"

namespace junction::migrate {

// The QueryInterface's private run/read paths (query_interface.cpp's Session).
struct QueryInterfaceAccess {
  static std::int64_t run(QueryInterface& qi, const sql::Compiled& c) { return qi.run(c); }
  static ResultSet read(QueryInterface& qi, const sql::Compiled& c) { return qi.read(c); }
  static std::vector<std::pair<std::string, std::string>>& planned(QueryInterface& qi) {
    return qi.plannedTables_;
  }
};

namespace detail {

// A migration column spec as a ColumnDef. Throws UsageError for field(),
// validators, UUIDV4 defaults (no SQL default exists on both engines).
sql::ColumnDef toColumnDef(const std::string& table, const std::string& column, const Column& spec);

}  // namespace detail

}  // namespace junction::migrate

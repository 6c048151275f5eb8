// Exercise 13.24: server-side sessions. A login inserts a row; every request
// that needs login checks its row still exists; logout and disabling delete it.
#include "junction/data_types.hpp"
#include "junction/migrate/migration.hpp"
#include "junction/migrate/query_interface.hpp"

namespace {

using namespace junction::DataTypes;
using junction::migrate::QueryInterface;

const junction::migrate::RegisterMigration kMigration{
    "20211209_04_add_sessions",
    [](QueryInterface& qi) {
      qi.createTable("sessions", {
                                     {"id", INTEGER.primaryKey().autoIncrement()},
                                     {"sid", STRING.allowNull(false).unique()},
                                     {"user_id", INTEGER.allowNull(false)
                                                     .references("users", "id")
                                                     .onDelete("CASCADE")},
                                     {"created_at", DATE.allowNull(false)},
                                     {"updated_at", DATE.allowNull(false)},
                                 });
      qi.addIndex("sessions", {"user_id"});
    },
    [](QueryInterface& qi) { qi.dropTable("sessions"); }};

}  // namespace

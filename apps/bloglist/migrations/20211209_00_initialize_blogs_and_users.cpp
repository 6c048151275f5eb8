// Exercise 13.17: the initial schema, with created_at / updated_at.
#include "junction/data_types.hpp"
#include "junction/migrate/migration.hpp"
#include "junction/migrate/query_interface.hpp"

namespace {

using namespace junction::DataTypes;
using junction::migrate::QueryInterface;

const junction::migrate::RegisterMigration kMigration{
    "20211209_00_initialize_blogs_and_users",
    [](QueryInterface& qi) {
      qi.createTable("users", {
                                  {"id", INTEGER.primaryKey().autoIncrement()},
                                  {"username", STRING.unique().allowNull(false)},
                                  {"name", STRING.allowNull(false)},
                                  {"password_hash", STRING.allowNull(false)},
                                  {"created_at", DATE.allowNull(false)},
                                  {"updated_at", DATE.allowNull(false)},
                              });
      qi.createTable("blogs", {
                                  {"id", INTEGER.primaryKey().autoIncrement()},
                                  {"author", TEXT},
                                  {"url", TEXT.allowNull(false)},
                                  {"title", TEXT.allowNull(false)},
                                  {"likes", INTEGER.allowNull(false).defaultValue(0)},
                                  {"created_at", DATE.allowNull(false)},
                                  {"updated_at", DATE.allowNull(false)},
                              });
      qi.addColumn("blogs", "user_id",
                   INTEGER.allowNull(false).references("users", "id").onDelete("CASCADE"));
    },
    [](QueryInterface& qi) {
      qi.dropTable("blogs");
      qi.dropTable("users");
    }};

}  // namespace

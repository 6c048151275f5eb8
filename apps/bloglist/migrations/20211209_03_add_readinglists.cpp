// Exercise 13.19: the reading list, a junction table between users and
// blogs; a blog is listed once per user and starts unread.
#include "junction/data_types.hpp"
#include "junction/migrate/migration.hpp"
#include "junction/migrate/query_interface.hpp"

namespace {

using namespace junction::DataTypes;
using junction::migrate::QueryInterface;

const junction::migrate::RegisterMigration kMigration{
    "20211209_03_add_readinglists",
    [](QueryInterface& qi) {
      qi.createTable(
          "readinglists",
          {
              {"id", INTEGER.primaryKey().autoIncrement()},
              {"user_id", INTEGER.allowNull(false).references("users", "id").onDelete("CASCADE")},
              {"blog_id", INTEGER.allowNull(false).references("blogs", "id").onDelete("CASCADE")},
              {"read", BOOLEAN.allowNull(false).defaultValue(false)},
          },
          {.uniqueKeys = {{.name = "readinglists_user_id_blog_id_key",
                           .columns = {"user_id", "blog_id"}}}});
      qi.addIndex("readinglists", {"blog_id"});
    },
    [](QueryInterface& qi) { qi.dropTable("readinglists"); }};

}  // namespace

// The course's admin and disabled flags on users (exercise 13.24 needs
// `disabled`; `admin` lets an administrator disable accounts over HTTP).
#include "junction/data_types.hpp"
#include "junction/migrate/migration.hpp"
#include "junction/migrate/query_interface.hpp"

namespace {

using namespace junction::DataTypes;
using junction::migrate::QueryInterface;

const junction::migrate::RegisterMigration kMigration{
    "20211209_02_admin_and_disabled_to_users",
    [](QueryInterface& qi) {
      qi.addColumn("users", "admin", BOOLEAN.allowNull(false).defaultValue(false));
      qi.addColumn("users", "disabled", BOOLEAN.allowNull(false).defaultValue(false));
    },
    [](QueryInterface& qi) {
      qi.removeColumn("users", "admin");
      qi.removeColumn("users", "disabled");
    }};

}  // namespace

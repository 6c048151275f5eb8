// Seed 000's migrations: seed000m.js translated, with junction's Migrator
// in Umzug's place (storage table `migrations`, as the chapter's
// SequelizeStorage).
#include "../harness.hpp"
#include "junction/migrate/migration.hpp"
#include "junction/migrate/migrator.hpp"
#include "junction/migrate/query_interface.hpp"

using namespace junction;
using namespace junction::DataTypes;
using junction::migrate::QueryInterface;
using conformance::step;

int main(int argc, char** argv) {
  return conformance::run(argc, argv, [](const std::string& url) {
    migrate::MigrationRegistry migrations;
    migrations.add(
        "20211209_00_initialize_notes_and_users",
        [](QueryInterface& queryInterface) {
          queryInterface.createTable("notes", {{"id", INTEGER.primaryKey().autoIncrement()},
                                               {"content", TEXT.allowNull(false)},
                                               {"important", BOOLEAN.allowNull(false)},
                                               {"date", DATE}});
          queryInterface.createTable("users", {{"id", INTEGER.primaryKey().autoIncrement()},
                                               {"username", STRING.unique().allowNull(false)},
                                               {"name", STRING.allowNull(false)}});
          queryInterface.addColumn("notes", "user_id",
                                   INTEGER.allowNull(false).references("users", "id"));
        },
        [](QueryInterface& queryInterface) {
          queryInterface.dropTable("notes");
          queryInterface.dropTable("users");
        });
    migrations.add(
        "20211209_01_admin_and_disabled_to_users",
        [](QueryInterface& queryInterface) {
          queryInterface.addColumn("users", "admin", BOOLEAN.defaultValue(false));
          queryInterface.addColumn("users", "disabled", BOOLEAN.defaultValue(false));
        },
        [](QueryInterface& queryInterface) {
          queryInterface.removeColumn("users", "admin");
          queryInterface.removeColumn("users", "disabled");
        });
    migrations.add(
        "20211209_02_add_teams_and_memberships",
        [](QueryInterface& queryInterface) {
          queryInterface.createTable("teams", {{"id", INTEGER.primaryKey().autoIncrement()},
                                               {"name", TEXT.allowNull(false).unique()}});
          queryInterface.createTable(
              "memberships", {{"id", INTEGER.primaryKey().autoIncrement()},
                              {"user_id", INTEGER.allowNull(false).references("users", "id")},
                              {"team_id", INTEGER.allowNull(false).references("teams", "id")}});
        },
        [](QueryInterface& queryInterface) {
          queryInterface.dropTable("memberships");
          queryInterface.dropTable("teams");
        });
    migrations.add(
        "20211209_03_add_user_notes",
        [](QueryInterface& queryInterface) {
          queryInterface.createTable(
              "user_notes", {{"id", INTEGER.primaryKey().autoIncrement()},
                             {"user_id", INTEGER.allowNull(false).references("users", "id")},
                             {"note_id", INTEGER.allowNull(false).references("notes", "id")}});
        },
        [](QueryInterface& queryInterface) { queryInterface.dropTable("user_notes"); });

    Database sequelize(url);
    migrate::Migrator migrator(sequelize.pool(), migrations.migrations());
    step("runMigrations", [&] { return Json(migrator.up()); });
    step("rollbackMigration", [&] { return Json(migrator.down()); });
    step("down to 01", [&] {
      return Json(migrator.down({.to = "20211209_02_add_teams_and_memberships"}));
    });
    step("executed", [&] {
      Json names = Json::array();
      for (const auto& m : migrator.executed()) names.push_back(m.name);
      return names;
    });
    step("runMigrations again", [&] { return Json(migrator.up()); });
  });
}

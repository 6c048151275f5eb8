// Seed 003, the custom join model: seed003b.js translated line by line.
#include "../harness.hpp"

using namespace junction;
using namespace junction::DataTypes;
using conformance::step;

int main(int argc, char** argv) {
  return conformance::run(argc, argv, [](const std::string& url) {
    Database sequelize(url, {.naming = Naming::Sequelize6});
    auto& User = sequelize.define(
        "User", {{"name", STRING.allowNull(false)},
                 {"email", STRING.allowNull(false).unique().validate(isEmail())}});
    auto& Project =
        sequelize.define("Project", {{"title", STRING.allowNull(false)}, {"description", TEXT}});
    auto& UserProject = sequelize.define(
        "UserProject",
        {{"role", STRING.allowNull(false).validate(isIn({"admin", "developer", "viewer"}))},
         {"startDate", DATE.defaultValue(NOW)}},
        {.timestamps = true});
    User.belongsToMany(Project, {.through = UserProject, .as = "projects", .foreignKey = "userId"});
    Project.belongsToMany(User, {.through = UserProject, .as = "users", .foreignKey = "projectId"});

    step("sync", [&] { sequelize.sync({.force = true}); });

    Value userId;
    step("createUserWithRole: addProject with role", [&] {
      auto user = User.create({{"name", "Alice"}, {"email", "alice@example.com"}});
      userId = user.get("id");
      auto project = Project.create({{"title", "DevOps"}, {"description", "CI/CD Pipeline"}});
      return user.association("projects").add(project, {.through = {{"role", "admin"}}});
    });
    step("createUserWithRole: findByPk with role", [&] {
      return User.findByPk(userId, {.include = {{.model = Project,
                                                 .as = "projects",
                                                 .through = {.attributes = {"role", "startDate"}}}}});
    });
    step("a role outside the list", [&] {
      auto user = User.findByPk(userId);
      auto project = Project.create({{"title", "Docs"}});
      return user->association("projects").add(project, {.through = {{"role", "owner"}}});
    });
    step("no role", [&] {
      auto user = User.findByPk(userId);
      return user->association("projects").add(*Project.findOne({.where = {{"title", "Docs"}}}));
    });
    step("getUsers with the junction row",
         [&] { return Project.findByPk(1)->association("users").get(); });
    step("getProjects where the junction says", [&] {
      return User.findByPk(userId)->association("projects").get(
          {.throughWhere = {{"role", "admin"}}});
    });
    step("removeProject",
         [&] { return User.findByPk(userId)->association("projects").remove(Value(1)); });
  });
}

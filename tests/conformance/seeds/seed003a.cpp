// Seed 003, the join table given by name: seed003a.js translated line by
// line. Sequelize 6 code, so the database names as Sequelize 6 does.
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
    User.belongsToMany(Project, {.through = "UserProject", .as = "projects", .foreignKey = "userId"});
    Project.belongsToMany(User, {.through = "UserProject", .as = "users", .foreignKey = "projectId"});

    step("sync", [&] { sequelize.sync({.force = true}); });

    step("createUserWithProject", [&] {
      auto user = User.create({{"name", "John Doe"}, {"email", "john@example.com"}});
      auto project = Project.create(
          {{"title", "Sequelize Tutorial"}, {"description", "Learn many-to-many associations"}});
      return user.association("projects").add(project);
    });

    step("createUserWithProjects", [&] {
      return User.create(
          Json{{"name", "Jane Smith"},
               {"email", "jane@example.com"},
               {"projects",
                Json::array(
                    {{{"title", "Website Redesign"}, {"description", "Update UI/UX"}},
                     {{"title", "API Development"}, {"description", "Build RESTful endpoints"}}})}},
          {.include = {{.model = Project, .as = "projects"}}});
    });

    step("updateUserProjects: addProject", [&] {
      auto user = User.findOne({.where = {{"name", "John Doe"}}});
      auto newProject = Project.create({{"title", "Mobile App"}, {"description", "React Native"}});
      return user->association("projects").add(newProject);
    });
    step("updateUserProjects: addProjects", [&] {
      auto user = User.findOne({.where = {{"name", "John Doe"}}});
      auto projects =
          Project.findAll({.where = {{"title", {"Website Redesign", "API Development"}}}});
      return user->association("projects").add(projects);
    });
    step("updateUserProjects: addProject again", [&] {
      auto user = User.findOne({.where = {{"name", "John Doe"}}});
      return user->association("projects").add(
          *Project.findOne({.where = {{"title", "Mobile App"}}}));
    });
    step("updateUserProjects: removeProject", [&] {
      auto user = User.findOne({.where = {{"name", "John Doe"}}});
      return user->association("projects").remove(
          *Project.findOne({.where = {{"title", "Mobile App"}}}));
    });

    step("getUserWithProjects", [&] {
      return User.findByPk(
          1, {.include = {{.model = Project, .as = "projects", .attributes = {"id", "title"}}}});
    });
    step("getProjectWithUsers", [&] {
      return Project.findByPk(1, {.include = {{.model = User,
                                               .as = "users",
                                               .attributes = {"id", "name"},
                                               .through = {.attributes = none}}}});
    });
    step("usersInTutorial", [&] {
      return User.findAll({.include = {{.model = Project,
                                        .as = "projects",
                                        .where = {{"title", "Sequelize Tutorial"}}}}});
    });
    step("order projects by title", [&] {
      return User.findByPk(
          1, {.include = {{.model = Project, .as = "projects", .order = {{"title", "ASC"}}}}});
    });
    step("order by the included title", [&] {
      return User.findByPk(1, {.include = {{.model = Project, .as = "projects"}},
                               .order = {{"projects.title", DESC}}});
    });
    step("getProjects",
         [&] { return User.findByPk(1)->association("projects").get({.order = {{"id", ASC}}}); });
    step("countProjects", [&] { return User.findByPk(1)->association("projects").count(); });
    step("hasProject", [&] { return User.findByPk(1)->association("projects").has(Value(2)); });
    step("setProjects", [&] {
      auto r = User.findByPk(1)->association("projects").set({Value(2), Value(4)});
      return Json{{"removed", r.removed},
                  {"created", conformance::plain(r.created)},
                  {"updated", r.updated}};
    });
    step("email must be an email",
         [&] { return User.create({{"name", "John Doe"}, {"email", "not an email"}}); });
    step("email is unique",
         [&] { return User.create({{"name", "Again"}, {"email", "john@example.com"}}); });
    step("name is required", [&] { return User.create({{"email", "x@example.com"}}); });
  });
}

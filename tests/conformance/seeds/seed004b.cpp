// Seed 004's through attributes: seed004b.js translated line by line.
#include "../harness.hpp"

using namespace junction;
using namespace junction::DataTypes;
using conformance::step;

int main(int argc, char** argv) {
  return conformance::run(argc, argv, [](const std::string& url) {
    Database sequelize(url, {.naming = Naming::Sequelize6});
    auto& UserProject = sequelize.define("UserProject", {{"role", STRING}});
    auto& Project = sequelize.define("Project", {{"name", STRING}});
    auto& User = sequelize.define("User", {{"username", STRING}});
    User.belongsToMany(Project, {.through = UserProject});
    Project.belongsToMany(User, {.through = UserProject});

    // (await user1.getProjects()).map(x => x.UserProject?.role)
    auto roles = [&](const std::vector<Instance>& projects) {
      Json out = Json::array();
      for (const auto& p : projects) out.push_back(p.toJSON()["UserProject"]["role"]);
      return out;
    };

    step("sync", [&] { sequelize.sync({.force = true}); });
    step("a user and three projects", [&] {
      User.create({{"username", "user1"}});
      return Project.bulkCreate({{{"name", "p1"}}, {{"name", "p2"}}, {{"name", "p3"}}});
    });
    auto user1 = [&] { return *User.findByPk(1); };
    auto projects = [&] { return Project.findAll({.order = {{"id", ASC}}}); };
    step("setProjects(..., { through: { role: 'admin' } })", [&] {
      user1().association("Projects").set(projects(), {.through = {{"role", "admin"}}});
    });
    step("roles after one through object", [&] {
      return roles(user1().association("Projects").get({.order = {{"id", ASC}}}));
    });
    step("setProjects(none)", [&] { user1().association("Projects").set(Targets{}); });
    step("addProjects with a role", [&] {
      return user1().association("Projects").add(projects(), {.through = {{"role", "manager"}}});
    });
    step("addProject again changes the role", [&] {
      return user1().association("Projects").add(Value(1), {.through = {{"role", "designer"}}});
    });
    step("roles after add", [&] {
      return roles(user1().association("Projects").get({.order = {{"id", ASC}}}));
    });
    step("include with the junction", [&] {
      return User.findAll({.include = {{.model = Project}}, .order = {{"Projects.id", ASC}}});
    });
  });
}

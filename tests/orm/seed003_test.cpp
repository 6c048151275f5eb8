// Seed 003 (a User–Project many-to-many guide), translated function by
// function: first with the join table given by name ('UserProject'), then
// with the custom join model carrying role and startDate. Where the guide
// prints output, the test checks that exact JSON: the guide's printouts
// leave out what every Sequelize row also carries (createdAt/updatedAt, the
// through row when it is not hidden, description), so each such test checks
// junction's full JSON and, with those keys taken out, the guide's text.

#include "fixture.hpp"

using namespace junction;
using namespace junction::DataTypes;

using junction::test::isIsoTimestamp;
using junction::test::jsonOf;

namespace {

// startDate (the guide's join attribute) is a timestamp too.
Json withoutTimes(Json j) {
  return junction::test::withoutTimes(std::move(j), {"createdAt", "updatedAt", "startDate"});
}



// `j` with the named keys removed at every level.
Json erased(Json j, const std::vector<std::string>& keys) {
  if (j.is_array()) {
    for (auto& e : j) e = erased(e, keys);
  } else if (j.is_object()) {
    for (const auto& k : keys) j.erase(k);
    for (auto& [k, v] : j.items()) v = erased(v, keys);
  }
  return j;
}

class Seed003Base : public ::testing::Test {
 protected:
  void SetUp() override {
    db = std::make_unique<Database>(
        test::databaseUrl(),
        DatabaseOptions{.logging = [this](const QueryEvent& e) { log.emplace_back(e.sql); }});
    // const User = sequelize.define('User', { name: {...}, email: {..., validate: {isEmail: true}}
    // })
    User = &db->define("User", {
                                   {"name", STRING.allowNull(false)},
                                   {"email", STRING.allowNull(false).unique().validate(isEmail())},
                               });
    // const Project = sequelize.define('Project', { title: {...}, description: {type: TEXT} })
    Project = &db->define("Project", {
                                         {"title", STRING.allowNull(false)},
                                         {"description", TEXT},
                                     });
  }
  void TearDown() override {
    if (db) db->drop();
  }
  std::unique_ptr<Database> db;
  std::vector<std::string> log;
  Model *User = nullptr, *Project = nullptr;
};

// The join table given by name: through: 'UserProject'.
class Seed003Named : public Seed003Base {
 protected:
  void SetUp() override {
    Seed003Base::SetUp();
    User->belongsToMany(*Project,
                        {.through = "UserProject", .as = "projects", .foreignKey = "userId"});
    Project->belongsToMany(*User,
                           {.through = "UserProject", .as = "users", .foreignKey = "projectId"});
    // await sequelize.sync({ force: true })
    db->sync({.force = true});
    UserProject = &db->model("UserProject");
  }

  // createUserWithProject(), line for line.
  Instance createUserWithProject() {
    auto user = User->create({{"name", "John Doe"}, {"email", "john@example.com"}});
    auto project = Project->create(
        {{"title", "Sequelize Tutorial"}, {"description", "Learn many-to-many associations"}});
    user.association("projects").add(project);  // await user.addProject(project)
    return user;
  }
  // createUserWithProjects(), line for line.
  Instance createUserWithProjects() {
    return User->create(
        Json{{"name", "Jane Smith"},
             {"email", "jane@example.com"},
             {"projects",
              Json::array(
                  {{{"title", "Website Redesign"}, {"description", "Update UI/UX"}},
                   {{"title", "API Development"}, {"description", "Build RESTful endpoints"}}})}},
        {.include = {{.model = *Project, .as = "projects"}}});
  }
  // updateUserProjects(), line for line.
  void updateUserProjects() {
    auto user = *User->findOne({.where = {{"name", "John Doe"}}});
    auto newProject = Project->create({{"title", "Mobile App"}, {"description", "React Native"}});
    user.association("projects").add(newProject);  // addProject
    auto projects =
        Project->findAll({.where = {{"title", {"Website Redesign", "API Development"}}}});
    user.association("projects").add(projects);       // addProjects
    user.association("projects").remove(newProject);  // removeProject
  }

  Model* UserProject = nullptr;
};

}  // namespace

TEST_F(Seed003Named, ThreeTablesAndTheJunctionsKeys) {
  // "Sequelize will create three tables: Users, Projects, UserProject"
  EXPECT_EQ(User->tableName(), "Users");
  EXPECT_EQ(Project->tableName(), "Projects");
  EXPECT_EQ(UserProject->tableName(), "UserProject");
  for (const char* table : {"Users", "Projects", "UserProject"})
    EXPECT_EQ(db->query(std::string("SELECT COUNT(*) AS n FROM \"") + table + "\"").size(), 1u)
        << table;
  std::vector<std::string> names;
  for (const auto& a : UserProject->attributes()) names.push_back(a.name);
  EXPECT_EQ(names, (std::vector<std::string>{"userId", "projectId", "createdAt", "updatedAt"}))
      << "timestamps stay last";
  EXPECT_EQ(UserProject->primaryKeys(), (std::vector<std::string>{"userId", "projectId"}));
  EXPECT_EQ(User->association("projects").otherKey, "projectId");
  EXPECT_EQ(Project->association("users").otherKey, "userId");
  // sync({ force: true }) again: dropped and recreated, empty.
  createUserWithProject();
  db->sync({.force = true});
  EXPECT_EQ(User->count(), 0);
  EXPECT_EQ(UserProject->count(), 0);
}

TEST_F(Seed003Named, EmailMustBeAnEmail) {
  try {
    User->create({{"name", "John Doe"}, {"email", "not an email"}});
    ADD_FAILURE() << "expected ValidationError";
  } catch (const ValidationError& e) {
    ASSERT_EQ(e.errors().size(), 1u);
    EXPECT_EQ(e.errors()[0].message, "Validation isEmail on email failed");
  }
  User->create({{"name", "John Doe"}, {"email", "john@example.com"}});
  EXPECT_THROW(User->create({{"name", "Other"}, {"email", "john@example.com"}}),
               UniqueConstraintError);
}

TEST_F(Seed003Named, CreateUserWithProjectThenAddProject) {
  auto user = createUserWithProject();
  EXPECT_EQ(withoutTimes(jsonOf(UserProject->findAll())), Json::parse(R"([
    {"userId":1,"projectId":1,"createdAt":"<ts>","updatedAt":"<ts>"}])"));
  EXPECT_TRUE(user.association("projects").has(Value(1)));
  EXPECT_TRUE(Project->findByPk(1)->association("users").has(user));
}

TEST_F(Seed003Named, CreateUserWithProjectsInOneStep) {
  auto user = createUserWithProjects();
  // console.log('User with projects:', user.toJSON())
  Json j = withoutTimes(user.toJSON());
  EXPECT_EQ(erased(j, {"UserProject"}), Json::parse(R"({
    "id":1,"name":"Jane Smith","email":"jane@example.com","createdAt":"<ts>","updatedAt":"<ts>",
    "projects":[
      {"id":1,"title":"Website Redesign","description":"Update UI/UX","createdAt":"<ts>","updatedAt":"<ts>"},
      {"id":2,"title":"API Development","description":"Build RESTful endpoints","createdAt":"<ts>","updatedAt":"<ts>"}]})"))
      << j.dump(2);
  // "Sequelize creates the user, the two projects, and links them in UserProject."
  EXPECT_EQ(withoutTimes(jsonOf(UserProject->findAll({.order = {"projectId"}}))), Json::parse(R"([
    {"userId":1,"projectId":1,"createdAt":"<ts>","updatedAt":"<ts>"},
    {"userId":1,"projectId":2,"createdAt":"<ts>","updatedAt":"<ts>"}])"));
}

TEST_F(Seed003Named, UpdateUserProjectsAddsAddsManyAndRemoves) {
  createUserWithProject();   // John Doe: Sequelize Tutorial (1)
  createUserWithProjects();  // Jane Smith: Website Redesign (2), API Development (3)
  updateUserProjects();      // Mobile App (4) added then removed; 2 and 3 added
  auto john = User->findOne({.attributes = {"name"},
                             .include = {{.model = *Project,
                                          .as = "projects",
                                          .attributes = {"id", "title"},
                                          .through = {.attributes = none}}},
                             .where = {{"name", "John Doe"}}});
  EXPECT_EQ(john->toJSON(), Json::parse(R"({"name":"John Doe","projects":[
    {"id":1,"title":"Sequelize Tutorial"},{"id":2,"title":"Website Redesign"},
    {"id":3,"title":"API Development"}]})"));
  EXPECT_EQ(Project->count(), 4) << "removeProject unlinks; the project stays";
  EXPECT_EQ(UserProject->count({.where = {{"projectId", 4}}}), 0);
}

TEST_F(Seed003Named, GetUserWithProjectsPrintsTheGuidesOutput) {
  createUserWithProject();
  auto website = Project->create({{"title", "Website Redesign"}, {"description", "Update UI/UX"}});
  User->findByPk(1)->association("projects").add(website);
  // getUserWithProjects(): findByPk(1, { include: [{ model: Project, as: 'projects',
  //                                                 attributes: ['id', 'title'] }] })
  auto user = User->findByPk(
      1, {.include = {{.model = *Project, .as = "projects", .attributes = {"id", "title"}}}});
  ASSERT_TRUE(user);
  Json j = withoutTimes(user->toJSON());
  EXPECT_EQ(j, Json::parse(R"({
    "id":1,"name":"John Doe","email":"john@example.com","createdAt":"<ts>","updatedAt":"<ts>",
    "projects":[
      {"id":1,"title":"Sequelize Tutorial",
       "UserProject":{"userId":1,"projectId":1,"createdAt":"<ts>","updatedAt":"<ts>"}},
      {"id":2,"title":"Website Redesign",
       "UserProject":{"userId":1,"projectId":2,"createdAt":"<ts>","updatedAt":"<ts>"}}]})"))
      << j.dump(2);
  // The guide's printout (email as in the guide's example.com stand-in):
  EXPECT_EQ(erased(j, {"createdAt", "updatedAt", "UserProject"}), Json::parse(R"({
    "id": 1,
    "name": "John Doe",
    "email": "john@example.com",
    "projects": [
      { "id": 1, "title": "Sequelize Tutorial" },
      { "id": 2, "title": "Website Redesign" }
    ]
  })"));
}

TEST_F(Seed003Named, GetProjectWithUsersWithoutJoinData) {
  createUserWithProject();
  // findByPk(1, { include: [{ model: User, as: 'users', attributes: ['id', 'name'],
  //                           through: { attributes: [] } }] })
  auto project = Project->findByPk(1, {.include = {{.model = *User,
                                                    .as = "users",
                                                    .attributes = {"id", "name"},
                                                    .through = {.attributes = none}}}});
  ASSERT_TRUE(project);
  EXPECT_EQ(withoutTimes(project->toJSON()), Json::parse(R"({
    "id":1,"title":"Sequelize Tutorial","description":"Learn many-to-many associations",
    "createdAt":"<ts>","updatedAt":"<ts>","users":[{"id":1,"name":"John Doe"}]})"));
}

TEST_F(Seed003Named, FilterIncludedProjectsByTitle) {
  createUserWithProject();
  createUserWithProjects();
  auto mobile = Project->create({{"title", "Mobile App"}});
  User->findByPk(2)->association("projects").add(mobile);
  User->findByPk(1)->association("projects").add(mobile);
  User->create({{"name", "Nobody"}, {"email", "nobody@example.com"}});
  // Get users who are part of 'Sequelize Tutorial'
  auto usersInTutorial = User->findAll(
      {.include = {
           {.model = *Project, .as = "projects", .where = {{"title", "Sequelize Tutorial"}}}}});
  ASSERT_EQ(usersInTutorial.size(), 1u);
  Json j = erased(usersInTutorial[0].toJSON(), {"createdAt", "updatedAt", "UserProject"});
  EXPECT_EQ(j, Json::parse(R"({"id":1,"name":"John Doe","email":"john@example.com","projects":[
    {"id":1,"title":"Sequelize Tutorial","description":"Learn many-to-many associations"}]})"))
      << "only the matching users, with only the matching projects";
}

TEST_F(Seed003Named, OrderIncludedProjectsByTitle) {
  createUserWithProject();
  createUserWithProjects();
  updateUserProjects();
  // findByPk(1, { include: [{ model: Project, as: 'projects', order: [['title', 'ASC']] }] })
  auto user = User->findByPk(
      1, {.include = {{.model = *Project, .as = "projects", .order = {{"title", "ASC"}}}}});
  std::vector<std::string> titles;
  for (const auto& p : user->related("projects")) titles.push_back(p.get<std::string>("title"));
  EXPECT_EQ(titles, (std::vector<std::string>{"API Development", "Sequelize Tutorial",
                                              "Website Redesign"}));
}

// ------------------------------------------- the custom join table

namespace {

class Seed003Custom : public Seed003Base {
 protected:
  void SetUp() override {
    Seed003Base::SetUp();
    // const UserProject = sequelize.define('UserProject', {
    //   role: { type: STRING, allowNull: false, validate: { isIn: [['admin', 'developer',
    //   'viewer']] } }, startDate: { type: DATE, defaultValue: DataTypes.NOW } }, { timestamps:
    //   true })
    UserProject = &db->define(
        "UserProject",
        {{"role", STRING.allowNull(false).validate(isIn({"admin", "developer", "viewer"}))},
         {"startDate", DATE.defaultValue(NOW)}},
        {.timestamps = true});
    User->belongsToMany(*Project,
                        {.through = *UserProject, .as = "projects", .foreignKey = "userId"});
    Project->belongsToMany(*User,
                           {.through = *UserProject, .as = "users", .foreignKey = "projectId"});
    db->sync({.force = true});
  }

  // createUserWithRole(), line for line.
  Json createUserWithRole() {
    auto user = User->create({{"name", "Alice"}, {"email", "alice@example.com"}});
    auto project = Project->create({{"title", "DevOps"}, {"description", "CI/CD Pipeline"}});
    // Associate with role
    user.association("projects").add(project, {.through = {{"role", "admin"}}});
    // Get user with projects and roles
    auto userWithRoles = User->findByPk(
        user["id"], {.include = {{.model = *Project,
                                  .as = "projects",
                                  .through = {.attributes = {"role", "startDate"}}}}});
    return userWithRoles->toJSON();  // console.log(userWithRoles.toJSON())
  }

  Model* UserProject = nullptr;
};

}  // namespace

TEST_F(Seed003Custom, JoinModelKeysRoleAndStartDate) {
  std::vector<std::string> names;
  for (const auto& a : UserProject->attributes()) names.push_back(a.name);
  // Sequelize drops the id a junction model without a declared key got:
  // the pair of keys is its primary key.
  EXPECT_EQ(names, (std::vector<std::string>{"role", "startDate", "userId", "projectId",
                                             "createdAt", "updatedAt"}));
  EXPECT_EQ(UserProject->primaryKeys(), (std::vector<std::string>{"userId", "projectId"}));
  EXPECT_EQ(UserProject->tableName(), "UserProjects");
  auto user = User->create({{"name", "Alice"}, {"email", "alice@example.com"}});
  auto project = Project->create({{"title", "DevOps"}});
  // role: allowNull false, isIn
  EXPECT_THROW(user.association("projects").add(project), ValidationError);
  try {
    user.association("projects").add(project, {.through = {{"role", "boss"}}});
    ADD_FAILURE() << "expected ValidationError";
  } catch (const ValidationError& e) {
    ASSERT_EQ(e.errors().size(), 1u);
    EXPECT_EQ(e.errors()[0].message, "Validation isIn on role failed");
  }
  EXPECT_EQ(UserProject->count(), 0);
  user.association("projects").add(project, {.through = {{"role", "viewer"}}});
  auto row = UserProject->findOne();
  EXPECT_EQ(row->get<std::string>("role"), "viewer");
  EXPECT_TRUE(isIsoTimestamp(row->toJSON()["startDate"])) << "defaultValue: DataTypes.NOW";
}

TEST_F(Seed003Custom, CreateUserWithRolePrintsTheGuidesOutput) {
  // Alice is the guide's third user and DevOps its third project.
  for (int i = 1; i <= 2; ++i) {
    User->create(
        {{"name", "u" + std::to_string(i)}, {"email", "u" + std::to_string(i) + "@example.com"}});
    Project->create({{"title", "p" + std::to_string(i)}});
  }
  Json j = createUserWithRole();
  ASSERT_TRUE(isIsoTimestamp(j["projects"][0]["UserProject"]["startDate"])) << j.dump(2);
  Json full = withoutTimes(j);
  EXPECT_EQ(full, Json::parse(R"({
    "id":3,"name":"Alice","email":"alice@example.com","createdAt":"<ts>","updatedAt":"<ts>",
    "projects":[{"id":3,"title":"DevOps","description":"CI/CD Pipeline",
                 "createdAt":"<ts>","updatedAt":"<ts>",
                 "UserProject":{"role":"admin","startDate":"<ts>"}}]})"))
      << j.dump(2);
  // The guide's printout, with its startDate standing for "now":
  Json guide = erased(j, {"createdAt", "updatedAt", "description"});
  guide["projects"][0]["UserProject"]["startDate"] = "2024-01-01T12:00:00.000Z";
  EXPECT_EQ(guide, Json::parse(R"({
    "id": 3,
    "name": "Alice",
    "email": "alice@example.com",
    "projects": [
      {
        "id": 3,
        "title": "DevOps",
        "UserProject": { "role": "admin", "startDate": "2024-01-01T12:00:00.000Z" }
      }
    ]
  })"));
}

TEST_F(Seed003Custom, CreateWithIncludeCarriesTheJoinValues) {
  // The bulk-association create, with the join model's required role given per project.
  auto user =
      User->create(Json{{"name", "Jane Smith"},
                        {"email", "jane@example.com"},
                        {"projects", Json::array({{{"title", "Website Redesign"},
                                                   {"description", "Update UI/UX"},
                                                   {"UserProject", {{"role", "admin"}}}},
                                                  {{"title", "API Development"},
                                                   {"description", "Build RESTful endpoints"},
                                                   {"UserProject", {{"role", "developer"}}}}})}},
                   {.include = {{.model = *Project, .as = "projects"}}});
  auto back = User->findByPk(user["id"], {.attributes = {"name"},
                                          .include = {{.model = *Project,
                                                       .as = "projects",
                                                       .attributes = {"title"},
                                                       .through = {.attributes = {"role"}}}}});
  EXPECT_EQ(back->toJSON(), Json::parse(R"({"name":"Jane Smith","projects":[
    {"title":"Website Redesign","UserProject":{"role":"admin"}},
    {"title":"API Development","UserProject":{"role":"developer"}}]})"));
  // Without a role the junction row is invalid, and nothing is created.
  EXPECT_THROW(User->create(Json{{"name", "Bob"},
                                 {"email", "bob@example.com"},
                                 {"projects", Json::array({{{"title", "No role"}}})}},
                            {.include = {{.model = *Project, .as = "projects"}}}),
               ValidationError);
  EXPECT_EQ(User->count(), 1);
  EXPECT_EQ(Project->count(), 2);
}

TEST(Seed003Setup, SequelizeConstructorIsADatabaseUrl) {
  // new Sequelize('user_project_db', 'your_db_user', 'your_db_password', { host: 'localhost',
  // dialect: 'postgres' })  — config/config.json's fields, as one URL (connects lazily).
  Database sequelize{"postgres://your_db_user:your_db_password@localhost/user_project_db"};
  EXPECT_EQ(sequelize.url().scheme, "postgres");
  EXPECT_EQ(sequelize.url().user, "your_db_user");
  EXPECT_EQ(sequelize.url().password, "your_db_password");
  EXPECT_EQ(sequelize.url().host, "localhost");
  EXPECT_EQ(sequelize.url().database, "user_project_db");
  Database mysql{"mysql://localhost/user_project_db"};
  EXPECT_THROW(mysql.authenticate(), InvalidUrlError) << "the dialects are SQLite and PostgreSQL";
}

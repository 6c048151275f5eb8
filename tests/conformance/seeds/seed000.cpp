// Seed 000 (Full Stack Open part 13c): seed000.js translated line by line.
#include <fmt/format.h>

#include "../harness.hpp"

using namespace junction;
using namespace junction::DataTypes;
using conformance::step;

int main(int argc, char** argv) {
  return conformance::run(argc, argv, [](const std::string& url) {
    Database sequelize(url, {.naming = Naming::Sequelize6});

    auto& Note = sequelize.define("note",
                                  {{"id", INTEGER.primaryKey().autoIncrement()},
                                   {"content", TEXT.allowNull(false)},
                                   {"important", BOOLEAN},
                                   {"date", DATE}},
                                  {.underscored = true, .timestamps = false});
    auto& User = sequelize.define(
        "user",
        {{"id", INTEGER.primaryKey().autoIncrement()},
         {"username", STRING.unique().allowNull(false)},
         {"name", STRING.allowNull(false)},
         {"admin", BOOLEAN.defaultValue(false)},
         {"disabled", BOOLEAN.defaultValue(false)}},
        {.underscored = true,
         .timestamps = false,
         .defaultScope = {.where = {{"disabled", false}}},
         .scopes = {{"admin", {.where = {{"admin", true}}}},
                    {"disabled", {.where = {{"disabled", true}}}},
                    {"name", {.method = [](const std::vector<Value>& v) -> Scope {
                       return {.where = {{"name", Op::iLike(v.at(0).as<std::string>())}}};
                     }}}}});
    // async number_of_notes() { return (await this.getNotes()).length }
    auto number_of_notes = [](Instance& user) {
      return static_cast<std::int64_t>(user.association("notes").get().size());
    };
    // static async with_notes(limit)
    auto with_notes = [&](int limit) {
      return User.findAll({.attributes = include({{fn("COUNT", col("notes.id")), "note_count"}}),
                           .include = {{.model = Note, .attributes = none}},
                           .group = {"user.id"},
                           .having = literal(fmt::format("COUNT(notes.id) > {}", limit))});
    };
    auto& Team = sequelize.define(
        "team", {{"id", INTEGER.primaryKey().autoIncrement()}, {"name", TEXT.unique()}},
        {.underscored = true, .timestamps = false});
    auto& Membership =
        sequelize.define("membership",
                         {{"id", INTEGER.primaryKey().autoIncrement()},
                          {"userId", INTEGER.allowNull(false).references("users", "id")},
                          {"teamId", INTEGER.allowNull(false).references("teams", "id")}},
                         {.underscored = true, .timestamps = false});
    auto& UserNotes =
        sequelize.define("user_notes",
                         {{"id", INTEGER.primaryKey().autoIncrement()},
                          {"userId", INTEGER.allowNull(false).references("users", "id")},
                          {"noteId", INTEGER.allowNull(false).references("notes", "id")}},
                         {.underscored = true, .timestamps = false});

    Note.belongsTo(User);
    User.hasMany(Note);
    User.belongsToMany(Team, {.through = Membership});
    Team.belongsToMany(User, {.through = Membership});
    User.belongsToMany(Note, {.through = UserNotes, .as = "marked_notes"});
    Note.belongsToMany(User, {.through = UserNotes, .as = "users_marked"});

    step("sync", [&] { sequelize.sync({.force = true}); });
    step("users", [&] {
      User.create({{"username", "mluukkai"}, {"name", "Matti Luukkainen"}});
      User.create({{"username", "lynx"}, {"name", "Kalle Ilves"}});
      return User.create({{"username", "jakousa"}, {"name", "Jami Kousa"}});
    });
    step("jami disabled, matti admin", [&] {
      auto a = User.unscoped().update({{"disabled", true}}, {.where = {{"username", "jakousa"}}});
      auto b = User.update({{"admin", true}}, {.where = {{"username", "mluukkai"}}});
      return Json::array({a, b});
    });
    step("notes", [&] {
      Note.create({{"content", "HTML is easy"}, {"important", true}, {"userId", 1}});
      Note.create({{"content", "Browser can execute only JavaScript"},
                   {"important", false},
                   {"userId", 1}});
      Note.create({{"content", "GET and POST"}, {"important", true}, {"userId", 2}});
      return Note.create(
          {{"content", "a note of a disabled user"}, {"important", false}, {"userId", 3}});
    });
    step("teams and memberships", [&] {
      Team.bulkCreate({{{"name", "toska"}}, {{"name", "mosa climbers"}}});
      return Membership.bulkCreate({{{"userId", 1}, {"teamId", 1}},
                                    {{"userId", 1}, {"teamId", 2}},
                                    {{"userId", 2}, {"teamId", 1}},
                                    {{"userId", 3}, {"teamId", 2}}});
    });
    step("marked notes", [&] {
      return UserNotes.bulkCreate({{{"userId", 2}, {"noteId", 1}}, {{"userId", 2}, {"noteId", 2}}});
    });

    step("GET /api/notes", [&] {
      return Note.findAll({.attributes = exclude({"userId"}),
                           .include = {{.model = User, .attributes = {"name"}}},
                           .order = {{"id", ASC}}});
    });
    step("GET /api/notes?search", [&] {
      return Note.findAll(
          {.where = {{"important", true}, {"content", Op::substring("easy")}}, .order = {{"id", ASC}}});
    });
    step("GET /api/users", [&] {
      return User.findAll(
          {.include = {{.model = Note, .attributes = exclude({"userId"})},
                       {.model = Team, .attributes = {"name", "id"}, .through = {.attributes = none}}},
           .order = {{"id", ASC}, {"notes.id", ASC}, {"teams.id", ASC}}});
    });
    step("GET /api/users/:id", [&] {
      return User.findByPk(2, {.attributes = exclude({""}),
                               .include = {{.model = Note, .attributes = exclude({"userId"})},
                                           {.model = Note,
                                            .as = "marked_notes",
                                            .attributes = exclude({"userId"}),
                                            .through = {.attributes = none},
                                            .include = {{.model = User, .attributes = {"name"}}}}},
                               .order = {{"marked_notes.id", ASC}}});
    });
    step("GET /api/users/:id?teams", [&] {
      auto user = User.findByPk(1);
      return user->association("teams").get(
          {.attributes = {"name"}, .order = {{"id", ASC}}, .joinTableAttributes = none});
    });
    step("a disabled user is not found", [&] { return User.findByPk(3); });
    step("the default scope filters an include", [&] {
      return Note.findAll({.include = {{.model = User}}, .order = {{"id", ASC}}});
    });
    step("required: false keeps the note", [&] {
      return Note.findAll({.include = {{.model = User, .required = false}}, .order = {{"id", ASC}}});
    });
    step("unscoped include", [&] {
      return Note.findAll({.include = {{.model = User.unscoped()}}, .order = {{"id", ASC}}});
    });
    step("scope('admin')", [&] { return User.scope("admin").findAll(); });
    step("scope('disabled')", [&] { return User.scope("disabled").findAll(); });
    step("scope({ method: ['name', '%jami%'] })",
         [&] { return User.scope(method("name", "%jami%")).findAll(); });
    step("scope('admin', { method: ['name', '%matti%'] })",
         [&] { return User.scope("admin", method("name", "%matti%")).findAll(); });
    step("number_of_notes", [&] {
      auto user = User.findOne({.where = {{"username", "mluukkai"}}});
      return number_of_notes(*user);
    });
    step("with_notes(1)", [&] { return with_notes(1); });
    step("marked notes of a note", [&] {
      return Note.findAll({.attributes = {"id"},
                           .include = {{.model = User,
                                        .as = "users_marked",
                                        .attributes = {"username"},
                                        .through = {.attributes = none}}},
                           .order = {{"id", ASC}}});
    });
    step("username is required", [&] { return User.create({{"name", "No Username"}}); });
    step("username is unique",
         [&] { return User.create({{"username", "lynx"}, {"name", "Another Lynx"}}); });
    step("a membership needs a user", [&] { return Membership.create({{"teamId", 1}}); });
    step("destroy a note", [&] { return Note.destroy({.where = {{"id", 4}}}); });
  });
}

// A five-minute tour of junction, in the words of the Full Stack Open
// part 13 course: users and notes, created, queried and updated.
//
//   build/bin/example_blog [URL]      (default: sqlite::memory:)
//
// Runs unchanged on PostgreSQL: example_blog postgres://user@host/db
#include <cstdio>

#include "junction/junction.hpp"

using namespace junction;
using namespace junction::DataTypes;

int main(int argc, char** argv) {
  try {
    Database db{argc > 1 ? argv[1] : env_or("DATABASE_URL", "sqlite::memory:")};

    auto& User = db.define("user",
                           {
                               {"id", INTEGER.primaryKey().autoIncrement()},
                               {"username", STRING.unique().allowNull(false).validate(isEmail())},
                               {"name", STRING.allowNull(false)},
                               {"admin", BOOLEAN.defaultValue(false)},
                               {"disabled", BOOLEAN.defaultValue(false)},
                           },
                           {.underscored = true, .timestamps = false});

    auto& Note = db.define("note",
                           {
                               {"id", INTEGER.primaryKey().autoIncrement()},
                               {"content", TEXT.allowNull(false)},
                               {"important", BOOLEAN},
                               {"date", DATE.defaultValue(NOW)},
                               {"userId", INTEGER.allowNull(false).references("users", "id")},
                           },
                           {.underscored = true, .timestamps = false});

    db.sync({.force = true});  // a prototype; real applications use migrations

    auto matti = User.create({{"username", "mluukkai@iki.fi"}, {"name", "Matti Luukkainen"}});
    db.transaction([&](Transaction& t) {
      Note.bulkCreate({{{"content", "HTML is easy"}, {"important", true}, {"userId", matti["id"]}},
                       {{"content", "Browser can execute only JavaScript"}, {"important", false},
                        {"userId", matti["id"]}}},
                      {.transaction = &t});
    });

    auto important = Note.findAll({.attributes = exclude({"userId"}),
                                   .where = {{"important", true}},
                                   .order = {{"date", DESC}}});
    std::printf("important notes: %s\n", important.at(0).toJSON().dump().c_str());

    auto user = User.findOne({.where = {{"username", "mluukkai@iki.fi"}}});
    user->set("admin", true);
    user->save();
    std::printf("user: %s\n", user->toJSON().dump().c_str());
    std::printf("notes by Matti: %lld\n",
                static_cast<long long>(Note.count({.where = {{"userId", user->get("id")}}})));

    try {
      User.create({{"username", "not an email"}, {"name", "x"}});
    } catch (const ValidationError& e) {
      std::printf("rejected: %s\n", e.errors().at(0).message.c_str());
    }
    return 0;
  } catch (const Error& e) {
    std::fprintf(stderr, "example_blog: %s: %s\n", e.name(), e.what());
    return 1;
  }
}

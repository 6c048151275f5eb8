#include "models/models.hpp"

#include <ctime>
#include <stdexcept>
#include <string>

#include "junction/junction.hpp"

namespace bloglist {

using namespace junction;
using namespace junction::DataTypes;

int currentYear() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return tm.tm_year + 1900;
}

namespace {

// Exercise 13.18: 1991 <= year <= the current year. Evaluated at validation
// time, so a server running across New Year accepts the new year.
Validator yearWritten() {
  return custom("yearWritten", [](const Value& v) {
    if (v.isNull()) return;
    auto year = v.as<std::int64_t>();
    int now = currentYear();
    if (year < 1991 || year > now)
      throw std::invalid_argument("year must be between 1991 and " + std::to_string(now) +
                                  ", got " + std::to_string(year));
  });
}

}  // namespace

Models defineModels(Database& db) {
  auto& User = db.define("user",
                         {
                             {"id", INTEGER.primaryKey().autoIncrement()},
                             {"username", STRING.unique().allowNull(false).validate(isEmail())},
                             {"name", STRING.allowNull(false).validate(notEmpty())},
                             {"passwordHash", STRING.allowNull(false)},
                             {"admin", BOOLEAN.allowNull(false).defaultValue(false)},
                             {"disabled", BOOLEAN.allowNull(false).defaultValue(false)},
                         },
                         // The hash never leaves the model unless asked for
                         // (login uses unscoped()).
                         {.underscored = true,
                          .defaultScope = {.attributes = exclude({"passwordHash"})}});

  auto& Blog = db.define("blog",
                         {
                             {"id", INTEGER.primaryKey().autoIncrement()},
                             {"author", TEXT},
                             {"url", TEXT.allowNull(false).validate(notEmpty())},
                             {"title", TEXT.allowNull(false).validate(notEmpty())},
                             {"likes", INTEGER.allowNull(false).defaultValue(0).validate(min(0))},
                             {"year", INTEGER.validate(yearWritten())},
                         },
                         {.underscored = true});

  auto& Readinglist = db.define("readinglist",
                                {
                                    {"id", INTEGER.primaryKey().autoIncrement()},
                                    {"read", BOOLEAN.allowNull(false).defaultValue(false)},
                                    {"userId", INTEGER.allowNull(false).references("users", "id")},
                                    {"blogId", INTEGER.allowNull(false).references("blogs", "id")},
                                },
                                {.underscored = true, .timestamps = false});

  auto& Session = db.define("session",
                            {
                                {"id", INTEGER.primaryKey().autoIncrement()},
                                {"sid", STRING.allowNull(false).unique()},
                            },
                            {.underscored = true});

  User.hasMany(Blog);
  Blog.belongsTo(User);

  User.belongsToMany(Blog, {.through = Readinglist, .as = "readings"});
  Blog.belongsToMany(User, {.through = Readinglist, .as = "usersMarked"});
  Readinglist.belongsTo(User);
  Readinglist.belongsTo(Blog);

  User.hasMany(Session);
  Session.belongsTo(User);

  return {User, Blog, Readinglist, Session};
}

}  // namespace bloglist

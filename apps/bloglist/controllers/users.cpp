// /api/users — the course's controllers/users.js, with exercises 13.8
// (change username), 13.20–13.23 (reading lists) and 13.24 (disabling).
#include "auth/passwords.hpp"
#include "controllers/controllers.hpp"
#include "junction/junction.hpp"
#include "middleware/auth.hpp"

namespace bloglist {

using namespace junction;
using http::HttpError;
using http::Request;
using http::Response;

Json publicUser(const Instance& user) {
  Json j = user.toJSON();
  j.erase("passwordHash");
  return j;
}

namespace {

constexpr std::size_t kMinPasswordLength = 3;

// Characters, not bytes, as the course's `password.length < 3` counts them
// (the body parser has already rejected invalid UTF-8).
std::size_t codePoints(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// ?read=true|false (exercise 13.23); absent: the whole list.
std::optional<bool> readFilter(const Request& r) {
  auto read = r.query("read");
  if (!read) return std::nullopt;
  if (*read == "true") return true;
  if (*read == "false") return false;
  throw HttpError(400, "read must be true or false, got '" + *read + "'");
}

// Exercise 13.21's shape: {name, username, readings: [{id, url, title,
// author, likes, year, readinglists: [{read, id}]}]}. As the course says,
// `readinglists` always holds exactly one object, the junction row that puts
// the blog on this user's list; so it is read as the belongsToMany's through
// attributes, in the statement that reads the blogs, and written here as
// that one-element list.
const std::vector<std::string> kUserFields{"name", "username"};
const std::vector<std::string> kReadingFields{"id", "url", "title", "author", "likes", "year"};
const std::vector<std::string> kListFields{"read", "id"};

// An attribute to write, resolved once when the routes are mounted: its
// index in the model and its JSON key (`"name":`).
struct Field {
  std::string name;
  std::size_t index;
  std::string key;
};
std::vector<Field> fieldsOf(const Model& m, const std::vector<std::string>& names) {
  std::vector<Field> out;
  for (const auto& n : names) {
    std::size_t i = m.requireIndex(n);
    out.push_back({n, i, m.attributeJSONKey(i)});
  }
  return out;
}
struct ReadingsWriter {
  std::vector<Field> user, reading, list;
};

// `{"a":1,"b":"x"` for `fields`, each value `valueOf(field)`, in that
// order (no closing brace).
template <class ValueOf>
void writeFields(std::string& out, const std::vector<Field>& fields, ValueOf valueOf) {
  char sep = '{';
  for (const auto& f : fields) {
    out += sep;
    sep = ',';
    out += f.key;
    writeJSON(out, valueOf(f));
  }
}

std::string readingsJSON(Instance& user, const ReadingsWriter& w) {
  std::string out;
  writeFields(out, w.user, [&](const Field& f) -> const Value& { return user.at(f.index); });
  out += ",\"readings\":[";
  bool first = true;
  for (const Instance& blog : user.related("readings")) {
    if (!first) out += ',';
    first = false;
    writeFields(out, w.reading, [&](const Field& f) -> const Value& { return blog.at(f.index); });
    // blog.readinglist.read and .id, as the one-element list.
    out += ",\"readinglists\":[";
    writeFields(out, w.list, [&](const Field& f) -> const Value& { return blog.through(f.name); });
    out += "}]}";
  }
  out += "]}";
  return out;
}

}  // namespace

void mountUsers(http::App& app, const Services& s) {
  const Model& User = s.models.user;
  const Model& Blog = s.models.blog;

  app.route("POST", "/api/users", {}, [&User](Request& r) {
    const auto& body = r.body();
    auto username = http::requireString(body, "username");
    auto name = http::requireString(body, "name");
    auto password = http::requireString(body, "password");
    if (codePoints(password) < kMinPasswordLength)
      throw HttpError(400, "password must be at least 3 characters long");
    // Validate before paying for the hash.
    auto user = User.build({{"username", username}, {"name", name}, {"passwordHash", "-"}});
    user.validate();
    user.set("passwordHash", hashPassword(password));
    user.save();
    return Response::json(publicUser(user), 201);
  });

  app.route("GET", "/api/users", {}, [&User, &Blog](Request&) {
    auto users = User.findAll({.include = {{.model = Blog, .attributes = exclude({"userId"})}},
                               .order = {{"id", ASC}}});
    return Response::json(users);
  });

  // One statement: one round trip and one snapshot, so a reading list
  // changed meanwhile cannot show half-applied.
  ReadingsWriter writer{fieldsOf(User, kUserFields), fieldsOf(Blog, kReadingFields),
                        fieldsOf(s.models.readinglist, kListFields)};
  app.route("GET", "/api/users/([^/]+)", {}, [&User, &Blog, writer](Request& r) {
    auto id = r.idCapture(1);
    auto read = readFilter(r);
    Where through;
    if (read) through = Where{{"read", *read}};
    auto user =
        User.findByPk(id, {.attributes = kUserFields,
                           .include = {{.model = Blog,
                                        .as = "readings",
                                        .attributes = kReadingFields,
                                        .through = {.attributes = kListFields, .where = through},
                                        .strategy = LoadStrategy::Join}}});
    if (!user) throw HttpError(404, "user not found");
    return Response{200, readingsJSON(*user, writer)};
  });

  app.route("PUT", "/api/users/([^/]+)", requireLogin(s), [&s, &User](Request& r) {
    const auto& body = r.body();
    auto newUsername = http::optionalString(body, "username");
    auto disabled = http::optionalBool(body, "disabled");
    if (!newUsername && !disabled)
      throw HttpError(400, "nothing to change: give username or disabled");

    auto user = User.findOne({.where = {{"username", r.capture(1)}}});
    if (!user) throw HttpError(404, "user not found");
    bool self = user->get<std::int64_t>("id") == r.user->get<std::int64_t>("id");
    if (disabled) requireAdmin(r);
    if (!self && !r.user->get<bool>("admin"))
      throw HttpError(403, "you may only change your own account");

    Record changes;
    if (newUsername) changes.emplace_back("username", *newUsername);
    if (disabled) changes.emplace_back("disabled", *disabled);
    // Disabling ends every session of the user at once (exercise 13.24).
    s.db.transaction([&](Transaction& t) {
      user->update(changes, {.transaction = &t});
      if (disabled && *disabled)
        s.models.session.destroy({.where = {{"userId", user->get("id")}}, .transaction = &t});
    });
    return Response::json(publicUser(*user));
  });
}

}  // namespace bloglist

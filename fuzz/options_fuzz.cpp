// Query options built from untrusted names and values (what a route does
// with a query string): where keys and values with every operator, order,
// attributes, include aliases, group — run against an in-memory SQLite
// database with a blog list's models. A UsageError or ValidationError is
// the right answer to a bad name or value; a DatabaseError (bad input that
// reached SQL), any other exception, a crash, UB or a leak is a finding.
//
// Input: fields separated by '\n'; the first byte of each picks what it is.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "junction/junction.hpp"

using namespace junction;
using namespace junction::DataTypes;

namespace {

struct World {
  std::unique_ptr<Database> db;
  Model* User;
  Model* Blog;
  World() {
    db = std::make_unique<Database>("sqlite::memory:", DatabaseOptions{.pool = {.max = 1}});
    User = &db->define("user", {{"username", STRING.unique()}, {"name", STRING}},
                       {.underscored = true});
    Blog = &db->define("blog",
                       {{"author", TEXT}, {"title", TEXT.allowNull(false)}, {"likes", INTEGER},
                        {"year", INTEGER}, {"published", DATE}},
                       {.underscored = true});
    Blog->belongsTo(*User);
    User->hasMany(*Blog);
    db->sync({.force = true});
    auto u = User->create({{"username", "a"}, {"name", "A"}});
    Blog->create({{"title", "t"}, {"author", "x"}, {"likes", 3}, {"userId", u.get("id")}});
  }
};

World& world() {
  static World w;
  return w;
}

Value valueOf(std::string_view s) {
  if (s.empty()) return Value();
  switch (s[0] % 4) {
    case 0: return Value(std::string(s.substr(1)));
    case 1: return Value(static_cast<std::int64_t>(std::hash<std::string_view>{}(s)));
    case 2: return Value(s.size() % 2 == 0);
    default: return Value(static_cast<double>(s.size()) / 3.0);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& w = world();
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> fields;
  for (std::size_t start = 0; start <= in.size();) {
    auto nl = in.find('\n', start);
    if (nl == std::string_view::npos) nl = in.size();
    fields.push_back(in.substr(start, nl - start));
    start = nl + 1;
  }
  try {
    FindOptions o;
    std::vector<std::pair<std::string, Condition>> where;
    std::vector<std::string> attributes;
    for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
      std::string_view f = fields[i];
      if (f.empty()) continue;
      const std::string name(f.substr(1));
      const Value v = valueOf(fields[i + 1]);
      switch (static_cast<unsigned char>(f[0]) % 10) {
        case 0: where.emplace_back(name, Condition(v)); break;
        case 1: where.emplace_back(name, Op::ne(v)); break;
        case 2: where.emplace_back(name, Op::gt(v)); break;
        case 3: where.emplace_back(name, Op::like(v.isNull() ? "" : v.toString())); break;
        case 4: where.emplace_back(name, Op::substring(v.toString())); break;
        case 5: where.emplace_back(name, std::vector<Value>{v, Value(name)}); break;
        case 6: o.order.push_back({name, (f.size() % 2) ? ASC : DESC}); break;
        case 7: attributes.push_back(name); break;
        case 8: o.include.push_back({.as = name}); break;
        default: o.group.push_back(name); break;
      }
    }
    o.limit = 5;
    o.where = Where(std::move(where));
    if (!attributes.empty()) o.attributes = Attributes(std::move(attributes));
    (void)w.Blog->findAll(o);
  } catch (const UsageError&) {
  } catch (const ValidationError&) {
  } catch (const AssociationError&) {
  } catch (const DatabaseError&) {
    __builtin_trap();  // bad input reached SQL
  }
  return 0;
}

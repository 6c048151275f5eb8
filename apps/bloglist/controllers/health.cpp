// GET / and GET /health; POST /api/testing/reset in test mode; mountApi.
#include "controllers/controllers.hpp"
#include "junction/junction.hpp"

namespace bloglist {

using namespace junction;
using http::Request;
using http::Response;

void mountHealth(http::App& app, const Services& s) {
  // /health also proves the database answers (503 through the error
  // mapping when it does not).
  auto health = [&s](Request&) {
    s.db.query("SELECT 1");
    return Response::json(Json{{"status", "ok"}});
  };
  app.route("GET", "/", {}, health);
  app.route("GET", "/health", {}, health);
}

void mountTesting(http::App& app, const Services& s) {
  app.route("POST", "/api/testing/reset", {}, [&s](Request&) {
    s.db.transaction([&](Transaction& t) {
      // Children before parents, so no foreign key is ever violated.
      for (const Model* m : {&s.models.session, &s.models.readinglist, &s.models.blog,
                             &s.models.user})
        m->unscoped().destroy({.truncate = true, .transaction = &t});
    });
    return Response::noContent();
  });
}

void mountApi(http::App& app, const Services& s) {
  mountHealth(app, s);
  mountBlogs(app, s);
  mountUsers(app, s);
  mountAuthors(app, s);
  mountLogin(app, s);
  mountReadinglists(app, s);
  if (s.testMode) mountTesting(app, s);
}

}  // namespace bloglist

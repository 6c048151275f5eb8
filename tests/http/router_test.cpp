// bloglist's router, request and error mapping on their own: no server, no
// socket, no database (apps/bloglist/http/internal.hpp).
#include <gtest/gtest.h>

#include <map>

#include "http/internal.hpp"
#include "junction/errors.hpp"

namespace bloglist::http {
namespace {

// A request as the transport hands it over, with these headers.
struct Fixture {
  std::map<std::string, std::string, std::less<>> headers;
  Request::Impl make(std::string method, std::string_view target, std::string_view body = {}) {
    Request::Impl req;
    req.method = std::move(method);
    parseTarget(target, req);
    req.body = body;
    req.message = &headers;
    req.header = [](const void* m, std::string_view name) -> std::string_view {
      const auto& h = *static_cast<const std::map<std::string, std::string, std::less<>>*>(m);
      auto it = h.find(name);
      return it == h.end() ? std::string_view() : std::string_view(it->second);
    };
    return req;
  }
};

Json bodyOf(const Response& r) {
  return Json::parse(r.body);
}

// Paths are matched with RE2: a path of megabytes (far beyond what the
// transport accepts, so the router is safe on its own) is linear work, where
// std::regex recursed per character. An optional group that did not take
// part captures "", and a route with a bad pattern is refused when added.
TEST(HttpRouter, LongPathsAndCaptures) {
  Router router;
  router.add("GET", "/api/users/([^/]+)(/x)?", {}, [](Request& r) {
    return Response::json(Json{{"id", r.capture(1)}, {"x", r.capture(2)}});
  });
  Fixture f;
  auto huge = f.make("GET", "/api/users/" + std::string(4u << 20, '9'));
  Response r = router.dispatch(huge);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(bodyOf(r)["id"].get<std::string>().size(), 4u << 20);
  EXPECT_EQ(bodyOf(r)["x"], "");
  auto deep = f.make("GET", "/api/users/" + std::string(2u << 20, '/'));
  EXPECT_EQ(router.dispatch(deep).status, 404);
  auto x = f.make("GET", "/api/users/7/x");
  EXPECT_EQ(bodyOf(router.dispatch(x)), Json({{"id", "7"}, {"x", "/x"}}));
  EXPECT_THROW(router.add("GET", "/api/(unclosed", {}, [](Request&) { return Response::noContent(); }),
               std::invalid_argument);
}

TEST(HttpRouter, MatchesMethodAndWholePathInOrder) {
  Router router;
  std::vector<std::string> seen;
  router.add("GET", "/api/blogs/([0-9]+)", {[&](Request&) { seen.push_back("middleware"); }},
             [&](Request& r) {
               seen.push_back("blog " + std::to_string(r.idCapture(1)));
               return Response::json(Json{{"id", r.idCapture(1)}});
             });
  router.add("GET", "/api/blogs/.*", {}, [](Request&) { return Response::noContent(); });
  Fixture f;
  auto req = f.make("GET", "/api/blogs/7");
  Response r = router.dispatch(req);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(bodyOf(r), Json({{"id", 7}}));
  EXPECT_EQ(seen, (std::vector<std::string>{"middleware", "blog 7"}));
  auto other = f.make("GET", "/api/blogs/x");
  EXPECT_EQ(router.dispatch(other).status, 204) << "the second route, the first did not match";
  auto head = f.make("HEAD", "/api/blogs/7");
  EXPECT_EQ(router.dispatch(head).status, 200) << "HEAD is matched as GET";
  auto post = f.make("POST", "/api/blogs/7");
  Response missing = router.dispatch(post);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(bodyOf(missing), Json({{"error", "unknown endpoint"}}));
  auto partial = f.make("GET", "/api/blogs/7/extra/..");
  EXPECT_EQ(router.dispatch(partial).status, 204) << "patterns match the whole path";
  EXPECT_THROW(router.add("PATCH", "/x", {}, [](Request&) { return Response::noContent(); }),
               std::invalid_argument);
}

TEST(HttpRouter, RequestsDecodeTheirTargetAndReadHeadersAndBody) {
  Router router;
  router.add("POST", "/api/search/(.*)", {}, [](Request& r) {
    return Response::json(Json{{"path", r.path()},
                               {"capture", r.capture(1)},
                               {"q", r.query("q").value_or("-")},
                               {"none", r.query("none").has_value()},
                               {"auth", r.header("Authorization")},
                               {"likes", requireInteger(r.body(), "likes")}});
  });
  Fixture f;
  f.headers["Authorization"] = "Bearer t";
  auto req = f.make("POST", "/api/search/a%20b?q=react+hooks%21&x", R"({"likes": 3})");
  Response r = router.dispatch(req);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(bodyOf(r), Json({{"path", "/api/search/a b"},
                             {"capture", "a b"},
                             {"q", "react hooks!"},
                             {"none", false},
                             {"auth", "Bearer t"},
                             {"likes", 3}}));
  auto bad = f.make("POST", "/api/search/x", "[1]");
  EXPECT_EQ(bodyOf(router.dispatch(bad)), Json({{"error", "request body must be a JSON object"}}));
  auto typed = f.make("POST", "/api/search/x", R"({"likes": "many"})");
  Response t = router.dispatch(typed);
  EXPECT_EQ(t.status, 400);
  EXPECT_EQ(bodyOf(t), Json({{"error", "likes must be an integer"}}));
}

TEST(HttpErrorMapping, EachErrorItsStatus) {
  auto statusOf = [](auto&& error) {
    return mapException("GET /x", std::make_exception_ptr(error)).status;
  };
  EXPECT_EQ(statusOf(HttpError(401, "token missing")), 401);
  EXPECT_EQ(statusOf(junction::ValidationError("bad", {})), 400);
  EXPECT_EQ(statusOf(junction::UniqueConstraintError("dup", {"username"}, "23505", "", "", "")),
            400);
  EXPECT_EQ(statusOf(junction::EmptyResultError("none")), 404);
  EXPECT_EQ(statusOf(junction::ConversionError("not a number")), 400);
  EXPECT_EQ(statusOf(junction::ConnectionError("down")), 503);
  setLogLevel(LogLevel::Error);
  EXPECT_EQ(statusOf(std::runtime_error("secret detail")), 500);
  Response r = mapException("GET /x", std::make_exception_ptr(std::runtime_error("secret")));
  EXPECT_EQ(bodyOf(r), Json({{"error", "internal server error"}})) << "no internals leak";
  Response u =
      mapException("POST /api/users", std::make_exception_ptr(junction::UniqueConstraintError(
                                          "dup", {"username"}, "23505", "", "", "")));
  EXPECT_EQ(bodyOf(u), Json({{"error", "username must be unique"}}));
}

}  // namespace
}  // namespace bloglist::http

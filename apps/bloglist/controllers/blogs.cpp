// /api/blogs — the course's controllers/blogs.js.
#include "controllers/controllers.hpp"
#include "junction/junction.hpp"
#include "middleware/auth.hpp"

namespace bloglist {

using namespace junction;
using http::HttpError;
using http::Request;
using http::Response;

namespace {

Include ownerInclude(const Services& s) {
  return {.model = s.models.user, .attributes = {"id", "username", "name"}};
}

std::optional<Instance> findBlog(const Services& s, std::int64_t id) {
  return s.models.blog.findByPk(
      id, {.attributes = exclude({"userId"}), .include = {ownerInclude(s)}});
}

}  // namespace

void mountBlogs(http::App& app, const Services& s) {
  app.route("GET", "/api/blogs", {}, [&s](Request& r) {
    Where where;
    if (auto search = r.query("search"); search && !search->empty()) {
      // The course writes iLike(`%${search}%`); iSubstring also keeps % and
      // _ in the search text literal.
      where = or_({col("title").iSubstring(*search), col("author").iSubstring(*search)});
    }
    auto blogs = s.models.blog.findAll({.attributes = exclude({"userId"}),
                                        .include = {ownerInclude(s)},
                                        .where = where,
                                        .order = {{"likes", DESC}, {"id", ASC}}});
    return Response::json(blogs);
  });

  app.route("POST", "/api/blogs", requireLogin(s), [&s](Request& r) {
    const auto& body = r.body();
    Record values{{"title", http::requireString(body, "title")},
                  {"url", http::requireString(body, "url")},
                  {"userId", r.user->get("id")}};
    if (auto author = http::optionalString(body, "author")) values.emplace_back("author", *author);
    if (auto likes = http::optionalInteger(body, "likes")) values.emplace_back("likes", *likes);
    if (auto year = http::optionalInteger(body, "year")) values.emplace_back("year", *year);
    auto blog = s.models.blog.create(values);
    Json out = blog.toJSON();
    out.erase("userId");
    out["user"] = Json{{"id", r.user->get<std::int64_t>("id")},
                       {"username", r.user->get<std::string>("username")},
                       {"name", r.user->get<std::string>("name")}};
    return Response::json(std::move(out), 201);
  });

  // No login, as in the course: the part 5 frontend likes a blog by sending
  // the whole blog back; only `likes` is taken from it.
  app.route("PUT", "/api/blogs/([^/]+)", {}, [&s](Request& r) {
    auto id = r.idCapture(1);
    auto likes = http::requireInteger(r.body(), "likes");
    auto blog = findBlog(s, id);
    if (!blog) throw HttpError(404, "blog not found");
    blog->update({{"likes", likes}});
    return Response::json(*blog);
  });

  app.route("DELETE", "/api/blogs/([^/]+)", requireLogin(s), [&s](Request& r) {
    auto id = r.idCapture(1);
    auto blog = s.models.blog.findByPk(id);
    if (!blog) throw HttpError(404, "blog not found");
    if (blog->get<std::int64_t>("userId") != r.user->get<std::int64_t>("id"))
      throw HttpError(403, "only the blog's creator can delete it");
    blog->destroy();
    return Response::noContent();
  });
}

}  // namespace bloglist

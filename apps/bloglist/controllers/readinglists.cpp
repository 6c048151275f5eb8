// /api/readinglists — exercises 13.20 (add) and 13.22 (mark as read).
#include "controllers/controllers.hpp"
#include "junction/junction.hpp"
#include "middleware/auth.hpp"

namespace bloglist {

using namespace junction;
using http::HttpError;
using http::Request;
using http::Response;

void mountReadinglists(http::App& app, const Services& s) {
  app.route("POST", "/api/readinglists", optionalLogin(s), [&s](Request& r) {
    const auto& body = r.body();
    auto blogId = http::requireId(body, "blogId");
    auto userId = http::requireId(body, "userId");
    if (r.user && r.user->get<std::int64_t>("id") != userId)
      throw HttpError(403, "you may only add to your own reading list");
    if (s.models.user.count({.where = {{"id", userId}}}) == 0)
      throw HttpError(404, "user not found");
    if (s.models.blog.count({.where = {{"id", blogId}}}) == 0)
      throw HttpError(404, "blog not found");
    try {
      auto entry = s.models.readinglist.create({{"userId", userId}, {"blogId", blogId}});
      return Response::json(entry, 201);
    } catch (const UniqueConstraintError&) {
      throw HttpError(400, "blog " + std::to_string(blogId) +
                               " is already in the reading list of user " +
                               std::to_string(userId));
    }
  });

  app.route("PUT", "/api/readinglists/([^/]+)", requireLogin(s), [&s](Request& r) {
    auto id = r.idCapture(1);
    bool read = http::requireBool(r.body(), "read");
    auto entry = s.models.readinglist.findByPk(id);
    if (!entry) throw HttpError(404, "reading list entry not found");
    if (entry->get<std::int64_t>("userId") != r.user->get<std::int64_t>("id"))
      throw HttpError(403, "only the owner of the reading list can change it");
    entry->update({{"read", read}});
    return Response::json(*entry);
  });
}

}  // namespace bloglist

// /api/authors — exercise 13.16: one grouped query.
#include "controllers/controllers.hpp"
#include "junction/junction.hpp"

namespace bloglist {

using namespace junction;
using http::Request;
using http::Response;

void mountAuthors(http::App& app, const Services& s) {
  app.route("GET", "/api/authors", {}, [&s](Request&) {
    auto rows = s.models.blog.findAll(
        {.attributes = {"author",
                        {fn("COUNT", col("id")), "articles"},
                        {fn("SUM", col("likes")), "likes"}},
         .group = {"author"},
         .order = {{fn("SUM", col("likes")), DESC}, {"author", ASC}}});
    return Response::json(rows);
  });
}

}  // namespace bloglist

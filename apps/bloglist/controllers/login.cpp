// /api/login and /api/logout — the course's controllers/login.js plus
// exercise 13.24's server-side sessions.
#include "auth/passwords.hpp"
#include "controllers/controllers.hpp"
#include "junction/junction.hpp"
#include "middleware/auth.hpp"

namespace bloglist {

using namespace junction;
using http::HttpError;
using http::Request;
using http::Response;

void mountLogin(http::App& app, const Services& s) {
  app.route("POST", "/api/login", {}, [&s](Request& r) {
    const auto& body = r.body();
    auto username = http::requireString(body, "username");
    auto password = http::requireString(body, "password");
    auto user = s.models.user.unscoped().findOne({.where = {{"username", username}}});
    if (!user) {
      burnVerification(password);
      throw HttpError(401, "invalid username or password");
    }
    if (!verifyPassword(user->get<std::string>("passwordHash"), password))
      throw HttpError(401, "invalid username or password");
    if (user->get<bool>("disabled")) throw HttpError(401, "account disabled, please contact admin");

    TokenClaims claims{user->get<std::int64_t>("id"), username, randomHex(16)};
    s.models.session.create({{"sid", claims.sid}, {"userId", claims.userId}});
    return Response::json(Json{{"token", s.signer.sign(claims)},
                               {"username", username},
                               {"name", user->get<std::string>("name")}});
  });

  app.route("DELETE", "/api/logout", requireLogin(s), [&s](Request& r) {
    s.models.session.destroy({.where = {{"sid", r.sid}}});
    return Response::noContent();
  });
}

}  // namespace bloglist

// /api/login and /api/logout — the course's controllers/login.js plus
// exercise 13.24's server-side sessions.
#include <atomic>
#include <chrono>

#include "auth/passwords.hpp"
#include "controllers/controllers.hpp"
#include "junction/junction.hpp"
#include "middleware/auth.hpp"

namespace bloglist {

using namespace junction;
using http::HttpError;
using http::Request;
using http::Response;

namespace {
// Sessions that ended without a logout (idle, or older than maxAge): the
// user's own at each login (an indexed delete), everyone's at most every ten
// minutes, so a table nobody logs out of stays small.
void purgeEndedSessions(const Services& s, std::int64_t userId) {
  static std::atomic<std::int64_t> lastFullPurge{0};
  const auto now = Timestamp::now().millis();
  auto before = [&](std::chrono::seconds age) {
    return Expr(Value(Timestamp::fromMillis(now - std::chrono::milliseconds(age).count())));
  };
  Expr ended = or_({col("createdAt") <= before(s.sessions.maxAge),
                    col("updatedAt") <= before(s.sessions.idle)});
  s.models.session.destroy({.where = col("userId") == Expr(Value(userId)) && ended});
  auto last = lastFullPurge.load();
  if (now - last >= 600'000 && lastFullPurge.compare_exchange_strong(last, now))
    s.models.session.destroy({.where = ended});
}
}  // namespace

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

    purgeEndedSessions(s, user->get<std::int64_t>("id"));
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

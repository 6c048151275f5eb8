#include "middleware/auth.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>

#include "junction/junction.hpp"

namespace bloglist {

using http::HttpError;
using junction::Instance;
using junction::Timestamp;

namespace {

bool startsWithBearer(const std::string& h) {
  static constexpr char kBearer[] = "bearer ";
  if (h.size() < sizeof kBearer - 1) return false;
  for (std::size_t i = 0; i < sizeof kBearer - 1; ++i)
    if (std::tolower(static_cast<unsigned char>(h[i])) != kBearer[i]) return false;
  return true;
}

}  // namespace

http::Middleware tokenExtractor(const Services& s, bool required) {
  return [&s, required](http::Request& r) {
    std::string h = r.header("Authorization");
    if (h.empty()) {
      if (required) throw HttpError(401, "token missing");
      return;
    }
    if (!startsWithBearer(h)) throw HttpError(401, "token invalid: expected 'Bearer <token>'");
    std::size_t start = h.find_first_not_of(' ', 7);
    auto claims = s.signer.verify(start == std::string::npos ? std::string() : h.substr(start));
    if (!claims) throw HttpError(401, "token invalid");
    r.tokenUserId = claims->userId;
    r.sid = claims->sid;
  };
}

http::Middleware sessionCheck(const Services& s) {
  return [&s](http::Request& r) {
    if (r.sid.empty()) return;  // optional login without a token
    auto session = s.models.session.findOne(
        {.include = {{.model = s.models.user}}, .where = {{"sid", r.sid}}});
    if (!session || session->get<std::int64_t>("userId") != r.tokenUserId)
      throw HttpError(401, "session expired");
    // The session's own lifetime: `maxAge` from login, `idle` since its last
    // request. An ended session is deleted, as logout deletes it.
    const auto now = Timestamp::now().millis();
    const auto created = session->get<Timestamp>("createdAt").millis();
    const auto touched = session->get<Timestamp>("updatedAt").millis();
    const auto idle = std::chrono::milliseconds(s.sessions.idle).count();
    if (now - created >= std::chrono::milliseconds(s.sessions.maxAge).count() ||
        now - touched >= idle) {
      s.models.session.destroy({.where = {{"sid", r.sid}}});
      throw HttpError(401, "session expired");
    }
    // A request keeps the session alive; one write per minute at most (or
    // per tenth of the idle time, when that is shorter).
    if (now - touched >= std::min<std::int64_t>(60'000, idle / 10))
      s.models.session.update({{"updatedAt", Timestamp::now()}}, {.where = {{"sid", r.sid}}});
    const Instance* user = session->relatedOne("user");
    if (!user) throw HttpError(401, "session expired");
    if (user->get<bool>("disabled"))
      throw HttpError(401, "account disabled, please contact admin");
    r.user = *user;
  };
}

std::vector<http::Middleware> requireLogin(const Services& s) {
  return {tokenExtractor(s, true), sessionCheck(s)};
}

std::vector<http::Middleware> optionalLogin(const Services& s) {
  return {tokenExtractor(s, false), sessionCheck(s)};
}

void requireAdmin(const http::Request& r) {
  if (!r.user || !r.user->get<bool>("admin")) throw HttpError(403, "admin rights required");
}

}  // namespace bloglist

// Login tokens: HS256 JWTs (libjwt) carrying the user and the server-side
// session id. The signature proves the token was issued here; `exp` and
// `nbf` are honoured when present (every token issued here carries `exp`);
// the session row (checked per request) decides whether it is still valid.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace bloglist {

struct TokenClaims {
  std::int64_t userId = 0;
  std::string username;
  std::string sid;  // sessions.sid
  // Seconds since the epoch. issuedAt 0: now. notBefore: the `nbf` claim.
  std::int64_t issuedAt = 0;
  std::optional<std::int64_t> notBefore;
};

// How long a login lasts: a token expires `maxAge` after it was issued; its
// session row also ends after `idle` without a request, and is purged.
struct SessionPolicy {
  std::chrono::seconds idle{24 * 3600};
  std::chrono::seconds maxAge{7 * 24 * 3600};
};

class TokenSigner {
 public:
  // lifetime: the `exp` of the tokens it signs, after their `iat`.
  explicit TokenSigner(std::string secret, std::chrono::seconds lifetime = SessionPolicy{}.maxAge);
  std::string sign(const TokenClaims& claims) const;
  // nullopt for a bad signature, another algorithm, missing claims, an `exp`
  // that has passed or an `nbf` still to come (either not an integer:
  // refused too).
  std::optional<TokenClaims> verify(const std::string& token) const;

 private:
  std::string secret_;
  std::chrono::seconds lifetime_;
};

}  // namespace bloglist

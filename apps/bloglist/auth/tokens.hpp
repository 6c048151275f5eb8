// Login tokens: HS256 JWTs (libjwt) carrying the user and the server-side
// session id. The signature proves the token was issued here; the session
// row (checked per request) decides whether it is still valid.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace bloglist {

struct TokenClaims {
  std::int64_t userId = 0;
  std::string username;
  std::string sid;  // sessions.sid
};

class TokenSigner {
 public:
  explicit TokenSigner(std::string secret);
  std::string sign(const TokenClaims& claims) const;
  // nullopt for a bad signature, another algorithm, or missing claims.
  std::optional<TokenClaims> verify(const std::string& token) const;

 private:
  std::string secret_;
};

}  // namespace bloglist

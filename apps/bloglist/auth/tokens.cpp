#include "auth/tokens.hpp"

#include <jwt.h>

#include <cerrno>
#include <ctime>
#include <memory>
#include <stdexcept>

namespace bloglist {

namespace {

struct JwtFree {
  void operator()(jwt_t* j) const noexcept { jwt_free(j); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtFree>;

const unsigned char* keyBytes(const std::string& s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

TokenSigner::TokenSigner(std::string secret) : secret_(std::move(secret)) {
  if (secret_.size() < 16) throw std::invalid_argument("SECRET must be at least 16 characters");
}

std::string TokenSigner::sign(const TokenClaims& claims) const {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) throw std::runtime_error("jwt_new failed");
  JwtPtr jwt(raw);
  if (jwt_add_grant(jwt.get(), "username", claims.username.c_str()) != 0 ||
      jwt_add_grant_int(jwt.get(), "id", static_cast<long>(claims.userId)) != 0 ||
      jwt_add_grant(jwt.get(), "sid", claims.sid.c_str()) != 0 ||
      jwt_add_grant_int(jwt.get(), "iat", static_cast<long>(std::time(nullptr))) != 0 ||
      jwt_set_alg(jwt.get(), JWT_ALG_HS256, keyBytes(secret_), static_cast<int>(secret_.size())) != 0)
    throw std::runtime_error("cannot build the login token");
  std::unique_ptr<char, decltype(&free)> text(jwt_encode_str(jwt.get()), &free);
  if (!text) throw std::runtime_error("cannot encode the login token");
  return text.get();
}

std::optional<TokenClaims> TokenSigner::verify(const std::string& token) const {
  jwt_t* raw = nullptr;
  if (jwt_decode(&raw, token.c_str(), keyBytes(secret_), static_cast<int>(secret_.size())) != 0)
    return std::nullopt;
  JwtPtr jwt(raw);
  // Only our algorithm: never "none", never another key type.
  if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256) return std::nullopt;
  TokenClaims c;
  errno = 0;
  c.userId = jwt_get_grant_int(jwt.get(), "id");
  if (errno != 0 || c.userId <= 0) return std::nullopt;
  const char* username = jwt_get_grant(jwt.get(), "username");
  const char* sid = jwt_get_grant(jwt.get(), "sid");
  if (!username || !sid || !*sid) return std::nullopt;
  c.username = username;
  c.sid = sid;
  return c;
}

}  // namespace bloglist

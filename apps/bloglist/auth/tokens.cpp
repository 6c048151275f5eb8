#include "auth/tokens.hpp"

#include <jwt.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
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

TokenSigner::TokenSigner(std::string secret, std::chrono::seconds lifetime)
    : secret_(std::move(secret)), lifetime_(lifetime) {
  if (secret_.size() < 16) throw std::invalid_argument("SECRET must be at least 16 characters");
  if (lifetime_.count() <= 0) throw std::invalid_argument("token lifetime must be positive");
}

std::string TokenSigner::sign(const TokenClaims& claims) const {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) throw std::runtime_error("jwt_new failed");
  JwtPtr jwt(raw);
  const long iat = static_cast<long>(claims.issuedAt ? claims.issuedAt : std::time(nullptr));
  if (jwt_add_grant(jwt.get(), "username", claims.username.c_str()) != 0 ||
      jwt_add_grant_int(jwt.get(), "id", static_cast<long>(claims.userId)) != 0 ||
      jwt_add_grant(jwt.get(), "sid", claims.sid.c_str()) != 0 ||
      jwt_add_grant_int(jwt.get(), "iat", iat) != 0 ||
      jwt_add_grant_int(jwt.get(), "exp", iat + static_cast<long>(lifetime_.count())) != 0 ||
      (claims.notBefore &&
       jwt_add_grant_int(jwt.get(), "nbf", static_cast<long>(*claims.notBefore)) != 0) ||
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
  // Registered time claims, when present (RFC 7519 4.1.4, 4.1.5): a
  // number, and now before exp / not before nbf. A claim that is there but
  // not a number refuses the token.
  const double now = static_cast<double>(std::time(nullptr));
  // nullopt: refuse; an empty optional: absent. A NumericDate may have a
  // fraction (RFC 7519 2), so any JSON number is read.
  auto timeClaim = [&](const char* name) -> std::optional<std::optional<double>> {
    std::unique_ptr<char, decltype(&free)> json(jwt_get_grants_json(jwt.get(), name), &free);
    if (!json) return std::optional<double>();
    char* end = nullptr;
    errno = 0;
    double v = std::strtod(json.get(), &end);
    if (end == json.get() || *end != '\0' || errno != 0 || !std::isfinite(v)) return std::nullopt;
    return std::optional<double>(v);
  };
  auto exp = timeClaim("exp");
  auto nbf = timeClaim("nbf");
  if (!exp || !nbf) return std::nullopt;
  if (*exp && now >= **exp) return std::nullopt;
  if (*nbf && now < **nbf) return std::nullopt;
  TokenClaims c;
  errno = 0;
  c.userId = jwt_get_grant_int(jwt.get(), "id");
  if (errno != 0 || c.userId <= 0) return std::nullopt;
  if (*nbf) c.notBefore = static_cast<std::int64_t>(**nbf);
  const char* username = jwt_get_grant(jwt.get(), "username");
  const char* sid = jwt_get_grant(jwt.get(), "sid");
  if (!username || !sid || !*sid) return std::nullopt;
  c.username = username;
  c.sid = sid;
  return c;
}

}  // namespace bloglist

// The login middleware chain (the course's tokenExtractor plus exercise
// 13.24's session check):
//   tokenExtractor — reads `Authorization: Bearer <token>` (scheme matched
//                    case-insensitively) and verifies the JWT signature;
//   sessionCheck   — the token's session row must exist and its user must
//                    not be disabled; sets Request::user.
// requireLogin() is both, with a missing token an error; optionalLogin()
// accepts requests without a token but checks one that is sent.
#pragma once

#include <vector>

#include "http/app.hpp"
#include "services.hpp"

namespace bloglist {

http::Middleware tokenExtractor(const Services& s, bool required);
http::Middleware sessionCheck(const Services& s);

std::vector<http::Middleware> requireLogin(const Services& s);
std::vector<http::Middleware> optionalLogin(const Services& s);

// 403 unless the logged-in user is an admin.
void requireAdmin(const http::Request& r);

}  // namespace bloglist

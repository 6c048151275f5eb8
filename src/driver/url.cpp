#include "junction/url.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>

#include "junction/errors.hpp"

namespace junction {

namespace {

// Query parameters whose values are secrets and never appear in messages.
bool isSecretParam(std::string_view key) {
  return key == "password" || key == "passfile";
}

// Redacts a URL that may not parse: the password between "user:" and "@" in
// the authority, and secret query parameters. Used for parse error messages,
// so it must never throw and must not depend on a successful parse.
std::string redactRaw(std::string_view url) {
  std::string out(url);
  auto sep = out.find("://");
  if (sep != std::string::npos) {
    std::size_t authStart = sep + 3;
    std::size_t authEnd = out.find_first_of("/?#", authStart);
    if (authEnd == std::string::npos) authEnd = out.size();
    std::size_t at = out.rfind('@', authEnd == 0 ? 0 : authEnd - 1);
    if (at != std::string::npos && at >= authStart) {
      std::size_t colon = out.find(':', authStart);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  auto q = out.find('?');
  if (q == std::string::npos) return out;
  std::string redacted = out.substr(0, q + 1);
  std::string_view rest = std::string_view(out).substr(q + 1);
  bool first = true;
  while (true) {
    auto amp = rest.find('&');
    std::string_view kv = rest.substr(0, amp);
    if (!first) redacted += '&';
    first = false;
    auto eq = kv.find('=');
    if (eq != std::string_view::npos && isSecretParam(kv.substr(0, eq))) {
      redacted.append(kv.substr(0, eq + 1));
      redacted += "***";
    } else {
      redacted.append(kv);
    }
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
  return redacted;
}

[[noreturn]] void fail(std::string_view url, std::string_view what) {
  throw InvalidUrlError(fmt::format("invalid connection URL \"{}\": {}", redactRaw(url), what));
}

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percentDecode(std::string_view url, std::string_view s, std::string_view part) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    int hi = i + 2 < s.size() ? hexDigit(s[i + 1]) : -1;
    int lo = i + 2 < s.size() ? hexDigit(s[i + 2]) : -1;
    if (hi < 0 || lo < 0)
      fail(url, fmt::format("malformed percent-escape \"{}\" in the {}", s.substr(i, 3), part));
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::string percentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

void parseQuery(std::string_view url, std::string_view query, ConnectionUrl& u) {
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view kv = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (kv.empty()) continue;
    auto eq = kv.find('=');
    std::string key = percentDecode(url, kv.substr(0, eq), "query parameter name");
    if (key.empty()) fail(url, "query parameter without a name");
    std::string value = eq == std::string_view::npos
                            ? std::string{}
                            : percentDecode(url, kv.substr(eq + 1), "query parameter");
    u.params[std::move(key)] = std::move(value);
  }
}

void parseSqlite(std::string_view url, std::string_view rest, ConnectionUrl& u) {
  auto q = rest.find('?');
  if (q != std::string_view::npos) {
    parseQuery(url, rest.substr(q + 1), u);
    rest = rest.substr(0, q);
  }
  if (rest == ":memory:") {
    u.path = ":memory:";
    return;
  }
  if (!rest.starts_with("//"))
    fail(url, "expected sqlite::memory:, sqlite://relative/path or sqlite:///absolute/path");
  rest.remove_prefix(2);
  if (rest.empty()) fail(url, "sqlite URL has no database path");
  u.path = percentDecode(url, rest, "path");
}

void parseServer(std::string_view url, std::string_view rest, ConnectionUrl& u) {
  if (!rest.starts_with("//")) fail(url, fmt::format("expected {}://host/database", u.scheme));
  rest.remove_prefix(2);
  auto frag = rest.find('#');
  if (frag != std::string_view::npos) rest = rest.substr(0, frag);
  auto q = rest.find('?');
  if (q != std::string_view::npos) {
    parseQuery(url, rest.substr(q + 1), u);
    rest = rest.substr(0, q);
  }
  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos)
    u.database = percentDecode(url, rest.substr(slash + 1), "database name");

  auto at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    auto colon = userinfo.find(':');
    u.user = percentDecode(url, userinfo.substr(0, colon), "user name");
    if (colon != std::string_view::npos)
      u.password = percentDecode(url, userinfo.substr(colon + 1), "password");
  }

  std::string_view portText;
  bool hasPort = false;
  if (authority.starts_with('[')) {
    auto close = authority.find(']');
    if (close == std::string_view::npos) fail(url, "unterminated IPv6 address (missing ']')");
    u.host = std::string(authority.substr(1, close - 1));
    if (u.host.empty()) fail(url, "empty IPv6 address");
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') fail(url, "unexpected text after the IPv6 address");
      portText = after.substr(1);
      hasPort = true;
    }
  } else {
    // Percent-escapes as libpq reads them: %2Fvar%2Frun%2Fpostgresql is the
    // directory of a Unix-domain socket.
    auto colon = authority.find(':');
    u.host = percentDecode(url, authority.substr(0, colon), "host");
    if (colon != std::string_view::npos) {
      portText = authority.substr(colon + 1);
      hasPort = true;
    }
  }
  if (hasPort) {
    int port = 0;
    auto [ptr, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
    if (portText.empty() || ec == std::errc::invalid_argument ||
        ptr != portText.data() + portText.size())
      fail(url, fmt::format("port \"{}\" is not a number", portText));
    if (ec == std::errc::result_out_of_range || port < 1 || port > 65535)
      fail(url, fmt::format("port {} is out of range (1-65535)", portText));
    u.port = port;
  }
}

}  // namespace

ConnectionUrl ConnectionUrl::parse(std::string_view url) {
  if (url.empty()) throw InvalidUrlError("invalid connection URL: the URL is empty");
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"  (RFC 3986)
  std::size_t i = 0;
  while (i < url.size() && (std::isalnum(static_cast<unsigned char>(url[i])) || url[i] == '+' ||
                            url[i] == '-' || url[i] == '.'))
    ++i;
  if (i == 0 || i >= url.size() || url[i] != ':' ||
      !std::isalpha(static_cast<unsigned char>(url[0])))
    fail(url, "no scheme (expected sqlite:..., postgres://...)");

  ConnectionUrl u;
  for (std::size_t k = 0; k < i; ++k)
    u.scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(url[k])));
  if (u.scheme == "postgresql") u.scheme = "postgres";
  std::string_view rest = url.substr(i + 1);
  if (u.scheme == "sqlite")
    parseSqlite(url, rest, u);
  else
    parseServer(url, rest, u);
  return u;
}

std::string ConnectionUrl::redacted() const {
  std::string out = scheme;
  if (scheme == "sqlite") {
    out += isMemory() ? ":" : "://";
    out += path;
  } else {
    out += "://";
    if (!user.empty() || !password.empty()) {
      out += percentEncode(user);
      if (!password.empty()) out += ":***";
      out += '@';
    }
    if (host.find(':') != std::string::npos)
      out += "[" + host + "]";
    else
      out += host.starts_with('/') ? percentEncode(host) : host;
    if (port != 0) out += fmt::format(":{}", port);
    if (!database.empty()) out += "/" + percentEncode(database);
  }
  char sep = '?';
  for (const auto& [k, v] : params) {
    out += sep;
    sep = '&';
    out += percentEncode(k);
    out += '=';
    out += isSecretParam(k) ? "***" : percentEncode(v);
  }
  return out;
}

}  // namespace junction

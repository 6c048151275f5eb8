// Attribute validators (junction/validators.hpp): Sequelize's built-ins with
// validator.js's default semantics, reimplemented without regexes where the
// grammar is simple enough to scan by hand (email, URL, host names).
//
// Type policy: Sequelize stringifies every value before calling validator.js;
// junction keeps values typed instead. A text rule (isEmail, isAlpha, len,
// is, contains, ...) fails on a non-text value, a numeric rule (isInt, min,
// ...) accepts numbers and numeric text and fails on anything else. No
// built-in throws for a wrong type: the failure is reported as a normal
// validation failure with the rule's message.
#include "junction/validators.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <exception>
#include <memory>
#include <string_view>
#include <utility>

#include <re2/re2.h>

#include "junction/errors.hpp"

namespace junction {

namespace {

// The check result for "failed, use the default (or .msg) text".
std::optional<std::string> fail() {
  return std::string();
}
std::optional<std::string> pass() {
  return std::nullopt;
}
std::optional<std::string> verdict(bool ok) {
  return ok ? pass() : fail();
}

// Text of a text value; nullptr for every other type.
const std::string* textOf(const Value& v) noexcept {
  return v.getIf<std::string>();
}

bool isAsciiAlpha(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool isAsciiDigit(char c) noexcept {
  return c >= '0' && c <= '9';
}
bool isAsciiAlnum(char c) noexcept {
  return isAsciiAlpha(c) || isAsciiDigit(c);
}
bool isHexDigit(char c) noexcept {
  return isAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
// Bytes of multi-byte UTF-8 sequences: validator.js admits most non-ASCII
// code points in e-mail local parts and (IDN) host labels.
bool isNonAscii(char c) noexcept {
  return static_cast<unsigned char>(c) >= 0x80;
}
bool isSpace(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

template <class Pred>
bool allOf(std::string_view s, Pred p) {
  return std::all_of(s.begin(), s.end(), p);
}

std::string_view::size_type countOf(std::string_view s, char c) {
  return static_cast<std::string_view::size_type>(std::count(s.begin(), s.end(), c));
}

// ^[-+]?[0-9]+$
bool isIntegerText(std::string_view s) {
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
  return !s.empty() && allOf(s, isAsciiDigit);
}

// validator.js isFloat: ^[-+]?[0-9]*(\.[0-9]*)?([eE][-+]?[0-9]+)?$, but not
// "", "+", "-" or ".".
bool isFloatText(std::string_view s) {
  if (s.empty() || s == "+" || s == "-" || s == ".") return false;
  std::size_t i = 0;
  if (s[i] == '-' || s[i] == '+') ++i;
  while (i < s.size() && isAsciiDigit(s[i])) ++i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && isAsciiDigit(s[i])) ++i;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    std::size_t digits = i;
    while (i < s.size() && isAsciiDigit(s[i])) ++i;
    if (i == digits) return false;
  }
  return i == s.size();
}

// validator.js isNumeric (default options): ^[+-]?([0-9]*[.])?[0-9]+$
bool isNumericText(std::string_view s) {
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
  auto dot = s.find('.');
  if (dot != std::string_view::npos) {
    if (!allOf(s.substr(0, dot), isAsciiDigit)) return false;
    s.remove_prefix(dot + 1);
  }
  return !s.empty() && allOf(s, isAsciiDigit);
}

// The number a value denotes for min/max: ints, finite doubles, and text
// that is a float literal in validator.js's sense.
std::optional<double> numberOf(const Value& v) {
  if (auto i = v.getIf<std::int64_t>()) return static_cast<double>(*i);
  if (auto d = v.getIf<double>()) {
    if (std::isfinite(*d)) return *d;
    return std::nullopt;
  }
  if (auto s = textOf(v)) {
    if (!isFloatText(*s)) return std::nullopt;
    std::string_view t = *s;
    if (t.front() == '+') t.remove_prefix(1);  // from_chars rejects a leading '+'
    double d = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), d);
    if (ec == std::errc() && end == t.data() + t.size() && std::isfinite(d)) return d;
  }
  return std::nullopt;
}

std::size_t codePoints(std::string_view s) {
  // Count every byte that is not a UTF-8 continuation byte (top bits 10).
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  for (;;) {
    auto pos = s.find(sep);
    parts.push_back(s.substr(0, pos));
    if (pos == std::string_view::npos) return parts;
    s.remove_prefix(pos + 1);
  }
}

// validator.js isIP(version 4): four decimal octets 0-255 without leading zeros.
bool isIPv4(std::string_view s) {
  auto parts = split(s, '.');
  if (parts.size() != 4) return false;
  for (auto p : parts) {
    if (p.empty() || p.size() > 3 || !allOf(p, isAsciiDigit)) return false;
    if (p.size() > 1 && p.front() == '0') return false;
    int n = 0;
    std::from_chars(p.data(), p.data() + p.size(), n);
    if (n > 255) return false;
  }
  return true;
}

// RFC 4291 text form: up to eight groups of 1-4 hex digits, at most one "::",
// optionally ending in an embedded IPv4 address (which counts as two groups).
bool isIPv6(std::string_view s) {
  if (s.empty()) return false;
  auto gap = s.find("::");
  if (gap != std::string_view::npos && s.find("::", gap + 1) != std::string_view::npos)
    return false;
  auto groupsIn = [](std::string_view part, bool mayEndInV4) -> std::optional<std::size_t> {
    if (part.empty()) return std::size_t{0};
    auto groups = split(part, ':');
    std::size_t n = 0;
    for (std::size_t i = 0; i < groups.size(); ++i) {
      auto g = groups[i];
      if (mayEndInV4 && i + 1 == groups.size() && g.find('.') != std::string_view::npos) {
        if (!isIPv4(g)) return std::nullopt;
        n += 2;
      } else {
        if (g.empty() || g.size() > 4 || !allOf(g, isHexDigit)) return std::nullopt;
        n += 1;
      }
    }
    return n;
  };
  if (gap == std::string_view::npos) {
    auto n = groupsIn(s, true);
    return n && *n == 8;
  }
  auto head = groupsIn(s.substr(0, gap), false);
  auto tail = groupsIn(s.substr(gap + 2), true);
  return head && tail && *head + *tail <= 7;
}

// validator.js isFQDN with require_tld, no underscores, no trailing dot, no
// numeric TLD: labels of [A-Za-z0-9-] (plus non-ASCII for IDNs), 1-63
// bytes, not starting or ending with '-'; a TLD of >= 2 letters or punycode.
bool isFqdn(std::string_view host) {
  if (host.size() > 253) return false;
  auto labels = split(host, '.');
  if (labels.size() < 2) return false;
  std::string_view tld = labels.back();
  bool letters =
      tld.size() >= 2 && allOf(tld, [](char c) { return isAsciiAlpha(c) || isNonAscii(c); });
  bool punycode = tld.size() >= 4 && (tld[0] == 'x' || tld[0] == 'X') &&
                  (tld[1] == 'n' || tld[1] == 'N') &&
                  allOf(tld.substr(2), [](char c) { return isAsciiAlnum(c) || c == '-'; });
  if (!letters && !punycode) return false;
  for (auto label : labels) {
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    if (!allOf(label, [](char c) { return isAsciiAlnum(c) || c == '-' || isNonAscii(c); }))
      return false;
  }
  return true;
}

// One dot-separated part of an unquoted local part (validator.js
// emailUserUtf8Part): atext characters and non-ASCII, at least one.
bool isEmailUserPart(std::string_view part) {
  static constexpr std::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~";
  return !part.empty() && allOf(part, [](char c) {
    return isAsciiAlnum(c) || isNonAscii(c) || kSpecials.find(c) != std::string_view::npos;
  });
}

bool isEmailText(std::string_view s) {
  if (s.size() > 254) return false;
  auto at = s.rfind('@');
  if (at == std::string_view::npos) return false;
  std::string_view user = s.substr(0, at);
  std::string_view domain = s.substr(at + 1);
  if (user.empty() || user.size() > 64 || domain.size() > 254) return false;
  if (!isFqdn(domain)) return false;  // IP-literal domains are off by default
  // Quoted local parts ("john doe"@x.com) are rejected: almost never
  // intended in an application's user data, and awkward to handle downstream.
  for (auto part : split(user, '.'))
    if (!isEmailUserPart(part)) return false;
  return true;
}

bool isUrlText(std::string_view url) {
  // validator.js isURL with default options.
  if (url.empty() || url.size() >= 2083) return false;
  if (std::any_of(url.begin(), url.end(),
                  [](char c) { return isSpace(c) || c == '<' || c == '>'; }))
    return false;
  if (url.substr(0, 7) == "mailto:") return false;
  url = url.substr(0, url.find('#'));
  url = url.substr(0, url.find('?'));
  auto scheme = url.find("://");
  if (scheme != std::string_view::npos) {
    std::string protocol(url.substr(0, scheme));
    std::transform(protocol.begin(), protocol.end(), protocol.begin(),
                   [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; });
    if (protocol != "http" && protocol != "https" && protocol != "ftp") return false;
    url.remove_prefix(scheme + 3);
  } else if (url.substr(0, 2) == "//") {
    return false;  // protocol-relative URLs are off by default
  }
  std::string_view authority = url.substr(0, url.find('/'));
  if (authority.empty()) return false;  // a host is required
  auto atSign = authority.find('@');
  if (atSign != std::string_view::npos) {
    std::string_view auth = authority.substr(0, atSign);
    if (auth.empty() || countOf(auth, ':') > 1 || auth == ":") return false;
    authority.remove_prefix(atSign + 1);
  }
  std::string_view host;
  std::string_view port;
  bool hasPort = false;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return false;
    if (!isIPv6(authority.substr(1, close - 1))) return false;
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      port = rest.substr(1);
      hasPort = true;
    }
  } else {
    auto colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      hasPort = true;
    }
    if (!(host == "localhost" || isIPv4(host) || isFqdn(host))) return false;
  }
  if (hasPort && !port.empty()) {
    if (port.size() > 5 || !allOf(port, isAsciiDigit)) return false;
    int n = 0;
    std::from_chars(port.data(), port.data() + port.size(), n);
    if (n < 1 || n > 65535) return false;
  }
  return true;
}

bool isUuidText(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !isHexDigit(s[i])) return false;
  }
  return true;
}

bool contained(const std::vector<Value>& list, const Value& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

// is/not patterns run on RE2: linear time in the input and no recursion,
// whatever the pattern (std::regex recursed per character and overflowed
// the stack on a 100,000-character string). RE2 has no backreferences or
// lookaround; such a pattern is refused here, when the model is defined.
// `flags` are Sequelize's second element of `is: [pattern, flags]`: i, m, s.
std::shared_ptr<const re2::RE2> compileRegex(std::string_view key, const std::string& pattern,
                                             std::string_view flags) {
  std::string inline_flags;
  for (char f : flags) {
    if (f != 'i' && f != 'm' && f != 's')
      throw UsageError(fmt::format("validator {}: unsupported flag '{}' (use i, m or s)", key, f));
    if (inline_flags.find(f) == std::string::npos) inline_flags += f;
  }
  re2::RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<const re2::RE2>(
      inline_flags.empty() ? pattern : "(?" + inline_flags + ")" + pattern, options);
  if (!re->ok())
    throw UsageError(fmt::format("invalid regular expression for validator {}: /{}/ ({})", key,
                                 pattern, re->error()));
  return re;
}

}  // namespace

Validator Validator::msg(std::string message) const {
  Validator copy = *this;
  copy.message_ = std::move(message);
  return copy;
}

std::optional<std::string> Validator::run(const Value& v, const std::string& attribute) const {
  std::optional<std::string> failure;
  try {
    failure = check_(v);
  } catch (const std::exception& e) {
    failure = e.what();
  }
  if (!failure) return std::nullopt;
  if (!message_.empty()) {
    // Substitute into a copy of the template only: a value that itself
    // contains "{path}" must not be expanded again.
    std::string text = message_;
    std::string value = v.toString();
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
      if (text.compare(i, 6, "{path}") == 0) {
        out += attribute;
        i += 6;
      } else if (text.compare(i, 7, "{value}") == 0) {
        out += value;
        i += 7;
      } else {
        out += text[i++];
      }
    }
    return out;
  }
  if (!failure->empty()) return failure;
  return fmt::format("Validation {} on {} failed", key_, attribute);
}

Validator notEmpty() {
  return Validator("notEmpty", [](const Value& v) {
    if (auto s = textOf(v)) return verdict(!allOf(*s, isSpace));
    if (auto j = v.getIf<JsonText>()) return verdict(!allOf(j->text, isSpace));
    if (auto b = v.getIf<Blob>()) return verdict(!b->empty());
    // Numbers, booleans and times are never empty (Sequelize stringifies
    // them to non-empty text).
    return pass();
  });
}

Validator isEmail() {
  return Validator("isEmail", [](const Value& v) {
    auto s = textOf(v);
    return verdict(s && isEmailText(*s));
  });
}

Validator isUrl() {
  return Validator("isUrl", [](const Value& v) {
    auto s = textOf(v);
    return verdict(s && isUrlText(*s));
  });
}

Validator isIn(std::vector<Value> allowed) {
  return Validator("isIn", [allowed = std::move(allowed)](const Value& v) {
    return verdict(contained(allowed, v));
  });
}
Validator isIn(std::initializer_list<Value> allowed) {
  return isIn(std::vector<Value>(allowed));
}

Validator notIn(std::vector<Value> forbidden) {
  return Validator("notIn", [forbidden = std::move(forbidden)](const Value& v) {
    return verdict(!contained(forbidden, v));
  });
}
Validator notIn(std::initializer_list<Value> forbidden) {
  return notIn(std::vector<Value>(forbidden));
}

Validator isInt() {
  return Validator("isInt", [](const Value& v) {
    if (v.getIf<std::int64_t>()) return pass();
    if (auto d = v.getIf<double>()) return verdict(std::isfinite(*d) && std::trunc(*d) == *d);
    auto s = textOf(v);
    return verdict(s && isIntegerText(*s));
  });
}

Validator isFloat() {
  return Validator("isFloat", [](const Value& v) {
    if (v.getIf<std::int64_t>()) return pass();
    if (auto d = v.getIf<double>()) return verdict(std::isfinite(*d));
    auto s = textOf(v);
    return verdict(s && isFloatText(*s));
  });
}

Validator isNumeric() {
  return Validator("isNumeric", [](const Value& v) {
    if (v.getIf<std::int64_t>()) return pass();
    if (auto d = v.getIf<double>()) return verdict(std::isfinite(*d));
    auto s = textOf(v);
    return verdict(s && isNumericText(*s));
  });
}

Validator isAlpha() {
  return Validator("isAlpha", [](const Value& v) {
    auto s = textOf(v);
    return verdict(s && !s->empty() && allOf(*s, isAsciiAlpha));
  });
}

Validator isAlphanumeric() {
  return Validator("isAlphanumeric", [](const Value& v) {
    auto s = textOf(v);
    return verdict(s && !s->empty() && allOf(*s, isAsciiAlnum));
  });
}

// validator.js: str === str.toLowerCase(), so text without letters passes.
// Only ASCII letters are case-mapped.
Validator isLowercase() {
  return Validator("isLowercase", [](const Value& v) {
    auto s = textOf(v);
    return verdict(s && allOf(*s, [](char c) { return !(c >= 'A' && c <= 'Z'); }));
  });
}

Validator isUppercase() {
  return Validator("isUppercase", [](const Value& v) {
    auto s = textOf(v);
    return verdict(s && allOf(*s, [](char c) { return !(c >= 'a' && c <= 'z'); }));
  });
}

Validator isUUID() {
  return Validator("isUUID", [](const Value& v) {
    auto s = textOf(v);
    return verdict(s && isUuidText(*s));
  });
}

Validator isDate() {
  return Validator("isDate", [](const Value& v) {
    if (v.getIf<Timestamp>() || v.getIf<Date>()) return pass();
    auto s = textOf(v);
    return verdict(s && (Timestamp::tryParse(*s) || Date::tryParse(*s)));
  });
}

Validator min(double bound) {
  return Validator("min", [bound](const Value& v) {
    auto n = numberOf(v);
    return verdict(n && *n >= bound);
  });
}

Validator max(double bound) {
  return Validator("max", [bound](const Value& v) {
    auto n = numberOf(v);
    return verdict(n && *n <= bound);
  });
}

Validator len(std::size_t minLength, std::size_t maxLength) {
  if (minLength > maxLength)
    throw UsageError(
        fmt::format("len({}, {}): the minimum exceeds the maximum", minLength, maxLength));
  return Validator("len", [minLength, maxLength](const Value& v) {
    auto s = textOf(v);
    if (!s) return fail();
    auto n = codePoints(*s);
    return verdict(n >= minLength && n <= maxLength);
  });
}

Validator is(std::string regex, std::string_view flags) {
  auto re = compileRegex("is", regex, flags);
  return Validator("is", [re](const Value& v) {
    auto s = textOf(v);
    return verdict(s && re2::RE2::PartialMatch(*s, *re));
  });
}

Validator notRegex(std::string regex, std::string_view flags) {
  auto re = compileRegex("not", regex, flags);
  return Validator("not", [re](const Value& v) {
    auto s = textOf(v);
    return verdict(s && !re2::RE2::PartialMatch(*s, *re));
  });
}

Validator contains(std::string part) {
  return Validator("contains", [part = std::move(part)](const Value& v) {
    auto s = textOf(v);
    return verdict(s && s->find(part) != std::string::npos);
  });
}

Validator equals(Value expected) {
  return Validator("equals", [expected = std::move(expected)](const Value& v) {
    return verdict(v == expected);
  });
}

Validator custom(std::string key, std::function<void(const Value&)> fn) {
  if (key.empty()) throw UsageError("custom validator needs a non-empty key");
  if (!fn) throw UsageError(fmt::format("custom validator {} has no function", key));
  return Validator(std::move(key),
                   [fn = std::move(fn)](const Value& v) -> std::optional<std::string> {
                     fn(v);
                     return std::nullopt;
                   });
}

}  // namespace junction

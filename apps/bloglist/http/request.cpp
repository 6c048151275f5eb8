// What a handler sees of a request: its path, captures, query parameters,
// headers and JSON body; and the responses it returns.
#include <charconv>
#include <limits>
#include <string>
#include <string_view>

#include "http/internal.hpp"

namespace bloglist::http {

namespace {

// RFC 3986 percent-decoding; `plusIsSpace` for form-encoded query strings.
// A malformed escape is kept as it is, as browsers and cpp-httplib do.
std::string decodeUrl(std::string_view s, bool plusIsSpace) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plusIsSpace && s[i] == '+' ? ' ' : s[i]);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parseQuery(std::string_view q) {
  std::vector<std::pair<std::string, std::string>> params;
  while (!q.empty()) {
    auto amp = q.find('&');
    std::string_view item = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
    if (item.empty()) continue;
    auto eq = item.find('=');
    params.emplace_back(
        decodeUrl(item.substr(0, eq), true),
        eq == std::string_view::npos ? std::string() : decodeUrl(item.substr(eq + 1), true));
  }
  return params;
}
}  // namespace

void parseTarget(std::string_view target, Request::Impl& req) {
  auto qmark = target.find('?');
  req.path = decodeUrl(target.substr(0, qmark), false);
  if (qmark != std::string_view::npos) req.params = parseQuery(target.substr(qmark + 1));
}

const std::string& Request::method() const {
  return impl_.method;
}
const std::string& Request::path() const {
  return impl_.path;
}

std::string Request::capture(std::size_t n) const {
  if (n >= impl_.captures.size()) return {};
  return impl_.captures[n];
}

std::int64_t Request::idCapture(std::size_t n) const {
  std::string s = capture(n);
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  // All digits but too large for any key: an id no row can have. It stands
  // as the largest id, which findByPk of an INTEGER key finds nothing for,
  // so the route answers its own 404 ("user not found").
  if (!s.empty() && ec == std::errc::result_out_of_range && end == s.data() + s.size())
    return std::numeric_limits<std::int64_t>::max();
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size() || id <= 0)
    throw HttpError(400, "id must be a positive integer, got '" + s + "'");
  return id;
}

std::optional<std::string> Request::query(const std::string& name) const {
  for (const auto& [k, v] : impl_.params)
    if (k == name) return v;
  return std::nullopt;
}

std::string Request::header(const std::string& name) const {
  return std::string(impl_.header(impl_.message, name));  // names match case-insensitively
}

const nlohmann::json& Request::body() {
  if (!body_) {
    const std::string_view text = impl_.body;
    if (text.empty()) throw HttpError(400, "request body must be a JSON object");
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
      // parse_error, and out_of_range for a number that overflows (1e309).
      throw HttpError(400, std::string("malformed JSON: ") + e.what());
    }
    if (!j.is_object()) throw HttpError(400, "request body must be a JSON object");
    body_ = std::move(j);
  }
  return *body_;
}

Response Response::json(const Json& j, int status) {
  return {status, junction::dumpJSON(j)};
}
Response Response::json(const junction::Instance& instance, int status) {
  return {status, instance.toJSONString()};
}
Response Response::json(const std::vector<junction::Instance>& instances, int status) {
  return {status, junction::toJSONString(instances)};
}

}  // namespace bloglist::http

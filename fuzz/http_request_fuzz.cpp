// bloglist's request path without a socket or a database: bytes → method,
// target (percent-decoding, query string) and body → the router (RE2 over
// the path) → handlers that read every kind of field, capture and query
// parameter as bloglist's controllers do → the answer. Any 5xx, a body that
// is not JSON, a crash, UB or a leak is a finding.
//
// Input: "METHOD TARGET\nBODY".
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/internal.hpp"

using namespace bloglist::http;

namespace {

Router& router() {
  static Router r = [] {
    Router x;
    auto echo = [](Request& q) {
      Json out{{"path", q.path()}};
      if (auto s = q.query("search")) out["search"] = *s;
      if (auto s = q.query("read")) out["read"] = *s;
      return Response::json(out);
    };
    x.add("GET", "/api/blogs", {}, echo);
    x.add("GET", "/api/users/([^/]+)", {}, [](Request& q) {
      return Response::json(Json{{"id", q.idCapture(1)}});
    });
    x.add("POST", "/api/blogs", {}, [](Request& q) {
      const auto& b = q.body();
      Json out{{"title", requireString(b, "title")}, {"url", requireString(b, "url")}};
      if (auto a = optionalString(b, "author")) out["author"] = *a;
      if (auto l = optionalInteger(b, "likes")) out["likes"] = *l;
      if (auto y = optionalInteger(b, "year")) out["year"] = *y;
      return Response::json(out, 201);
    });
    x.add("PUT", "/api/blogs/([^/]+)", {}, [](Request& q) {
      auto id = q.idCapture(1);
      return Response::json(Json{{"id", id}, {"likes", requireInteger(q.body(), "likes")}});
    });
    x.add("POST", "/api/readinglists", {}, [](Request& q) {
      const auto& b = q.body();
      return Response::json(Json{{"blogId", requireId(b, "blogId")}, {"userId", requireId(b, "userId")}},
                            201);
    });
    x.add("PUT", "/api/readinglists/([^/]+)", {}, [](Request& q) {
      return Response::json(Json{{"id", q.idCapture(1)}, {"read", requireBool(q.body(), "read")}});
    });
    x.add("DELETE", "/api/blogs/([^/]+)", {}, [](Request& q) {
      (void)q.idCapture(1);
      return Response::noContent();
    });
    return x;
  }();
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto nl = in.find('\n');
  std::string_view line = in.substr(0, nl);
  std::string_view body = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  auto sp = line.find(' ');
  if (sp == std::string_view::npos) return 0;
  Request::Impl req;
  req.method = std::string(line.substr(0, sp));
  parseTarget(line.substr(sp + 1), req);
  req.body = body;
  req.header = [](const void*, std::string_view) { return std::string_view(); };
  Response r = router().dispatch(req);
  if (r.status >= 500) __builtin_trap();
  if (!r.body.empty() && !Json::accept(r.body)) __builtin_trap();
  return 0;
}

// The error -> status mapping: the course's errorHandler middleware, for
// HttpError and junction's typed errors. Anything unexpected is logged and
// answered 500 without its text.
#include "junction/errors.hpp"

#include <exception>
#include <string>
#include <vector>

#include "http/internal.hpp"

namespace bloglist::http {

namespace {

std::string joinFields(const std::vector<std::string>& fields) {
  std::string s;
  for (const auto& f : fields) s += (s.empty() ? "" : ", ") + f;
  return s;
}

}  // namespace

Response errorResponse(int status, const std::string& message) {
  return Response::json(Json{{"error", message}}, status);
}

// The course's errorHandler middleware, for junction's typed errors.
Response mapException(const std::string& what, std::exception_ptr ep) {
  try {
    std::rethrow_exception(ep);
  } catch (const HttpError& e) {
    return errorResponse(e.status(), e.what());
  } catch (const junction::ValidationError& e) {
    std::string msg;
    for (const auto& item : e.errors()) msg += (msg.empty() ? "" : "; ") + item.message;
    return errorResponse(400, msg.empty() ? std::string(e.what()) : msg);
  } catch (const junction::UniqueConstraintError& e) {
    return errorResponse(400, e.fields().empty() ? std::string(e.what())
                                                 : joinFields(e.fields()) + " must be unique");
  } catch (const junction::ForeignKeyConstraintError& e) {
    return errorResponse(400, std::string("a referenced record does not exist: ") + e.what());
  } catch (const junction::NotNullConstraintError& e) {
    return errorResponse(400, e.what());
  } catch (const junction::EmptyResultError& e) {
    return errorResponse(404, e.what());
  } catch (const junction::ConversionError& e) {
    return errorResponse(400, e.what());
  } catch (const junction::ConnectionError& e) {
    log(LogLevel::Error, std::string("database unavailable: ") + e.what());
    return errorResponse(503, "database unavailable");
  } catch (const junction::Error& e) {
    log(LogLevel::Error, what + ": " + e.name() + ": " + e.what());
  } catch (const std::exception& e) {
    log(LogLevel::Error, what + ": " + e.what());
  } catch (...) {
    log(LogLevel::Error, what + ": unknown exception");
  }
  return errorResponse(500, "internal server error");
}

}  // namespace bloglist::http

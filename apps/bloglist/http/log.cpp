// The server's log: levelled lines on stderr, and the access log's line per
// request.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <stdexcept>
#include <string>

#include "http/internal.hpp"

namespace bloglist::http {

namespace {
std::atomic<LogLevel> gLevel{LogLevel::Info};
std::mutex gLogMutex;

const char* levelName(LogLevel l) {
  switch (l) {
    case LogLevel::Debug:
      return "debug";
    case LogLevel::Info:
      return "info";
    case LogLevel::Warn:
      return "warn";
    case LogLevel::Error:
      return "error";
  }
  return "?";
}
}  // namespace

LogLevel parseLogLevel(std::string_view s) {
  if (s == "debug") return LogLevel::Debug;
  if (s == "info") return LogLevel::Info;
  if (s == "warn") return LogLevel::Warn;
  if (s == "error") return LogLevel::Error;
  throw std::invalid_argument("LOG_LEVEL must be debug, info, warn or error, not '" +
                              std::string(s) + "'");
}
void setLogLevel(LogLevel level) {
  gLevel.store(level);
}
bool logEnabled(LogLevel level) {
  return level >= gLevel.load(std::memory_order_relaxed);
}

void log(LogLevel level, std::string_view message) {
  if (!logEnabled(level)) return;
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::lock_guard lock(gLogMutex);
  std::fprintf(stderr, "%s %s %.*s\n", stamp, levelName(level), static_cast<int>(message.size()),
               message.data());
}

void logRequest(const std::string& method, const std::string& path, int status,
                std::chrono::steady_clock::time_point start) {
  if (!logEnabled(LogLevel::Info)) return;
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  char line[64];
  std::snprintf(line, sizeof line, " %d %.2f ms", status, ms);
  log(LogLevel::Info, method + " " + path + line);
}

}  // namespace bloglist::http

// Internal: opens a SQLite connection (registered for the "sqlite" scheme).
#pragma once

#include <memory>

#include "junction/connection.hpp"

namespace junction::sqlite {

// Opens `url.path` (":memory:" for a private in-memory database) with WAL
// journaling, foreign keys on, and a busy timeout (url param `busy_timeout`
// in ms, default 5000). Throws ConnectionError naming the path on failure.
std::unique_ptr<Connection> open(const ConnectionUrl& url);

}  // namespace junction::sqlite

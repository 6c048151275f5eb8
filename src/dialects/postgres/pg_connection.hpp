// Internal: opens a PostgreSQL connection (registered for "postgres").
#pragma once

#include <memory>

#include "junction/connection.hpp"

namespace junction::postgres {

// Connects with libpq. Session settings: client_encoding UTF8, TimeZone UTC,
// and search_path from url param `schema` when given. Other url params are
// passed to libpq as connection keywords (sslmode, connect_timeout, ...).
// Throws ConnectionError naming the redacted URL and libpq's message.
std::unique_ptr<Connection> open(const ConnectionUrl& url);

}  // namespace junction::postgres

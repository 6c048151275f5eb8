// junction/dialects.hpp — the built-in engines.
//
// registerBuiltinDialects() registers the "sqlite" and "postgres" drivers
// with the driver registry (idempotent, thread-safe); Database calls it.
// openConnection() is the one-line way to get a raw Connection from a URL.
#pragma once

#include <memory>
#include <string_view>

#include "junction/connection.hpp"
#include "junction/sql/dialect.hpp"

namespace junction {

const sql::Dialect& sqliteDialect() noexcept;
const sql::Dialect& postgresDialect() noexcept;

void registerBuiltinDialects();

// Parses the URL, registers the built-ins, and connects.
std::unique_ptr<Connection> openConnection(std::string_view url);

}  // namespace junction

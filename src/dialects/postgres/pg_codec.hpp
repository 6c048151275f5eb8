// Internal: text-level helpers of the PostgreSQL connection, kept apart from
// libpq so tests can check them without a server.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "junction/value.hpp"

namespace junction::postgres {

// The highest $N placeholder in `sql` (0 when there is none), skipping string
// literals (including E'' escapes), quoted identifiers, dollar-quoted bodies
// and comments: the parameter count the server will expect.
std::size_t countPlaceholders(std::string_view sql) noexcept;

// Column names of a unique-violation DETAIL, quotes removed:
// `Key (a, "userId")=(1, 2) already exists.` → {"a", "userId"}. Empty when
// the text has another shape (a localized server, say).
std::vector<std::string> parseKeyFields(std::string_view detail);

// Decodes bytea output in hex form (`\x0aff`); nullopt for any other shape.
std::optional<Blob> decodeByteaHex(std::string_view text);

// Parses timestamp/timestamptz output as this connection's session prints it
// (ISO datestyle, UTC: "2024-01-02 03:04:05.123456+00", zone absent for
// timestamp) on a fixed-position fast path; any other shape goes through
// Timestamp::tryParse. nullopt for what neither accepts ('infinity', BC).
std::optional<Timestamp> parseTimestamp(std::string_view text) noexcept;

// Appends the text PostgreSQL parses back to exactly `d` (shortest
// round-trip digits; Infinity, -Infinity, NaN).
void appendDouble(std::string& out, double d);

}  // namespace junction::postgres

// Raw-SQL replacements (junction/sql/replacements.hpp): a lexer just good
// enough to tell placeholders from the places where `?` and `:x` are plain
// text, then a rewrite to the dialect's bound parameters. The values go to
// Compiled::params only; no byte of a value ever reaches the SQL text.
#include "junction/sql/replacements.hpp"

#include <fmt/format.h>

#include <cstddef>
#include <optional>
#include <set>

#include "junction/errors.hpp"

namespace junction::sql {

namespace {

enum class Kind {
  Positional,  // ?
  Named,       // :name
  Native,      // $1, ?1: the engine's own numbered parameters
};

struct Placeholder {
  std::size_t begin;
  std::size_t end;
  Kind kind;
  std::string_view name;  // Named: without the colon; Native: the whole token
};

bool isDigit(char c) noexcept {
  return c >= '0' && c <= '9';
}
bool isNameStart(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool isNameChar(char c) noexcept {
  return isNameStart(c) || isDigit(c);
}
// Characters that continue an unquoted SQL identifier ("$" is allowed after
// the first character in PostgreSQL; non-ASCII bytes in both engines).
bool isIdentChar(char c) noexcept {
  return isNameChar(c) || c == '$' || static_cast<unsigned char>(c) >= 0x80;
}

[[noreturn]] void unterminated(std::string_view what, std::size_t offset, std::string_view sql) {
  std::string_view context = sql.substr(offset, 40);
  throw UsageError(fmt::format("unterminated {} starting at offset {}: {}{}", what, offset, context,
                               context.size() < sql.size() - offset ? "..." : ""));
}

// Index one past a quoted run that opened at `open` with `quote`; a doubled
// quote is an escaped quote, and with `backslashEscapes` (E'…') so is \x.
std::size_t skipQuoted(std::string_view sql, std::size_t open, char quote, bool backslashEscapes,
                       std::string_view what, std::size_t reportAt) {
  std::size_t j = open + 1;
  while (j < sql.size()) {
    char c = sql[j];
    if (backslashEscapes && c == '\\') {
      j += 2;
    } else if (c == quote) {
      if (j + 1 < sql.size() && sql[j + 1] == quote) {
        j += 2;
      } else {
        return j + 1;
      }
    } else {
      ++j;
    }
  }
  unterminated(what, reportAt, sql);
}

std::vector<Placeholder> scan(std::string_view sql) {
  std::vector<Placeholder> found;
  const std::size_t n = sql.size();
  std::size_t i = 0;
  auto prevIsIdent = [&](std::size_t at) { return at > 0 && isIdentChar(sql[at - 1]); };
  while (i < n) {
    const char c = sql[i];
    const char next = i + 1 < n ? sql[i + 1] : '\0';
    switch (c) {
      case '\'': {
        // E'…' / e'…' (PostgreSQL escape string): backslash escapes apply.
        bool escapes = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && !prevIsIdent(i - 1);
        std::size_t start = escapes ? i - 1 : i;
        i = skipQuoted(sql, i, '\'', escapes, "string literal", start);
        break;
      }
      case '"':
        i = skipQuoted(sql, i, '"', false, "quoted identifier", i);
        break;
      case '`':
        i = skipQuoted(sql, i, '`', false, "quoted identifier", i);
        break;
      case '-':
        if (next == '-') {
          auto eol = sql.find('\n', i + 2);
          i = eol == std::string_view::npos ? n : eol + 1;
        } else {
          ++i;
        }
        break;
      case '/':
        if (next == '*') {
          auto close = sql.find("*/", i + 2);
          if (close == std::string_view::npos) unterminated("block comment", i, sql);
          i = close + 2;
        } else {
          ++i;
        }
        break;
      case '$': {
        if (prevIsIdent(i)) {  // part of an identifier such as a$b
          ++i;
          break;
        }
        if (isDigit(next)) {
          std::size_t j = i + 1;
          while (j < n && isDigit(sql[j])) ++j;
          found.push_back({i, j, Kind::Native, sql.substr(i, j - i)});
          i = j;
          break;
        }
        std::size_t j = i + 1;
        while (j < n && isNameChar(sql[j])) ++j;
        if (j < n && sql[j] == '$') {  // $$ or $tag$ opens a dollar-quoted string
          std::string_view delimiter = sql.substr(i, j + 1 - i);
          auto close = sql.find(delimiter, j + 1);
          if (close == std::string_view::npos)
            unterminated(fmt::format("dollar-quoted string {}", delimiter), i, sql);
          i = close + delimiter.size();
        } else {
          i = j;
        }
        break;
      }
      case '?':
        if (isDigit(next)) {
          std::size_t j = i + 1;
          while (j < n && isDigit(sql[j])) ++j;
          found.push_back({i, j, Kind::Native, sql.substr(i, j - i)});
          i = j;
        } else {
          found.push_back({i, i + 1, Kind::Positional, {}});
          ++i;
        }
        break;
      case ':':
        if (next == ':' || next == '=') {  // ::type cast, := assignment
          i += 2;
        } else if (isNameStart(next)) {
          std::size_t j = i + 1;
          while (j < n && isNameChar(sql[j])) ++j;
          found.push_back({i, j, Kind::Named, sql.substr(i + 1, j - i - 1)});
          i = j;
        } else {
          ++i;
        }
        break;
      default:
        ++i;
        break;
    }
  }
  return found;
}

struct Census {
  std::size_t positional = 0;
  std::size_t named = 0;
  std::optional<Placeholder> firstNative;
  std::optional<Placeholder> firstNamed;
};

Census census(const std::vector<Placeholder>& found) {
  Census c;
  for (const auto& p : found) {
    switch (p.kind) {
      case Kind::Positional:
        ++c.positional;
        break;
      case Kind::Named:
        ++c.named;
        if (!c.firstNamed) c.firstNamed = p;
        break;
      case Kind::Native:
        if (!c.firstNative) c.firstNative = p;
        break;
    }
  }
  if (c.positional > 0 && c.named > 0)
    throw UsageError(
        fmt::format("the query mixes ? and :name placeholders (:{}); use one style of replacements",
                    c.firstNamed->name));
  return c;
}

// True when `sql` is to pass through untouched (native parameters, no
// replacements); throws when native parameters meet replacements.
bool nativeOnly(const Census& c, bool haveReplacements) {
  if (!c.firstNative) return false;
  if (haveReplacements || c.positional > 0 || c.named > 0)
    throw UsageError(
        fmt::format("the query mixes $n and replacements (it contains the native parameter {}); "
                    "pass its values as bound parameters or rewrite it with ? or :name",
                    c.firstNative->name));
  return true;
}

template <class ValueFor>
Compiled emit(const Dialect& d, std::string_view sql, const std::vector<Placeholder>& found,
              ValueFor valueFor) {
  Compiled out;
  out.sql.reserve(sql.size() + found.size() * 2);
  std::size_t copied = 0;
  for (const auto& p : found) {
    out.sql.append(sql.substr(copied, p.begin - copied));
    out.params.push_back(valueFor(p));
    d.placeholder(out.sql, out.params.size());
    copied = p.end;
  }
  out.sql.append(sql.substr(copied));
  std::size_t limit = d.capabilities().maxParams;
  if (out.params.size() > limit)
    throw UsageError(fmt::format("the query binds {} parameters; {} allows at most {}",
                                 out.params.size(), d.name(), limit));
  return out;
}

}  // namespace

Compiled bindReplacements(const Dialect& d, std::string_view sql,
                          const std::vector<Value>& positional) {
  auto found = scan(sql);
  Census c = census(found);
  if (nativeOnly(c, !positional.empty())) return Compiled{std::string(sql), {}};
  if (c.named > 0)
    throw UsageError(fmt::format(
        "named placeholder :{} has no value: replacements were given by position (use a map)",
        c.firstNamed->name));
  if (c.positional > positional.size())
    throw UsageError(fmt::format("the query has {} ? placeholders but only {} replacement values",
                                 c.positional, positional.size()));
  if (c.positional < positional.size())
    throw UsageError(
        fmt::format("{} replacement values were given but the query has only {} ? placeholders; "
                    "the rest would be left unused",
                    positional.size(), c.positional));
  std::size_t next = 0;
  return emit(d, sql, found, [&](const Placeholder&) { return positional[next++]; });
}

Compiled bindReplacements(const Dialect& d, std::string_view sql,
                          const std::map<std::string, Value, std::less<>>& named) {
  auto found = scan(sql);
  Census c = census(found);
  if (nativeOnly(c, !named.empty())) return Compiled{std::string(sql), {}};
  if (c.positional > 0)
    throw UsageError(
        "the query uses ? placeholders but replacements were given by name (use a vector)");
  std::set<std::string_view> used;
  for (const auto& p : found) {
    if (!named.contains(p.name))
      throw UsageError(fmt::format("named placeholder :{} has no value in replacements", p.name));
    used.insert(p.name);
  }
  for (const auto& [name, value] : named) {
    if (!used.contains(name))
      throw UsageError(fmt::format(
          "replacement \"{}\" is not used: the query has no :{} placeholder", name, name));
  }
  return emit(d, sql, found, [&](const Placeholder& p) { return named.find(p.name)->second; });
}

}  // namespace junction::sql

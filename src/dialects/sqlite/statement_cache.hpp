// Internal: the SQLite connection's prepared-statement cache.
//
// An LRU of prepared statements keyed by SQL text. The cache owns its
// statements and finalizes them on eviction and on destruction, so it must
// be destroyed before the sqlite3 handle it prepared them on.
//
// Thread-safety: none; owned by one connection, used by one thread at a time.
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace junction::sqlite {

struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

// How a column's stored value is coerced when read, from its declared type.
enum class ColumnKind { Plain, Boolean, Timestamp, Date, Json };

// Maps a declared column type (sqlite3_column_decltype; may be null) to its kind.
ColumnKind columnKindOf(const char* declType) noexcept;

struct CachedStatement {
  StmtPtr stmt;
  bool readonly = false;
  int paramCount = 0;
  // Column metadata, recomputed whenever SQLite re-prepares the statement
  // (a schema change can alter column count and declared types).
  int reprepareCount = -1;
  std::vector<std::string> columnNames;
  std::vector<ColumnKind> columnKinds;
};

class StatementCache {
 public:
  static constexpr std::size_t kCapacity = 256;

  // The cached statement for `sql`, marked most recently used; null if absent.
  CachedStatement* find(std::string_view sql);
  // Inserts a statement for `sql`, evicting (finalizing) the least recently
  // used one when full. Returns the cached entry, valid until the next insert.
  CachedStatement& insert(std::string_view sql, CachedStatement st);
  // Removes the statement for `sql` and hands it to the caller (a null
  // `stmt` if absent). A stream holds its statement this way while it steps,
  // so statements its sink runs can neither reuse nor evict it.
  CachedStatement take(std::string_view sql);
  std::size_t size() const noexcept { return entries_.size(); }
  void clear() noexcept;

 private:
  struct Entry {
    std::string sql;
    CachedStatement st;
  };
  // Front is most recently used. Map keys view the entries' own strings,
  // which std::list keeps at stable addresses.
  std::list<Entry> entries_;
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;
};

}  // namespace junction::sqlite

#include "dialects/sqlite/statement_cache.hpp"

#include <cctype>

namespace junction::sqlite {

ColumnKind columnKindOf(const char* declType) noexcept {
  if (declType == nullptr) return ColumnKind::Plain;
  std::string t;
  for (const char* p = declType; *p; ++p)
    t += static_cast<char>(std::toupper(static_cast<unsigned char>(*p)));
  if (t == "BOOLEAN" || t == "BOOL" || t == "TINYINT(1)") return ColumnKind::Boolean;
  if (t == "DATETIME" || t.starts_with("TIMESTAMP")) return ColumnKind::Timestamp;
  if (t == "DATE") return ColumnKind::Date;
  if (t == "JSON" || t == "JSONB") return ColumnKind::Json;
  return ColumnKind::Plain;
}

CachedStatement* StatementCache::find(std::string_view sql) {
  auto it = index_.find(sql);
  if (it == index_.end()) return nullptr;
  entries_.splice(entries_.begin(), entries_, it->second);
  return &it->second->st;
}

CachedStatement& StatementCache::insert(std::string_view sql, CachedStatement st) {
  if (auto* existing = find(sql)) {
    *existing = std::move(st);
    return *existing;
  }
  if (entries_.size() >= kCapacity) {
    index_.erase(entries_.back().sql);
    entries_.pop_back();  // finalizes the evicted statement
  }
  entries_.push_front(Entry{std::string(sql), std::move(st)});
  index_.emplace(entries_.front().sql, entries_.begin());
  return entries_.front().st;
}

CachedStatement StatementCache::take(std::string_view sql) {
  auto it = index_.find(sql);
  if (it == index_.end()) return {};
  auto entry = it->second;
  index_.erase(it);
  CachedStatement st = std::move(entry->st);
  entries_.erase(entry);
  return st;
}

void StatementCache::clear() noexcept {
  index_.clear();
  entries_.clear();
}

}  // namespace junction::sqlite

// SQLite half of the QueryInterface: describeTable from PRAGMAs, and the
// table rebuild for whatever ALTER TABLE cannot do.
//
// A rebuild keeps the table's CREATE TABLE text item by item (so CHECKs,
// COLLATEs and names survive verbatim) and changes only the items the
// operation touches. The order differs from sqlite.org's 12 steps on
// purpose: PRAGMA foreign_keys cannot be switched off inside the caller's
// transaction, and with it on, renaming a table rewrites the REFERENCES of
// other tables, while dropping a parent counts every referencing row as a
// (deferred) violation. So the rows go to a TEMP holding table, the old
// table is dropped, the new one is created under the original name (other
// tables' REFERENCES stay valid, nothing is renamed), and re-inserting the
// rows from the holding table settles the deferred violations the drop
// counted. ON DELETE actions other than NO ACTION would fire on the drop;
// with enforcement on such a rebuild is refused (see ForeignKeysOff).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

#include "junction/errors.hpp"
#include "migrate/qi_internal.hpp"

namespace junction::migrate {

namespace sqlite_qi {
// Dry run: the CREATE TABLE text of a table the run created (a rebuild of it
// updates the record).
void notePlanned(QueryInterface& qi, const std::string& table, std::string createSql);
}  // namespace sqlite_qi

namespace {

using detail::quote;
using Access = QueryInterfaceAccess;

// ------------------------------------------------------------- tokenizer

struct Token {
  enum Kind { Word, Quoted, String, Number, Punct } kind;
  std::string_view text;
  std::size_t begin = 0, end = 0;
  int depth = 0;  // parenthesis depth at the token (a '(' has the outer depth)
};

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  int depth = 0;
  std::size_t i = 0;
  auto push = [&](Token::Kind k, std::size_t b, std::size_t e) {
    out.push_back({k, s.substr(b, e - b), b, e, depth});
  };
  while (i < s.size()) {
    char ch = s[i];
    if (std::isspace(static_cast<unsigned char>(ch))) {
      ++i;
    } else if (ch == '-' && i + 1 < s.size() && s[i + 1] == '-') {
      while (i < s.size() && s[i] != '\n') ++i;
    } else if (ch == '/' && i + 1 < s.size() && s[i + 1] == '*') {
      std::size_t e = s.find("*/", i + 2);
      i = e == std::string_view::npos ? s.size() : e + 2;
    } else if (ch == '"' || ch == '`' || ch == '\'' || ch == '[') {
      char close = ch == '[' ? ']' : ch;
      std::size_t b = i++;
      while (i < s.size()) {
        if (s[i] == close) {
          if (close != ']' && i + 1 < s.size() && s[i + 1] == close) {
            i += 2;
            continue;
          }
          break;
        }
        ++i;
      }
      i = std::min(s.size(), i + 1);
      push(ch == '\'' ? Token::String : Token::Quoted, b, i);
    } else if (std::isalpha(static_cast<unsigned char>(ch)) || ch == '_' ||
               static_cast<unsigned char>(ch) >= 0x80) {
      std::size_t b = i;
      while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' ||
                              s[i] == '$' || static_cast<unsigned char>(s[i]) >= 0x80))
        ++i;
      push(Token::Word, b, i);
    } else if (std::isdigit(static_cast<unsigned char>(ch))) {
      std::size_t b = i;
      while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
      push(Token::Number, b, i);
    } else {
      if (ch == ')') --depth;
      push(Token::Punct, i, i + 1);
      if (ch == '(') ++depth;
      ++i;
    }
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool isKeyword(const Token& t, std::string_view kw) {
  return t.kind == Token::Word && iequals(t.text, kw);
}

std::string unquote(const Token& t) {
  if (t.kind != Token::Quoted && t.kind != Token::String) return std::string(t.text);
  char close = t.text.front() == '[' ? ']' : t.text.front();
  std::string out;
  std::string_view body = t.text.substr(1, t.text.size() >= 2 ? t.text.size() - 2 : 0);
  for (std::size_t i = 0; i < body.size(); ++i) {
    out += body[i];
    if (body[i] == close && close != ']' && i + 1 < body.size() && body[i + 1] == close) ++i;
  }
  return out;
}

bool isName(const Token& t) {
  return t.kind == Token::Word || t.kind == Token::Quoted || t.kind == Token::String;
}

// True when `text` names `ident` anywhere (an identifier token, either quoted
// or bare; SQLite names are case-insensitive).
bool mentions(std::string_view text, std::string_view ident) {
  for (const auto& t : tokenize(text))
    if ((t.kind == Token::Word || t.kind == Token::Quoted) && iequals(unquote(t), ident))
      return true;
  return false;
}

bool hasKeyword(std::string_view text, std::string_view kw) {
  for (const auto& t : tokenize(text))
    if (isKeyword(t, kw)) return true;
  return false;
}

bool hasTopKeyword(std::string_view text, std::string_view kw) {
  for (const auto& t : tokenize(text))
    if (t.depth == 0 && isKeyword(t, kw)) return true;
  return false;
}

// Names of a parenthesised list starting at tokens[i] == '(' (first token of
// each element; COLLATE/ASC/DESC are skipped).
std::vector<std::string> nameList(const std::vector<Token>& tokens, std::size_t i) {
  std::vector<std::string> names;
  if (i >= tokens.size() || tokens[i].text != "(") return names;
  int depth = tokens[i].depth + 1;
  bool expectName = true;
  for (++i; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.depth < depth) break;
    if (t.depth == depth && t.text == ",") {
      expectName = true;
    } else if (expectName && isName(t)) {
      names.push_back(unquote(t));
      expectName = false;
    }
  }
  return names;
}

// ------------------------------------------------------------- CREATE TABLE text

struct Item {
  bool column = false;
  std::string name;  // column name; constraint name when given (else empty)
  std::string text;  // column: definition after the name; constraint: the whole item
  std::string kind;  // constraint: PRIMARY, UNIQUE, CHECK or FOREIGN (upper-case)
  std::vector<std::string> columns;  // PRIMARY/UNIQUE/FOREIGN: the constrained columns
};

struct TableSql {
  std::vector<Item> items;
  std::string tail;  // after the closing parenthesis: WITHOUT ROWID, STRICT
};

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

Item parseItem(std::string_view text) {
  Item item;
  auto tokens = tokenize(text);
  if (tokens.empty()) return item;
  static constexpr std::string_view kConstraintStarts[] = {"CONSTRAINT", "PRIMARY", "UNIQUE",
                                                           "CHECK", "FOREIGN"};
  bool constraint = tokens[0].kind == Token::Word &&
                    std::any_of(std::begin(kConstraintStarts), std::end(kConstraintStarts),
                                [&](auto kw) { return iequals(tokens[0].text, kw); });
  if (!constraint) {
    item.column = true;
    item.name = unquote(tokens[0]);
    item.text = trim(text.substr(tokens[0].end));
    return item;
  }
  item.text = trim(text);
  std::size_t k = 0;
  if (isKeyword(tokens[0], "CONSTRAINT") && tokens.size() > 2) {
    item.name = unquote(tokens[1]);
    k = 2;
  }
  std::string kind(tokens[k].text);
  std::transform(kind.begin(), kind.end(), kind.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  item.kind = kind;
  for (std::size_t i = k; i < tokens.size(); ++i) {
    if (tokens[i].text == "(") {
      if (kind != "CHECK") item.columns = nameList(tokens, i);
      break;
    }
  }
  return item;
}

TableSql parseCreateTable(std::string_view sql) {
  auto tokens = tokenize(sql);
  auto open =
      std::find_if(tokens.begin(), tokens.end(), [](const Token& t) { return t.text == "("; });
  if (open == tokens.end()) throw UsageError(fmt::format("cannot parse table definition: {}", sql));
  TableSql out;
  std::size_t itemStart = open->end;
  for (auto it = open + 1; it != tokens.end(); ++it) {
    if ((it->depth == 1 && it->text == ",") || (it->depth == 0 && it->text == ")")) {
      out.items.push_back(parseItem(sql.substr(itemStart, it->begin - itemStart)));
      itemStart = it->end;
      if (it->text == ")") {
        out.tail = trim(sql.substr(it->end));
        return out;
      }
    }
  }
  throw UsageError(fmt::format("cannot parse table definition: {}", sql));
}

std::string renderCreateTable(const sql::Dialect& d, const std::string& name, const TableSql& t) {
  std::string out = "CREATE TABLE " + quote(d, name) + " (";
  bool first = true;
  for (const auto& item : t.items) {
    if (!first) out += ", ";
    first = false;
    out +=
        item.column ? quote(d, item.name) + (item.text.empty() ? "" : " " + item.text) : item.text;
  }
  out += ")";
  if (!t.tail.empty()) out += " " + t.tail;
  return out;
}

// The span of a column definition's REFERENCES clause (with a CONSTRAINT
// name right before it), or nullopt.
std::optional<std::pair<std::size_t, std::size_t>> referencesSpan(std::string_view def) {
  auto tokens = tokenize(def);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].depth != 0 || !isKeyword(tokens[i], "REFERENCES")) continue;
    std::size_t begin = tokens[i].begin;
    if (i >= 2 && isKeyword(tokens[i - 2], "CONSTRAINT")) begin = tokens[i - 2].begin;
    std::size_t j = i + 1;
    std::size_t end = def.size();
    while (j < tokens.size()) {
      const Token& t = tokens[j];
      if (t.depth > 0 || t.text == "(" || t.text == ")" || (isName(t) && j == i + 1)) {
        ++j;
        continue;
      }
      if (isKeyword(t, "ON")) {
        j += 2;  // ON DELETE|UPDATE
        if (j < tokens.size() && (isKeyword(tokens[j], "SET") || isKeyword(tokens[j], "NO"))) ++j;
        ++j;
        continue;
      }
      if (isKeyword(t, "MATCH")) {
        j += 2;
        continue;
      }
      if (isKeyword(t, "DEFERRABLE") || isKeyword(t, "INITIALLY") || isKeyword(t, "DEFERRED") ||
          isKeyword(t, "IMMEDIATE") ||
          (isKeyword(t, "NOT") && j + 1 < tokens.size() &&
           isKeyword(tokens[j + 1], "DEFERRABLE"))) {
        ++j;
        continue;
      }
      end = t.begin;
      break;
    }
    return std::make_pair(begin, end);
  }
  return std::nullopt;
}

// A column definition without its top-level UNIQUE (and a CONSTRAINT name before it).
std::string withoutUnique(std::string_view def) {
  auto tokens = tokenize(def);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].depth != 0 || !isKeyword(tokens[i], "UNIQUE")) continue;
    std::size_t begin = tokens[i].begin;
    if (i >= 2 && isKeyword(tokens[i - 2], "CONSTRAINT")) begin = tokens[i - 2].begin;
    return trim(std::string(def.substr(0, begin)) + " " + std::string(def.substr(tokens[i].end)));
  }
  return std::string(def);
}

// Whether a column definition's text names a constraint: CONSTRAINT <name> before it.
std::string columnConstraintName(std::string_view def, std::string_view keyword) {
  auto tokens = tokenize(def);
  for (std::size_t i = 2; i < tokens.size(); ++i)
    if (tokens[i].depth == 0 && isKeyword(tokens[i], keyword) &&
        isKeyword(tokens[i - 2], "CONSTRAINT"))
      return unquote(tokens[i - 1]);
  return {};
}

// Effective names: explicit ones, else PostgreSQL's defaults, so
// removeConstraint takes the same names on both engines.
std::string uniqueName(const std::string& table, const std::vector<std::string>& cols) {
  return table + "_" + detail::joinUnderscore(cols) + "_key";
}
std::string fkName(const std::string& table, const std::vector<std::string>& cols) {
  return table + "_" + detail::joinUnderscore(cols) + "_fkey";
}

// ------------------------------------------------------------- reading

struct LiveTable {
  std::string createSql;
  std::vector<std::string> objects;  // CREATE INDEX / CREATE TRIGGER text, indexes first
  bool planned = false;              // dry run: created by this run, not in the database
};

std::optional<std::string> plannedSql(QueryInterface& qi, const std::string& table) {
  for (const auto& [name, sql] : Access::planned(qi))
    if (iequals(name, table)) return sql;
  return std::nullopt;
}

std::optional<std::string> tableSql(QueryInterface& qi, const std::string& table) {
  ResultSet rs = Access::read(
      qi, {"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", {table}});
  if (rs.empty()) return std::nullopt;
  return rs.at(0, 0).toString();
}

LiveTable loadTable(QueryInterface& qi, const std::string& table) {
  LiveTable t;
  if (auto sql = tableSql(qi, table)) {
    t.createSql = *sql;
  } else if (auto planned = plannedSql(qi, table)) {
    t.createSql = *planned;
    t.planned = true;
    return t;
  } else {
    detail::noSuchTable(table);
  }
  ResultSet rs = Access::read(
      qi, {"SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND "
           "sql IS NOT NULL ORDER BY type, name",
           {table}});
  for (std::size_t r = 0; r < rs.size(); ++r) t.objects.push_back(rs.at(r, 0).toString());
  return t;
}

bool foreignKeysEnforced(QueryInterface& qi) {
  ResultSet rs = Access::read(qi, {"PRAGMA foreign_keys", {}});
  return !rs.empty() && rs.at(0, 0).as<std::int64_t>() != 0;
}

struct Referencing {
  std::string table, column, onDelete;
};

std::vector<Referencing> referencingTables(QueryInterface& qi, const std::string& table) {
  ResultSet rs = Access::read(
      qi, {"SELECT m.name, f.\"from\", f.on_delete FROM sqlite_master m, "
           "pragma_foreign_key_list(m.name) f WHERE m.type = 'table' AND f.\"table\" = ? COLLATE "
           "NOCASE AND m.name <> ? ORDER BY m.name",
           {table, table}});
  std::vector<Referencing> out;
  for (std::size_t r = 0; r < rs.size(); ++r)
    out.push_back({rs.at(r, 0).toString(), rs.at(r, 1).toString(), rs.at(r, 2).toString()});
  return out;
}

// ------------------------------------------------------------- rebuild

// Restores connection state on every exit path of a rebuild it started.
class OwnTransaction {
 public:
  explicit OwnTransaction(Connection& conn) : conn_(conn) {
    if (conn_.transactionDepth() != 0) return;
    ResultSet rs = conn_.query("PRAGMA foreign_keys");
    fkWereOn_ = !rs.empty() && rs.at(0, 0).as<std::int64_t>() != 0;
    if (fkWereOn_) conn_.execute("PRAGMA foreign_keys = OFF");
    conn_.begin();
    owns_ = true;
  }
  ~OwnTransaction() {
    if (!owns_) return;
    try {
      if (conn_.transactionDepth() > 0) conn_.rollback();
      if (fkWereOn_) conn_.execute("PRAGMA foreign_keys = ON");
    } catch (...) {
      // The rebuild's own error is what the caller needs to see.
    }
  }
  void commit() {
    if (!owns_) return;
    conn_.commit();
    owns_ = false;
    if (fkWereOn_) conn_.execute("PRAGMA foreign_keys = ON");
  }
  OwnTransaction(const OwnTransaction&) = delete;
  OwnTransaction& operator=(const OwnTransaction&) = delete;

 private:
  Connection& conn_;
  bool owns_ = false;
  bool fkWereOn_ = false;
};

void checkForeignKeys(QueryInterface& qi, const std::vector<std::string>& tables) {
  for (const auto& t : tables) {
    ResultSet rs =
        Access::read(qi, {"SELECT \"table\", rowid FROM pragma_foreign_key_check(?)", {t}});
    if (!rs.empty())
      throw ForeignKeyConstraintError(
          fmt::format("rebuilding \"{}\" left a row of \"{}\" whose foreign key to \"{}\" has no "
                      "match",
                      tables.front(), t, rs.at(0, 0).toString()),
          {}, {}, {}, t);
  }
}

// Replaces `table` by `next`, copying `copyColumns` (present in both) and
// recreating the indexes and triggers `keepObject` accepts.
void rebuild(QueryInterface& qi, const std::string& table, const LiveTable& live,
             const TableSql& next, const std::vector<std::string>& copyColumns,
             const std::function<bool(const std::string&)>& keepObject) {
  const auto& d = qi.dialect();
  std::string createSql = renderCreateTable(d, table, next);
  if (live.planned) {
    // Dry run of a table the run itself created: nothing to copy.
    Access::run(qi, {"DROP TABLE " + quote(d, table), {}});
    Access::run(qi, {createSql, {}});
    sqlite_qi::notePlanned(qi, table, createSql);
    return;
  }
  Connection& conn = qi.connection();
  std::optional<OwnTransaction> own;
  if (!qi.dryRun()) {
    own.emplace(conn);
    if (foreignKeysEnforced(qi)) {
      for (const auto& ref : referencingTables(qi, table)) {
        if (iequals(ref.onDelete, "NO ACTION")) continue;
        ResultSet rows = Access::read(qi, {"SELECT 1 FROM " + quote(d, ref.table) + " WHERE " +
                                               quote(d, ref.column) + " IS NOT NULL LIMIT 1",
                                           {}});
        if (!rows.empty())
          throw UsageError(fmt::format(
              "rebuilding \"{}\" on SQLite with foreign keys enforced would fire ON DELETE {} of "
              "\"{}\".\"{}\"; run the migration inside migrate::ForeignKeysOff",
              table, ref.onDelete, ref.table, ref.column));
      }
    }
  }
  std::optional<std::int64_t> sequence;
  if (!qi.dryRun() && hasKeyword(createSql, "AUTOINCREMENT")) {
    ResultSet rs =
        Access::read(qi, {"SELECT seq FROM sqlite_sequence WHERE name = ?", {Value(table)}});
    if (!rs.empty()) sequence = rs.at(0, 0).as<std::int64_t>();
  }
  std::string hold = quote(d, "junction_rebuild_" + table);
  std::string cols = detail::quoteList(d, copyColumns);
  Access::run(qi, {"PRAGMA defer_foreign_keys = ON", {}});
  Access::run(qi, {"DROP TABLE IF EXISTS temp." + hold, {}});
  Access::run(
      qi,
      {"CREATE TEMP TABLE " + hold + " AS SELECT " + cols + " FROM main." + quote(d, table), {}});
  Access::run(qi, {"DROP TABLE main." + quote(d, table), {}});
  Access::run(qi, {createSql, {}});
  Access::run(qi, {"INSERT INTO main." + quote(d, table) + " (" + cols + ") SELECT " + cols +
                       " FROM temp." + hold,
                   {}});
  Access::run(qi, {"DROP TABLE temp." + hold, {}});
  if (sequence) {
    Access::run(qi, {"UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = ?",
                     {Value(*sequence), Value(table)}});
    Access::run(qi, {"INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? WHERE NOT EXISTS "
                     "(SELECT 1 FROM sqlite_sequence WHERE name = ?)",
                     {Value(table), Value(*sequence), Value(table)}});
  }
  for (const auto& object : live.objects)
    if (keepObject(object)) Access::run(qi, {object, {}});
  if (qi.dryRun()) return;
  std::vector<std::string> check{table};
  for (const auto& ref : referencingTables(qi, table)) check.push_back(ref.table);
  checkForeignKeys(qi, check);
  own->commit();
}

std::size_t findColumn(const TableSql& t, const std::string& table, const std::string& column) {
  for (std::size_t i = 0; i < t.items.size(); ++i)
    if (t.items[i].column && iequals(t.items[i].name, column)) return i;
  detail::noSuchColumn(table, column);
}

std::vector<std::string> columnNames(const TableSql& t) {
  std::vector<std::string> out;
  for (const auto& item : t.items)
    if (item.column) out.push_back(item.name);
  return out;
}

bool hasTablePrimaryKey(const TableSql& t) {
  return std::any_of(t.items.begin(), t.items.end(),
                     [](const Item& i) { return !i.column && i.kind == "PRIMARY"; });
}

void insertColumn(TableSql& t, Item column) {
  auto firstConstraint =
      std::find_if(t.items.begin(), t.items.end(), [](const Item& i) { return !i.column; });
  t.items.insert(firstConstraint, std::move(column));
}

bool keepAll(const std::string&) {
  return true;
}

}  // namespace

namespace sqlite_qi {

bool isPlanned(QueryInterface& qi, const std::string& table) {
  return plannedSql(qi, table).has_value() && !tableSql(qi, table).has_value();
}

void notePlanned(QueryInterface& qi, const std::string& table, std::string createSql) {
  auto& planned = Access::planned(qi);
  for (auto& p : planned) {
    if (iequals(p.first, table)) {
      p.second = std::move(createSql);
      return;
    }
  }
  planned.emplace_back(table, std::move(createSql));
}

TableDescription describeTable(QueryInterface& qi, const std::string& table) {
  auto sql = tableSql(qi, table);
  if (!sql) detail::noSuchTable(table);
  TableSql parsed = parseCreateTable(*sql);
  bool autoIncrementTable = hasKeyword(*sql, "AUTOINCREMENT");
  TableDescription desc;
  desc.name = table;

  ResultSet cols = Access::read(
      qi, {"SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid",
           {table}});
  int pkCount = 0;
  for (std::size_t r = 0; r < cols.size(); ++r) pkCount += cols.at(r, 4).as<std::int64_t>() > 0;
  for (std::size_t r = 0; r < cols.size(); ++r) {
    ColumnDescription c;
    c.name = cols.at(r, 0).toString();
    c.type = cols.at(r, 1).toString();
    std::transform(c.type.begin(), c.type.end(), c.type.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
    c.primaryKey = cols.at(r, 4).as<std::int64_t>() > 0;
    c.allowNull = cols.at(r, 2).as<std::int64_t>() == 0 && !c.primaryKey;
    if (!cols.at(r, 3).isNull()) c.defaultValue = cols.at(r, 3).toString();
    c.autoIncrement = c.primaryKey && pkCount == 1 && autoIncrementTable && c.type == "INTEGER";
    desc.columns.push_back(std::move(c));
  }

  ResultSet fks =
      Access::read(qi, {"SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM "
                        "pragma_foreign_key_list(?) ORDER BY id, seq",
                        {table}});
  for (std::size_t r = 0; r < fks.size(); ++r) {
    std::int64_t id = fks.at(r, 0).as<std::int64_t>();
    if (r == 0 || fks.at(r - 1, 0).as<std::int64_t>() != id) {
      ForeignKeyDescription fk;
      fk.referencedTable = fks.at(r, 1).toString();
      fk.onUpdate = fks.at(r, 4).toString();
      fk.onDelete = fks.at(r, 5).toString();
      desc.foreignKeys.push_back(std::move(fk));
    }
    auto& fk = desc.foreignKeys.back();
    fk.columns.push_back(fks.at(r, 2).toString());
    // A NULL "to" means the parent's primary key.
    fk.referencedColumns.push_back(fks.at(r, 3).isNull() ? "" : fks.at(r, 3).toString());
  }
  for (auto& fk : desc.foreignKeys) {
    fk.name = fkName(table, fk.columns);
    for (const auto& item : parsed.items) {
      if (!item.column && item.kind == "FOREIGN" && item.columns == fk.columns &&
          !item.name.empty())
        fk.name = item.name;
      if (item.column && fk.columns.size() == 1 && iequals(item.name, fk.columns[0])) {
        std::string n = columnConstraintName(item.text, "REFERENCES");
        if (!n.empty()) fk.name = n;
      }
    }
  }

  ResultSet idx = Access::read(
      qi, {"SELECT name, \"unique\", origin FROM pragma_index_list(?) ORDER BY name", {table}});
  for (std::size_t r = 0; r < idx.size(); ++r) {
    IndexDescription ix;
    ix.name = idx.at(r, 0).toString();
    ix.unique = idx.at(r, 1).as<std::int64_t>() != 0;
    std::string origin = idx.at(r, 2).toString();
    ix.primary = origin == "pk";
    ix.constraint = origin != "c";
    ResultSet info = Access::read(
        qi, {"SELECT name FROM pragma_index_info(?) ORDER BY seqno", {Value(ix.name)}});
    for (std::size_t k = 0; k < info.size(); ++k)
      ix.columns.push_back(info.at(k, 0).isNull() ? "" : info.at(k, 0).toString());
    if (origin == "u") {
      // SQLite names these sqlite_autoindex_*; report the constraint's name.
      ix.name = uniqueName(table, ix.columns);
      for (const auto& item : parsed.items) {
        if (!item.column && item.kind == "UNIQUE" && item.columns == ix.columns &&
            !item.name.empty())
          ix.name = item.name;
        if (item.column && ix.columns.size() == 1 && iequals(item.name, ix.columns[0])) {
          std::string n = columnConstraintName(item.text, "UNIQUE");
          if (!n.empty()) ix.name = n;
        }
      }
    } else if (origin == "pk") {
      ix.name = table + "_pkey";
    }
    desc.indexes.push_back(std::move(ix));
  }
  for (auto& c : desc.columns) c.unique = desc.uniqueKey({c.name}) != nullptr;
  return desc;
}

void addColumn(QueryInterface& qi, const std::string& table, const std::string& column,
               const sql::ColumnDef& def) {
  const auto& d = qi.dialect();
  // What ALTER TABLE ADD COLUMN refuses: see sqlite.org/lang_altertable.html.
  const auto* defaultNode = def.defaultValue.empty() ? nullptr : &def.defaultValue.node().v;
  bool nullDefault = !defaultNode || (std::holds_alternative<sql::Param>(*defaultNode) &&
                                      std::get<sql::Param>(*defaultNode).value.isNull());
  bool constantDefault = !defaultNode || std::holds_alternative<sql::Param>(*defaultNode);
  bool needsRebuild = def.primaryKey || def.unique || def.autoIncrement ||
                      (!def.allowNull && nullDefault) || (def.references && !nullDefault) ||
                      !constantDefault;
  LiveTable live = loadTable(qi, table);
  TableSql t = parseCreateTable(live.createSql);
  for (const auto& item : t.items)
    if (item.column && iequals(item.name, column))
      throw UsageError(fmt::format("table \"{}\" already has a column \"{}\"", table, column));
  Item item{true, column, {}, {}, {}};
  std::string rendered = detail::renderColumn(d, def, !hasTablePrimaryKey(t));
  item.text = trim(std::string_view(rendered).substr(quote(d, column).size()));
  if (!needsRebuild) {
    Access::run(qi, {"ALTER TABLE " + quote(d, table) + " ADD COLUMN " + rendered, {}});
    if (live.planned) {
      insertColumn(t, std::move(item));
      notePlanned(qi, table, renderCreateTable(d, table, t));
    }
    return;
  }
  std::vector<std::string> copy = columnNames(t);
  insertColumn(t, std::move(item));
  rebuild(qi, table, live, t, copy, keepAll);
}

void removeColumn(QueryInterface& qi, const std::string& table, const std::string& column) {
  const auto& d = qi.dialect();
  LiveTable live = loadTable(qi, table);
  TableSql t = parseCreateTable(live.createSql);
  std::size_t at = findColumn(t, table, column);
  std::string name = t.items[at].name;
  if (std::count_if(t.items.begin(), t.items.end(), [](const Item& i) { return i.column; }) == 1)
    throw UsageError(fmt::format(
        "cannot remove \"{}\": it is the only column of \"{}\" (drop the table instead)", column,
        table));
  const std::string& def = t.items[at].text;
  bool constrained = hasTopKeyword(def, "PRIMARY") || hasTopKeyword(def, "UNIQUE") ||
                     hasTopKeyword(def, "REFERENCES");
  for (std::size_t i = 0; i < t.items.size(); ++i)
    if (i != at && mentions(t.items[i].text, name)) constrained = true;
  for (const auto& object : live.objects)
    if (mentions(object, name)) constrained = true;
  if (!constrained) {
    Access::run(qi, {"ALTER TABLE " + quote(d, table) + " DROP COLUMN " + quote(d, name), {}});
    if (live.planned) {
      t.items.erase(t.items.begin() + static_cast<std::ptrdiff_t>(at));
      notePlanned(qi, table, renderCreateTable(d, table, t));
    }
    return;
  }
  // PostgreSQL drops the indexes and table constraints that involve the
  // column; do the same.
  t.items.erase(t.items.begin() + static_cast<std::ptrdiff_t>(at));
  std::erase_if(t.items, [&](const Item& i) { return !i.column && mentions(i.text, name); });
  std::vector<std::string> copy = columnNames(t);
  rebuild(qi, table, live, t, copy,
          [&](const std::string& object) { return !mentions(object, name); });
}

void changeColumn(QueryInterface& qi, const std::string& table, const std::string& column,
                  const sql::ColumnDef& spec) {
  const auto& d = qi.dialect();
  LiveTable live = loadTable(qi, table);
  TableSql t = parseCreateTable(live.createSql);
  std::size_t at = findColumn(t, table, column);
  Item& item = t.items[at];
  const std::string old = item.text;
  sql::ColumnDef def = spec;
  def.name = item.name;
  // changeColumn changes type, nullability and default; keys stay.
  if (hasTopKeyword(old, "PRIMARY")) {
    def.primaryKey = true;
    if (hasTopKeyword(old, "AUTOINCREMENT")) def.autoIncrement = true;
  }
  if (hasTopKeyword(old, "UNIQUE")) def.unique = true;
  std::string keptReferences;
  if (auto span = referencesSpan(old); span && !def.references)
    keptReferences = old.substr(span->first, span->second - span->first);
  std::string rendered = detail::renderColumn(d, def, !hasTablePrimaryKey(t));
  item.text = trim(std::string_view(rendered).substr(quote(d, item.name).size()));
  if (!keptReferences.empty()) item.text += " " + trim(keptReferences);
  std::vector<std::string> copy = columnNames(t);
  rebuild(qi, table, live, t, copy, keepAll);
}

void addConstraint(QueryInterface& qi, const std::string& table, const ConstraintOptions& c) {
  const auto& d = qi.dialect();
  LiveTable live = loadTable(qi, table);
  TableSql t = parseCreateTable(live.createSql);
  for (const auto& f : c.fields) findColumn(t, table, f);
  for (const auto& item : t.items)
    if (!item.column && iequals(item.name, c.name))
      throw UsageError(fmt::format("table \"{}\" already has a constraint \"{}\"", table, c.name));
  if (c.type == ConstraintType::PrimaryKey &&
      (hasTablePrimaryKey(t) || std::any_of(t.items.begin(), t.items.end(), [](const Item& i) {
         return i.column && hasTopKeyword(i.text, "PRIMARY");
       })))
    throw UsageError(fmt::format("table \"{}\" already has a primary key", table));
  Item item;
  item.name = c.name;
  item.kind = c.type == ConstraintType::Unique       ? "UNIQUE"
              : c.type == ConstraintType::Check      ? "CHECK"
              : c.type == ConstraintType::ForeignKey ? "FOREIGN"
                                                     : "PRIMARY";
  item.columns = c.fields;
  item.text = "CONSTRAINT " + quote(d, c.name) + " " + detail::constraintClause(d, c);
  t.items.push_back(std::move(item));
  std::vector<std::string> copy = columnNames(t);
  rebuild(qi, table, live, t, copy, keepAll);
}

void removeConstraint(QueryInterface& qi, const std::string& table, const std::string& name) {
  const auto& d = qi.dialect();
  LiveTable live = loadTable(qi, table);
  TableSql t = parseCreateTable(live.createSql);
  bool changed = false;
  for (auto it = t.items.begin(); it != t.items.end() && !changed; ++it) {
    Item& item = *it;
    if (!item.column) {
      std::string effective = item.name;
      if (effective.empty() && item.kind == "UNIQUE") effective = uniqueName(table, item.columns);
      if (effective.empty() && item.kind == "FOREIGN") effective = fkName(table, item.columns);
      if (effective.empty() && item.kind == "PRIMARY") effective = table + "_pkey";
      if (iequals(effective, name)) {
        t.items.erase(it);
        changed = true;
        break;
      }
      continue;
    }
    std::string uniqueEffective = columnConstraintName(item.text, "UNIQUE");
    if (uniqueEffective.empty()) uniqueEffective = uniqueName(table, {item.name});
    if (hasTopKeyword(item.text, "UNIQUE") && iequals(uniqueEffective, name)) {
      item.text = withoutUnique(item.text);
      changed = true;
      break;
    }
    std::string fkEffective = columnConstraintName(item.text, "REFERENCES");
    if (fkEffective.empty()) fkEffective = fkName(table, {item.name});
    if (auto span = referencesSpan(item.text); span && iequals(fkEffective, name)) {
      item.text = trim(item.text.substr(0, span->first) + " " + item.text.substr(span->second));
      changed = true;
      break;
    }
  }
  if (changed) {
    rebuild(qi, table, live, t, columnNames(t), keepAll);
    return;
  }
  // Sequelize also removes a unique index by this call.
  if (!live.planned) {
    ResultSet rs = Access::read(
        qi, {"SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name = ?",
             {table, name}});
    if (!rs.empty()) {
      Access::run(qi, {"DROP INDEX " + quote(d, name), {}});
      return;
    }
  }
  throw UsageError(fmt::format("table \"{}\" has no constraint \"{}\"", table, name));
}

}  // namespace sqlite_qi

namespace {

// SQLite's schema editor: PRAGMA introspection, and ALTER by table rebuild.
class SqliteEditor final : public SchemaEditor {
 public:
  std::vector<std::string> showAllTables(QueryInterface& qi) const override {
    return detail::firstColumn(QueryInterfaceAccess::read(
        qi, {"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
             "ESCAPE '\\' ORDER BY name",
             {}}));
  }
  TableDescription describeTable(QueryInterface& qi, const std::string& table) const override {
    return sqlite_qi::describeTable(qi, table);
  }
  void addColumn(QueryInterface& qi, const std::string& table, const std::string& column,
                 const sql::ColumnDef& def) const override {
    sqlite_qi::addColumn(qi, table, column, def);
  }
  void removeColumn(QueryInterface& qi, const std::string& table,
                    const std::string& column) const override {
    sqlite_qi::removeColumn(qi, table, column);
  }
  void changeColumn(QueryInterface& qi, const std::string& table, const std::string& column,
                    const sql::ColumnDef& def) const override {
    sqlite_qi::changeColumn(qi, table, column, def);
  }
  void addConstraint(QueryInterface& qi, const std::string& table,
                     const ConstraintOptions& c) const override {
    sqlite_qi::addConstraint(qi, table, c);
  }
  void removeConstraint(QueryInterface& qi, const std::string& table,
                        const std::string& name) const override {
    sqlite_qi::removeConstraint(qi, table, name);
  }
  void createdTable(QueryInterface& qi, const std::string& table,
                    std::string createSql) const override {
    sqlite_qi::notePlanned(qi, table, std::move(createSql));
  }
  // SQLite reads a double-quoted name that is no column as a string literal
  // and would index that constant, so unknown columns are caught here.
  void checkIndexColumns(QueryInterface& qi, const std::string& table,
                         const std::vector<std::string>& columns) const override {
    if (sqlite_qi::isPlanned(qi, table)) return;
    TableDescription desc = describeTable(qi, table);
    for (const auto& c : columns)
      if (!desc.hasColumn(c)) detail::noSuchColumn(table, c);
  }
};

}  // namespace

const SchemaEditor& sqliteSchemaEditor() {
  static const SqliteEditor editor;
  return editor;
}

}  // namespace junction::migrate

// SQLite's schema editor: describeTable from PRAGMAs, the table rebuild for
// whatever ALTER TABLE cannot do, and foreign-key enforcement around a
// migration (migrate::ForeignKeysOff).
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
#include "dialects/sqlite/schema_editor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

#include "dialects/sqlite/create_table_text.hpp"
#include "junction/errors.hpp"
#include "schema/ddl.hpp"

namespace junction::sqlite {

using schema::SchemaEditor;
using schema::SchemaSession;

namespace ops {
// Dry run: the CREATE TABLE text of a table the run created (a rebuild of it
// updates the record).
void notePlanned(SchemaSession& session, const std::string& table, std::string createSql);
}  // namespace ops

namespace {

using schema::quote;

// Effective names: explicit ones, else PostgreSQL's defaults, so
// removeConstraint takes the same names on both engines.
std::string uniqueName(const std::string& table, const std::vector<std::string>& cols) {
  return table + "_" + schema::joinUnderscore(cols) + "_key";
}
std::string fkName(const std::string& table, const std::vector<std::string>& cols) {
  return table + "_" + schema::joinUnderscore(cols) + "_fkey";
}

// ------------------------------------------------------------- reading

struct LiveTable {
  std::string createSql;
  std::vector<std::string> objects;  // CREATE INDEX / CREATE TRIGGER text, indexes first
  bool planned = false;              // dry run: created by this run, not in the database
};

std::optional<std::string> plannedSql(SchemaSession& session, const std::string& table) {
  for (const auto& [name, sql] : session.plannedTables())
    if (iequals(name, table)) return sql;
  return std::nullopt;
}

std::optional<std::string> tableSql(SchemaSession& session, const std::string& table) {
  ResultSet rs =
      session.read({"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", {table}});
  if (rs.empty()) return std::nullopt;
  return rs.at(0, 0).toString();
}

LiveTable loadTable(SchemaSession& session, const std::string& table) {
  LiveTable t;
  if (auto sql = tableSql(session, table)) {
    t.createSql = *sql;
  } else if (auto planned = plannedSql(session, table)) {
    t.createSql = *planned;
    t.planned = true;
    return t;
  } else {
    schema::noSuchTable(table);
  }
  ResultSet rs = session.read(
      {"SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND "
       "sql IS NOT NULL ORDER BY type, name",
       {table}});
  for (std::size_t r = 0; r < rs.size(); ++r) t.objects.push_back(rs.at(r, 0).toString());
  return t;
}

bool foreignKeysEnforced(SchemaSession& session) {
  ResultSet rs = session.read({"PRAGMA foreign_keys", {}});
  return !rs.empty() && rs.at(0, 0).as<std::int64_t>() != 0;
}

struct Referencing {
  std::string table, column, onDelete;
};

std::vector<Referencing> referencingTables(SchemaSession& session, const std::string& table) {
  ResultSet rs = session.read(
      {"SELECT m.name, f.\"from\", f.on_delete FROM sqlite_master m, "
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

void checkForeignKeys(SchemaSession& session, const std::vector<std::string>& tables) {
  for (const auto& t : tables) {
    ResultSet rs = session.read({"SELECT \"table\", rowid FROM pragma_foreign_key_check(?)", {t}});
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
void rebuild(SchemaSession& session, const std::string& table, const LiveTable& live,
             const TableSql& next, const std::vector<std::string>& copyColumns,
             const std::function<bool(const std::string&)>& keepObject) {
  const auto& d = session.dialect();
  std::string createSql = renderCreateTable(d, table, next);
  if (live.planned) {
    // Dry run of a table the run itself created: nothing to copy.
    session.run({"DROP TABLE " + quote(d, table), {}});
    session.run({createSql, {}});
    ops::notePlanned(session, table, createSql);
    return;
  }
  Connection& conn = session.connection();
  std::optional<OwnTransaction> own;
  if (!session.dryRun()) {
    own.emplace(conn);
    if (foreignKeysEnforced(session)) {
      for (const auto& ref : referencingTables(session, table)) {
        if (iequals(ref.onDelete, "NO ACTION")) continue;
        ResultSet rows = session.read({"SELECT 1 FROM " + quote(d, ref.table) + " WHERE " +
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
  if (!session.dryRun() && hasKeyword(createSql, "AUTOINCREMENT")) {
    ResultSet rs = session.read({"SELECT seq FROM sqlite_sequence WHERE name = ?", {Value(table)}});
    if (!rs.empty()) sequence = rs.at(0, 0).as<std::int64_t>();
  }
  std::string hold = quote(d, "junction_rebuild_" + table);
  std::string cols = schema::quoteList(d, copyColumns);
  session.run({"PRAGMA defer_foreign_keys = ON", {}});
  session.run({"DROP TABLE IF EXISTS temp." + hold, {}});
  session.run(
      {"CREATE TEMP TABLE " + hold + " AS SELECT " + cols + " FROM main." + quote(d, table), {}});
  session.run({"DROP TABLE main." + quote(d, table), {}});
  session.run({createSql, {}});
  session.run({"INSERT INTO main." + quote(d, table) + " (" + cols + ") SELECT " + cols +
                   " FROM temp." + hold,
               {}});
  session.run({"DROP TABLE temp." + hold, {}});
  if (sequence) {
    session.run({"UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = ?",
                 {Value(*sequence), Value(table)}});
    session.run(
        {"INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? WHERE NOT EXISTS "
         "(SELECT 1 FROM sqlite_sequence WHERE name = ?)",
         {Value(table), Value(*sequence), Value(table)}});
  }
  for (const auto& object : live.objects)
    if (keepObject(object)) session.run({object, {}});
  if (session.dryRun()) return;
  std::vector<std::string> check{table};
  for (const auto& ref : referencingTables(session, table)) check.push_back(ref.table);
  checkForeignKeys(session, check);
  own->commit();
}

std::size_t findColumn(const TableSql& t, const std::string& table, const std::string& column) {
  for (std::size_t i = 0; i < t.items.size(); ++i)
    if (t.items[i].column && iequals(t.items[i].name, column)) return i;
  schema::noSuchColumn(table, column);
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

namespace ops {

bool isPlanned(SchemaSession& session, const std::string& table) {
  return plannedSql(session, table).has_value() && !tableSql(session, table).has_value();
}

void notePlanned(SchemaSession& session, const std::string& table, std::string createSql) {
  auto& planned = session.plannedTables();
  for (auto& p : planned) {
    if (iequals(p.first, table)) {
      p.second = std::move(createSql);
      return;
    }
  }
  planned.emplace_back(table, std::move(createSql));
}

TableDescription describeTable(SchemaSession& session, const std::string& table) {
  auto sql = tableSql(session, table);
  if (!sql) schema::noSuchTable(table);
  TableSql parsed = parseCreateTable(*sql);
  bool autoIncrementTable = hasKeyword(*sql, "AUTOINCREMENT");
  TableDescription desc;
  desc.name = table;

  ResultSet cols = session.read(
      {"SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid",
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
      session.read({"SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM "
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

  ResultSet idx = session.read(
      {"SELECT name, \"unique\", origin FROM pragma_index_list(?) ORDER BY name", {table}});
  for (std::size_t r = 0; r < idx.size(); ++r) {
    IndexDescription ix;
    ix.name = idx.at(r, 0).toString();
    ix.unique = idx.at(r, 1).as<std::int64_t>() != 0;
    std::string origin = idx.at(r, 2).toString();
    ix.primary = origin == "pk";
    ix.constraint = origin != "c";
    ResultSet info =
        session.read({"SELECT name FROM pragma_index_info(?) ORDER BY seqno", {Value(ix.name)}});
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

void addColumn(SchemaSession& session, const std::string& table, const std::string& column,
               const sql::ColumnDef& def) {
  const auto& d = session.dialect();
  // What ALTER TABLE ADD COLUMN refuses: see sqlite.org/lang_altertable.html.
  const auto* defaultNode = def.defaultValue.empty() ? nullptr : &def.defaultValue.node().v;
  bool nullDefault = !defaultNode || (std::holds_alternative<sql::Param>(*defaultNode) &&
                                      std::get<sql::Param>(*defaultNode).value.isNull());
  bool constantDefault = !defaultNode || std::holds_alternative<sql::Param>(*defaultNode);
  bool needsRebuild = def.primaryKey || def.unique || def.autoIncrement ||
                      (!def.allowNull && nullDefault) || (def.references && !nullDefault) ||
                      !constantDefault;
  LiveTable live = loadTable(session, table);
  TableSql t = parseCreateTable(live.createSql);
  for (const auto& item : t.items)
    if (item.column && iequals(item.name, column))
      throw UsageError(fmt::format("table \"{}\" already has a column \"{}\"", table, column));
  Item item{true, column, {}, {}, {}};
  std::string rendered = schema::renderColumn(d, def, !hasTablePrimaryKey(t));
  item.text = trim(std::string_view(rendered).substr(quote(d, column).size()));
  if (!needsRebuild) {
    session.run({"ALTER TABLE " + quote(d, table) + " ADD COLUMN " + rendered, {}});
    if (live.planned) {
      insertColumn(t, std::move(item));
      notePlanned(session, table, renderCreateTable(d, table, t));
    }
    return;
  }
  std::vector<std::string> copy = columnNames(t);
  insertColumn(t, std::move(item));
  rebuild(session, table, live, t, copy, keepAll);
}

void removeColumn(SchemaSession& session, const std::string& table, const std::string& column) {
  const auto& d = session.dialect();
  LiveTable live = loadTable(session, table);
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
    session.run({"ALTER TABLE " + quote(d, table) + " DROP COLUMN " + quote(d, name), {}});
    if (live.planned) {
      t.items.erase(t.items.begin() + static_cast<std::ptrdiff_t>(at));
      notePlanned(session, table, renderCreateTable(d, table, t));
    }
    return;
  }
  // PostgreSQL drops the indexes and table constraints that involve the
  // column; do the same.
  t.items.erase(t.items.begin() + static_cast<std::ptrdiff_t>(at));
  std::erase_if(t.items, [&](const Item& i) { return !i.column && mentions(i.text, name); });
  std::vector<std::string> copy = columnNames(t);
  rebuild(session, table, live, t, copy,
          [&](const std::string& object) { return !mentions(object, name); });
}

void changeColumn(SchemaSession& session, const std::string& table, const std::string& column,
                  const sql::ColumnDef& spec) {
  const auto& d = session.dialect();
  LiveTable live = loadTable(session, table);
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
  std::string rendered = schema::renderColumn(d, def, !hasTablePrimaryKey(t));
  item.text = trim(std::string_view(rendered).substr(quote(d, item.name).size()));
  if (!keptReferences.empty()) item.text += " " + trim(keptReferences);
  std::vector<std::string> copy = columnNames(t);
  rebuild(session, table, live, t, copy, keepAll);
}

void addConstraint(SchemaSession& session, const std::string& table, const ConstraintOptions& c) {
  const auto& d = session.dialect();
  LiveTable live = loadTable(session, table);
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
  item.text = "CONSTRAINT " + quote(d, c.name) + " " + schema::constraintClause(d, c);
  t.items.push_back(std::move(item));
  std::vector<std::string> copy = columnNames(t);
  rebuild(session, table, live, t, copy, keepAll);
}

void removeConstraint(SchemaSession& session, const std::string& table, const std::string& name) {
  const auto& d = session.dialect();
  LiveTable live = loadTable(session, table);
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
    rebuild(session, table, live, t, columnNames(t), keepAll);
    return;
  }
  // Sequelize also removes a unique index by this call.
  if (!live.planned) {
    ResultSet rs = session.read(
        {"SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name = ?",
         {table, name}});
    if (!rs.empty()) {
      session.run({"DROP INDEX " + quote(d, name), {}});
      return;
    }
  }
  throw UsageError(fmt::format("table \"{}\" has no constraint \"{}\"", table, name));
}

}  // namespace ops

namespace {

// SQLite's schema editor: PRAGMA introspection, and ALTER by table rebuild.
class SqliteEditor final : public SchemaEditor {
 public:
  std::vector<std::string> showAllTables(SchemaSession& session) const override {
    return schema::firstColumn(session.read(
        {"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
         "ESCAPE '\\' ORDER BY name",
         {}}));
  }
  TableDescription describeTable(SchemaSession& session, const std::string& table) const override {
    return ops::describeTable(session, table);
  }
  void addColumn(SchemaSession& session, const std::string& table, const std::string& column,
                 const sql::ColumnDef& def) const override {
    ops::addColumn(session, table, column, def);
  }
  void removeColumn(SchemaSession& session, const std::string& table,
                    const std::string& column) const override {
    ops::removeColumn(session, table, column);
  }
  void changeColumn(SchemaSession& session, const std::string& table, const std::string& column,
                    const sql::ColumnDef& def) const override {
    ops::changeColumn(session, table, column, def);
  }
  void addConstraint(SchemaSession& session, const std::string& table,
                     const ConstraintOptions& c) const override {
    ops::addConstraint(session, table, c);
  }
  void removeConstraint(SchemaSession& session, const std::string& table,
                        const std::string& name) const override {
    ops::removeConstraint(session, table, name);
  }
  void createdTable(SchemaSession& session, const std::string& table,
                    std::string createSql) const override {
    ops::notePlanned(session, table, std::move(createSql));
  }
  // PRAGMA foreign_keys cannot change inside a transaction.
  bool suspendForeignKeys(Connection& conn) const override {
    if (conn.transactionDepth() != 0)
      throw UsageError(
          "ForeignKeysOff must be constructed outside a transaction: SQLite cannot switch "
          "foreign-key enforcement inside one");
    ResultSet rs = conn.query("PRAGMA foreign_keys");
    if (rs.empty() || rs.at(0, 0).as<std::int64_t>() == 0) return false;
    conn.execute("PRAGMA foreign_keys = OFF");
    return true;
  }
  void resumeForeignKeys(Connection& conn) const override {
    conn.execute("PRAGMA foreign_keys = ON");
  }
  void checkForeignKeys(Connection& conn) const override {
    ResultSet rs = conn.query("PRAGMA foreign_key_check");
    if (rs.empty()) return;
    std::string table = rs.at(0, 0).toString();
    throw ForeignKeyConstraintError(
        fmt::format("table \"{}\" has a row whose foreign key to \"{}\" has no match", table,
                    rs.at(0, 2).toString()),
        {}, {}, {}, table);
  }
  // SQLite reads a double-quoted name that is no column as a string literal
  // and would index that constant, so unknown columns are caught here.
  void checkIndexColumns(SchemaSession& session, const std::string& table,
                         const std::vector<std::string>& columns) const override {
    if (ops::isPlanned(session, table)) return;
    TableDescription desc = describeTable(session, table);
    for (const auto& c : columns)
      if (!desc.hasColumn(c)) schema::noSuchColumn(table, c);
  }
};

}  // namespace

const SchemaEditor& schemaEditor() {
  static const SqliteEditor editor;
  return editor;
}

}  // namespace junction::sqlite

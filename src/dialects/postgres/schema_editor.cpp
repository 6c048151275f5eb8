// PostgreSQL's schema editor: describeTable from pg_catalog (the current
// schema only) and ALTER TABLE for changeColumn / removeConstraint.
#include "dialects/postgres/schema_editor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "junction/errors.hpp"
#include "schema/ddl.hpp"

namespace junction::postgres {

using schema::SchemaEditor;
using schema::SchemaSession;

namespace {

using schema::quote;

// Lists come back joined by U+001F: catalog arrays have no portable decoding
// in the driver, and the unit separator cannot occur in a sane identifier.
std::vector<std::string> splitList(const Value& v) {
  std::vector<std::string> out;
  if (v.isNull()) return out;
  std::string s = v.toString();
  if (s.empty()) return out;
  std::size_t start = 0;
  for (;;) {
    std::size_t end = s.find('\x1f', start);
    out.push_back(s.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

std::string action(const std::string& code) {
  if (code == "c") return "CASCADE";
  if (code == "n") return "SET NULL";
  if (code == "d") return "SET DEFAULT";
  if (code == "r") return "RESTRICT";
  return "NO ACTION";
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  return s;
}

constexpr const char* kTableFilter =
    "JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = current_schema() AND "
    "t.relname = $1";

}  // namespace

namespace ops {

TableDescription describeTable(SchemaSession& session, const std::string& table) {
  ResultSet exists = session.read(
      {fmt::format("SELECT 1 FROM pg_class t {} AND t.relkind IN ('r', 'p')", kTableFilter),
       {table}});
  if (exists.empty()) schema::noSuchTable(table);
  TableDescription desc;
  desc.name = table;

  ResultSet cols = session.read(
      {fmt::format("SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), "
                   "a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity::text "
                   "FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid "
                   "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                   "{} AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                   kTableFilter),
       {table}});
  for (std::size_t r = 0; r < cols.size(); ++r) {
    ColumnDescription c;
    c.name = cols.at(r, 0).toString();
    c.type = upper(cols.at(r, 1).toString());
    c.allowNull = !cols.at(r, 2).as<bool>();
    if (!cols.at(r, 3).isNull()) c.defaultValue = cols.at(r, 3).toString();
    c.autoIncrement = (c.defaultValue && c.defaultValue->rfind("nextval(", 0) == 0) ||
                      !cols.at(r, 4).toString().empty();
    desc.columns.push_back(std::move(c));
  }

  constexpr const char* kSep = "chr(31)";
  ResultSet idx = session.read(
      {fmt::format(
           "SELECT i.relname::text, ix.indisunique, ix.indisprimary, "
           "EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid AND "
           "con.contype IN ('u', 'p')), "
           "array_to_string(ARRAY(SELECT a.attname::text FROM unnest(ix.indkey::int2[]) WITH "
           "ORDINALITY k(num, ord) JOIN pg_attribute a ON a.attrelid = ix.indrelid AND "
           "a.attnum = k.num ORDER BY k.ord), {}) "
           "FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid "
           "JOIN pg_class t ON t.oid = ix.indrelid {} ORDER BY i.relname",
           kSep, kTableFilter),
       {table}});
  for (std::size_t r = 0; r < idx.size(); ++r) {
    IndexDescription ix;
    ix.name = idx.at(r, 0).toString();
    ix.unique = idx.at(r, 1).as<bool>();
    ix.primary = idx.at(r, 2).as<bool>();
    ix.constraint = idx.at(r, 3).as<bool>();
    ix.columns = splitList(idx.at(r, 4));
    desc.indexes.push_back(std::move(ix));
  }

  ResultSet fks = session.read(
      {fmt::format("SELECT con.conname::text, ft.relname::text, "
                   "array_to_string(ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH "
                   "ORDINALITY k(num, ord) JOIN pg_attribute a ON a.attrelid = con.conrelid AND "
                   "a.attnum = k.num ORDER BY k.ord), {0}), "
                   "array_to_string(ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH "
                   "ORDINALITY k(num, ord) JOIN pg_attribute a ON a.attrelid = con.confrelid AND "
                   "a.attnum = k.num ORDER BY k.ord), {0}), "
                   "con.confdeltype::text, con.confupdtype::text "
                   "FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid "
                   "JOIN pg_class ft ON ft.oid = con.confrelid {1} AND con.contype = 'f' "
                   "ORDER BY con.conname",
                   kSep, kTableFilter),
       {table}});
  for (std::size_t r = 0; r < fks.size(); ++r) {
    ForeignKeyDescription fk;
    fk.name = fks.at(r, 0).toString();
    fk.referencedTable = fks.at(r, 1).toString();
    fk.columns = splitList(fks.at(r, 2));
    fk.referencedColumns = splitList(fks.at(r, 3));
    fk.onDelete = action(fks.at(r, 4).toString());
    fk.onUpdate = action(fks.at(r, 5).toString());
    desc.foreignKeys.push_back(std::move(fk));
  }

  for (auto& c : desc.columns) {
    c.unique = desc.uniqueKey({c.name}) != nullptr;
    c.primaryKey = std::any_of(desc.indexes.begin(), desc.indexes.end(), [&](const auto& ix) {
      return ix.primary &&
             std::find(ix.columns.begin(), ix.columns.end(), c.name) != ix.columns.end();
    });
  }
  return desc;
}

void changeColumn(SchemaSession& session, const std::string& table, const std::string& column,
                  const sql::ColumnDef& def) {
  const auto& d = session.dialect();
  TableDescription desc = describeTable(session, table);
  const ColumnDescription& current = desc.column(column);
  std::string c = quote(d, column);
  std::string type = d.columnType(def.type);
  std::vector<std::string> actions;
  // USING converts existing rows the way an explicit cast would.
  actions.push_back(fmt::format("ALTER COLUMN {0} TYPE {1} USING {0}::{1}", c, type));
  bool allowNull = def.allowNull && !current.primaryKey;
  actions.push_back(fmt::format("ALTER COLUMN {} {} NOT NULL", c, allowNull ? "DROP" : "SET"));
  if (def.autoIncrement) {
    if (!current.autoIncrement)
      throw UsageError(fmt::format(
          "changeColumn \"{}\".\"{}\": PostgreSQL cannot make an existing column auto-increment",
          table, column));
  } else if (def.defaultValue.empty()) {
    actions.push_back(fmt::format("ALTER COLUMN {} DROP DEFAULT", c));
  } else {
    // The dialect renders the DEFAULT clause; take it from a column definition.
    sql::ColumnDef only;
    only.name = column;
    only.type = def.type;
    only.defaultValue = def.defaultValue;
    std::string rendered = schema::renderColumn(d, only, false);
    auto at = rendered.find(" DEFAULT ");
    actions.push_back(fmt::format("ALTER COLUMN {} SET DEFAULT {}", c, rendered.substr(at + 9)));
  }
  if (def.type.kind == sql::ColumnType::Kind::Enum)
    throw UsageError(fmt::format(
        "changeColumn \"{}\".\"{}\": use addConstraint with a check for an ENUM's values", table,
        column));
  if (def.primaryKey && !current.primaryKey)
    actions.push_back(
        fmt::format("ADD CONSTRAINT {} PRIMARY KEY ({})", quote(d, table + "_pkey"), c));
  if (def.unique && !desc.uniqueKey({column}))
    actions.push_back(
        fmt::format("ADD CONSTRAINT {} UNIQUE ({})", quote(d, table + "_" + column + "_key"), c));
  if (def.references && !desc.foreignKey(column)) {
    ConstraintOptions fk{
        .type = ConstraintType::ForeignKey,
        .fields = {column},
        .references = ConstraintReference{def.references->table, def.references->column},
        .onDelete = def.references->onDelete,
        .onUpdate = def.references->onUpdate};
    actions.push_back(fmt::format("ADD CONSTRAINT {} {}", quote(d, table + "_" + column + "_fkey"),
                                  schema::constraintClause(d, fk)));
  }
  std::string sql = "ALTER TABLE " + quote(d, table);
  for (std::size_t i = 0; i < actions.size(); ++i) sql += (i ? ", " : " ") + actions[i];
  session.run({sql, {}});
}

void removeConstraint(SchemaSession& session, const std::string& table, const std::string& name) {
  const auto& d = session.dialect();
  ResultSet rs = session.read(
      {fmt::format("SELECT 1 FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid "
                   "{} AND con.conname = $2",
                   kTableFilter),
       {table, name}});
  if (!rs.empty()) {
    session.run({"ALTER TABLE " + quote(d, table) + " DROP CONSTRAINT " + quote(d, name), {}});
    return;
  }
  // Sequelize also removes a unique index by this call.
  ResultSet ix =
      session.read({fmt::format("SELECT 1 FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                                "JOIN pg_class t ON t.oid = x.indrelid {} AND i.relname = $2",
                                kTableFilter),
                    {table, name}});
  if (!ix.empty()) {
    session.run({"DROP INDEX " + quote(d, name), {}});
    return;
  }
  throw UsageError(fmt::format("table \"{}\" has no constraint \"{}\"", table, name));
}

}  // namespace ops

namespace {

// The information_schema editor (PostgreSQL): plain ALTER TABLE.
class InformationSchemaEditor final : public SchemaEditor {
 public:
  std::vector<std::string> showAllTables(SchemaSession& session) const override {
    return schema::firstColumn(
        session.read({"SELECT table_name::text FROM information_schema.tables WHERE table_schema = "
                      "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
                      {}}));
  }
  TableDescription describeTable(SchemaSession& session, const std::string& table) const override {
    return ops::describeTable(session, table);
  }
  void changeColumn(SchemaSession& session, const std::string& table, const std::string& column,
                    const sql::ColumnDef& def) const override {
    ops::changeColumn(session, table, column, def);
  }
  void removeConstraint(SchemaSession& session, const std::string& table,
                        const std::string& name) const override {
    ops::removeConstraint(session, table, name);
  }
};

}  // namespace

const SchemaEditor& schemaEditor() {
  static const InformationSchemaEditor editor;
  return editor;
}

}  // namespace junction::postgres

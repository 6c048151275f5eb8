// The engine-neutral half of the QueryInterface: argument checks, column
// specs, statements both engines share, DML and raw SQL. Engine-specific
// operations live in query_interface_sqlite.cpp / query_interface_postgres.cpp.
#include "junction/migrate/query_interface.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "junction/dialects.hpp"
#include "junction/errors.hpp"
#include "migrate/qi_internal.hpp"
#include "schema/ddl.hpp"
#include "schema/editor.hpp"

namespace junction::migrate {

namespace detail {

sql::ColumnDef toColumnDef(const std::string& table, const std::string& column,
                           const Column& spec) {
  if (spec.modelOnlyOption() == "field()")
    throw UsageError(fmt::format(
        "column \"{}\" of table \"{}\": field() has no meaning in a migration; name the column "
        "itself",
        column, table));
  if (!spec.modelOnlyOption().empty())
    throw UsageError(
        fmt::format("column \"{}\" of table \"{}\": {} belong to models, not migrations", column,
                    table, spec.modelOnlyOption()));
  sql::ColumnDef def;
  def.name = column;
  def.type = spec.type();
  def.primaryKey = spec.isPrimaryKey();
  def.autoIncrement = spec.isAutoIncrement();
  def.allowNull = spec.allowNullOption().value_or(!spec.isPrimaryKey());
  def.unique = spec.isUnique() && spec.uniqueKey().empty();
  if (spec.defaultValueOption()) {
    def.defaultValue = sql::val(*spec.defaultValueOption());
  } else if (spec.defaultFn()) {
    if (*spec.defaultFn() == DefaultFn::UuidV4)
      throw UsageError(fmt::format(
          "column \"{}\" of table \"{}\": UUIDV4 is computed by models; SQL has no portable "
          "default for it",
          column, table));
    def.defaultValue = sql::literal(
        def.type.kind == sql::ColumnType::Kind::DateOnly ? "CURRENT_DATE" : "CURRENT_TIMESTAMP");
  }
  def.references = spec.referencesOption();
  return def;
}

}  // namespace detail

std::string formatStatement(const sql::Compiled& statement) {
  std::string out = statement.sql;
  while (!out.empty() &&
         (std::isspace(static_cast<unsigned char>(out.back())) || out.back() == ';'))
    out.pop_back();
  out += ';';
  if (statement.params.empty()) return out;
  out += " -- [";
  bool first = true;
  for (const auto& p : statement.params) {
    if (!first) out += ", ";
    first = false;
    if (p.isNull()) {
      out += "NULL";
    } else if (p.type() == ValueType::Text || p.type() == ValueType::Timestamp ||
               p.type() == ValueType::Date || p.type() == ValueType::Json) {
      out += '\'';
      for (char ch : p.toString()) {
        if (ch == '\'') out += '\'';
        out += ch;
      }
      out += '\'';
    } else {
      out += p.toString();
    }
  }
  out += ']';
  return out;
}

// ------------------------------------------------------------ the editor

namespace {

// The QueryInterface as its engine's schema editor sees it.
class Session final : public schema::SchemaSession {
 public:
  explicit Session(QueryInterface& qi) : qi_(qi) {}
  const sql::Dialect& dialect() const noexcept override { return qi_.dialect(); }
  Connection& connection() const noexcept override { return qi_.connection(); }
  bool dryRun() const noexcept override { return qi_.dryRun(); }
  std::int64_t run(const sql::Compiled& c) override { return QueryInterfaceAccess::run(qi_, c); }
  ResultSet read(const sql::Compiled& c) override { return QueryInterfaceAccess::read(qi_, c); }
  std::vector<std::pair<std::string, std::string>>& plannedTables() override {
    return QueryInterfaceAccess::planned(qi_);
  }

 private:
  QueryInterface& qi_;
};

// The editor the dialect's engine registered (src/dialects/builtin.cpp).
const schema::SchemaEditor& editorOf(const sql::Dialect& d) {
  registerBuiltinDialects();
  return schema::schemaEditorFor(d);
}

}  // namespace

// ------------------------------------------------------------ ForeignKeysOff

ForeignKeysOff::ForeignKeysOff(Connection& conn) : conn_(conn) {
  restore_ = editorOf(conn_.dialect()).suspendForeignKeys(conn_);
}

ForeignKeysOff::~ForeignKeysOff() {
  if (!restore_) return;
  try {
    editorOf(conn_.dialect()).resumeForeignKeys(conn_);
  } catch (...) {
    // A broken connection is discarded by its owner; nothing to restore.
  }
}

void ForeignKeysOff::check() {
  editorOf(conn_.dialect()).checkForeignKeys(conn_);
}

// ------------------------------------------------------------ QueryInterface

QueryInterface::QueryInterface(Connection& conn, StatementSink onStatement, Mode mode)
    : conn_(conn), sink_(std::move(onStatement)), mode_(mode) {}

const sql::Dialect& QueryInterface::dialect() const noexcept {
  return conn_.dialect();
}

std::int64_t QueryInterface::run(const sql::Compiled& statement) {
  if (sink_) sink_(statement);
  if (mode_ == Mode::DryRun) return 0;
  return conn_.query(statement).rowsAffected;
}

ResultSet QueryInterface::read(const sql::Compiled& statement) {
  return conn_.query(statement);
}

void QueryInterface::createTable(const std::string& table, const ColumnSpecs& columns,
                                 const CreateTableOptions& options) {
  const auto& d = dialect();
  schema::checkName(d, "table", table);
  if (columns.empty()) throw UsageError(fmt::format("createTable \"{}\": no columns given", table));
  sql::CreateTable stmt;
  stmt.name = table;
  stmt.ifNotExists = options.ifNotExists;
  // Composite keys in first-seen order, so the DDL is deterministic.
  std::vector<std::string> keyOrder;
  std::map<std::string, std::vector<std::string>> keys;
  for (const auto& [name, spec] : columns) {
    schema::checkName(d, "column", name);
    stmt.columns.push_back(detail::toColumnDef(table, name, spec));
    if (spec.isUnique() && !spec.uniqueKey().empty()) {
      auto& cols = keys[spec.uniqueKey()];
      if (cols.empty()) keyOrder.push_back(spec.uniqueKey());
      cols.push_back(name);
    }
  }
  for (const auto& key : keyOrder) stmt.uniques.push_back({key, keys[key]});
  for (const auto& u : options.uniqueKeys) {
    if (u.columns.empty())
      throw UsageError(fmt::format("createTable \"{}\": a unique key needs columns", table));
    stmt.uniques.push_back(u);
  }
  sql::Compiled c = sql::compile(d, stmt);
  run(c);
  if (dryRun()) {
    Session session(*this);
    editorOf(d).createdTable(session, table, c.sql);
  }
}

void QueryInterface::dropTable(const std::string& table, const DropTableOptions& options) {
  schema::checkName(dialect(), "table", table);
  run(sql::compile(dialect(), sql::DropTable{table, options.ifExists, options.cascade}));
  std::erase_if(plannedTables_, [&](const auto& p) { return p.first == table; });
}

void QueryInterface::renameTable(const std::string& from, const std::string& to) {
  const auto& d = dialect();
  schema::checkName(d, "table", from);
  schema::checkName(d, "table", to);
  run({"ALTER TABLE " + schema::quote(d, from) + " RENAME TO " + schema::quote(d, to), {}});
  for (auto& p : plannedTables_)
    if (p.first == from) p.first = to;
}

std::vector<std::string> QueryInterface::showAllTables() {
  Session session(*this);
  return editorOf(dialect()).showAllTables(session);
}

TableDescription QueryInterface::describeTable(const std::string& table) {
  schema::checkName(dialect(), "table", table);
  Session session(*this);
  return editorOf(dialect()).describeTable(session, table);
}

void QueryInterface::addColumn(const std::string& table, const std::string& column,
                               const Column& spec) {
  const auto& d = dialect();
  schema::checkName(d, "table", table);
  schema::checkName(d, "column", column);
  sql::ColumnDef def = detail::toColumnDef(table, column, spec);
  if (spec.isUnique()) def.unique = true;  // a named key of one column is still a unique column
  Session session(*this);
  editorOf(d).addColumn(session, table, column, def);
}

void QueryInterface::removeColumn(const std::string& table, const std::string& column) {
  const auto& d = dialect();
  schema::checkName(d, "table", table);
  schema::checkName(d, "column", column);
  Session session(*this);
  editorOf(d).removeColumn(session, table, column);
}

void QueryInterface::changeColumn(const std::string& table, const std::string& column,
                                  const Column& spec) {
  const auto& d = dialect();
  schema::checkName(d, "table", table);
  schema::checkName(d, "column", column);
  sql::ColumnDef def = detail::toColumnDef(table, column, spec);
  if (spec.isUnique()) def.unique = true;
  Session session(*this);
  editorOf(d).changeColumn(session, table, column, def);
}

void QueryInterface::renameColumn(const std::string& table, const std::string& from,
                                  const std::string& to) {
  const auto& d = dialect();
  schema::checkName(d, "table", table);
  schema::checkName(d, "column", from);
  schema::checkName(d, "column", to);
  run({"ALTER TABLE " + schema::quote(d, table) + " RENAME COLUMN " + schema::quote(d, from) +
           " TO " + schema::quote(d, to),
       {}});
}

void QueryInterface::addIndex(const std::string& table, const std::vector<std::string>& columns,
                              const IndexOptions& options) {
  const auto& d = dialect();
  schema::checkName(d, "table", table);
  if (columns.empty()) throw UsageError(fmt::format("addIndex on \"{}\": no columns given", table));
  for (const auto& c : columns) schema::checkName(d, "column", c);
  std::string name =
      options.name.empty() ? table + "_" + schema::joinUnderscore(columns) : options.name;
  schema::checkName(d, "index", name);
  Session session(*this);
  editorOf(d).checkIndexColumns(session, table, columns);
  run(sql::compile(d, sql::CreateIndex{name, table, columns, options.unique, false}));
}

void QueryInterface::removeIndex(const std::string& table, const std::string& name) {
  const auto& d = dialect();
  schema::checkName(d, "table", table);
  schema::checkName(d, "index", name);
  run({"DROP INDEX " + schema::quote(d, name), {}});
}

void QueryInterface::removeIndex(const std::string& table,
                                 const std::vector<std::string>& columns) {
  if (columns.empty())
    throw UsageError(fmt::format("removeIndex on \"{}\": no columns given", table));
  TableDescription desc = describeTable(table);
  for (const auto& ix : desc.indexes) {
    if (ix.columns == columns && !ix.primary && !ix.constraint) {
      run({"DROP INDEX " + schema::quote(dialect(), ix.name), {}});
      return;
    }
  }
  throw UsageError(fmt::format("table \"{}\" has no index on ({})", table,
                               fmt::join(columns.begin(), columns.end(), ", ")));
}

void QueryInterface::addConstraint(const std::string& table, const ConstraintOptions& options) {
  const auto& d = dialect();
  schema::checkName(d, "table", table);
  schema::checkConstraint(table, options);
  for (const auto& f : options.fields) schema::checkName(d, "column", f);
  std::string name = schema::constraintName(table, options);
  schema::checkName(d, "constraint", name);
  ConstraintOptions named = options;
  named.name = name;
  Session session(*this);
  editorOf(d).addConstraint(session, table, named);
}

void QueryInterface::removeConstraint(const std::string& table, const std::string& name) {
  const auto& d = dialect();
  schema::checkName(d, "table", table);
  schema::checkName(d, "constraint", name);
  Session session(*this);
  editorOf(d).removeConstraint(session, table, name);
}

std::int64_t QueryInterface::bulkInsert(const std::string& table, const std::vector<Row>& rows) {
  const auto& d = dialect();
  schema::checkName(d, "table", table);
  if (rows.empty()) return 0;
  std::vector<std::string> columns;
  for (const auto& [name, value] : rows.front()) {
    schema::checkName(d, "column", name);
    columns.push_back(name);
  }
  if (columns.empty())
    throw UsageError(fmt::format("bulkInsert into \"{}\": a row has no columns", table));
  std::size_t perChunk = std::max<std::size_t>(1, d.capabilities().maxParams / columns.size());
  std::int64_t inserted = 0;
  for (std::size_t start = 0; start < rows.size(); start += perChunk) {
    sql::Insert ins;
    ins.table = table;
    ins.columns = columns;
    std::size_t end = std::min(rows.size(), start + perChunk);
    for (std::size_t r = start; r < end; ++r) {
      const Row& row = rows[r];
      // Rows may list their columns in any order, but all must name the same set.
      if (row.size() != columns.size())
        throw UsageError(
            fmt::format("bulkInsert into \"{}\": row {} has {} columns, the first row has {}",
                        table, r, row.size(), columns.size()));
      std::vector<sql::Expr> exprs;
      exprs.reserve(columns.size());
      for (const auto& column : columns) {
        auto it = std::find_if(row.begin(), row.end(),
                               [&](const auto& cell) { return cell.first == column; });
        if (it == row.end())
          throw UsageError(fmt::format("bulkInsert into \"{}\": row {} has no value for \"{}\"",
                                       table, r, column));
        exprs.push_back(sql::val(it->second));
      }
      ins.rows.push_back(std::move(exprs));
    }
    inserted += run(sql::compile(d, ins));
  }
  return inserted;
}

std::int64_t QueryInterface::bulkUpdate(const std::string& table, const Row& values,
                                        const sql::Expr& where) {
  const auto& d = dialect();
  schema::checkName(d, "table", table);
  if (values.empty()) throw UsageError(fmt::format("bulkUpdate of \"{}\": no values given", table));
  sql::Update up;
  up.table = table;
  for (const auto& [column, value] : values) {
    schema::checkName(d, "column", column);
    up.set.emplace_back(column, sql::val(value));
  }
  up.where = where;
  return run(sql::compile(d, up));
}

std::int64_t QueryInterface::bulkDelete(const std::string& table, const sql::Expr& where) {
  schema::checkName(dialect(), "table", table);
  sql::Delete del;
  del.table = table;
  del.where = where;
  return run(sql::compile(dialect(), del));
}

ResultSet QueryInterface::query(std::string_view sql, std::vector<Value> params) {
  sql::Compiled c{std::string(sql), std::move(params)};
  if (sink_) sink_(c);
  if (dryRun()) return {};
  return conn_.query(c);
}

void QueryInterface::execute(std::string_view script) {
  if (sink_) sink_({std::string(script), {}});
  if (dryRun()) return;
  conn_.execute(script);
}

}  // namespace junction::migrate

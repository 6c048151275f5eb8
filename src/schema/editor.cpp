// The schema editors' registry and the ALTER TABLE statements most engines share.
#include "schema/editor.hpp"

#include <fmt/format.h>

#include <mutex>

#include "junction/errors.hpp"
#include "schema/ddl.hpp"

namespace junction::schema {

namespace {

struct Registry {
  std::mutex mutex;
  std::vector<std::pair<const sql::Dialect*, const SchemaEditor*>> editors;
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

void registerSchemaEditor(const sql::Dialect& dialect, const SchemaEditor& editor) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  for (auto& [d, e] : r.editors) {
    if (d == &dialect) {
      e = &editor;
      return;
    }
  }
  r.editors.emplace_back(&dialect, &editor);
}

const SchemaEditor& schemaEditorFor(const sql::Dialect& dialect) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  for (const auto& [d, e] : r.editors)
    if (d == &dialect) return *e;
  throw UsageError(
      fmt::format("no schema editor is registered for the {} dialect", dialect.name()));
}

void SchemaEditor::addColumn(SchemaSession& s, const std::string& table,
                             const std::string& /*column*/, const sql::ColumnDef& def) const {
  const auto& d = s.dialect();
  s.run({"ALTER TABLE " + quote(d, table) + " ADD COLUMN " + renderColumn(d, def, true), {}});
}

void SchemaEditor::removeColumn(SchemaSession& s, const std::string& table,
                                const std::string& column) const {
  const auto& d = s.dialect();
  s.run({"ALTER TABLE " + quote(d, table) + " DROP COLUMN " + quote(d, column), {}});
}

void SchemaEditor::addConstraint(SchemaSession& s, const std::string& table,
                                 const ConstraintOptions& c) const {
  const auto& d = s.dialect();
  s.run({"ALTER TABLE " + quote(d, table) + " ADD CONSTRAINT " + quote(d, c.name) + " " +
             constraintClause(d, c),
         {}});
}

void SchemaEditor::createdTable(SchemaSession&, const std::string&, std::string) const {}

void SchemaEditor::checkIndexColumns(SchemaSession&, const std::string&,
                                     const std::vector<std::string>&) const {}

bool SchemaEditor::suspendForeignKeys(Connection&) const {
  return false;
}

void SchemaEditor::resumeForeignKeys(Connection&) const {}

void SchemaEditor::checkForeignKeys(Connection&) const {}

}  // namespace junction::schema

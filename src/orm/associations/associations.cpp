// Defining associations: Sequelize's default names and foreign keys, the
// foreign-key attributes added to the model that holds them, and the
// junction model of a belongsToMany.
#include "junction/associations.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "orm/internal.hpp"

namespace junction {

namespace {

std::string lowerFirst(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

// Sequelize's camelize([name, key].join('_')): "user" + "id" → "userId".
std::string camelKey(const std::string& name, const std::string& key) {
  std::string k = key;
  if (!k.empty()) k[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(k[0])));
  return name + k;
}

// The singular of an association name ("marked_notes" → "marked_note").
std::string singularize(const std::string& word) {
  auto ends = [&](std::string_view s) {
    return word.size() >= s.size() && word.compare(word.size() - s.size(), s.size(), s) == 0;
  };
  if (ends("people")) return word.substr(0, word.size() - 6) + "person";
  if (ends("ies") && word.size() > 3) return word.substr(0, word.size() - 3) + "y";
  if (ends("sses") || ends("xes") || ends("ches") || ends("shes") || ends("uses"))
    return word.substr(0, word.size() - 2);
  if (ends("s") && !ends("ss")) return word.substr(0, word.size() - 1);
  return word;
}

const AttributeDef* referencing(const Model& m, const Model& table, const std::string& skip) {
  const AttributeDef* found = nullptr;
  for (const auto& a : m.attributes()) {
    const auto& r = a.spec.referencesOption();
    if (!r || r->table != table.tableName() || a.name == skip) continue;
    if (found) return nullptr;  // ambiguous: two attributes reference that table
    found = &a;
  }
  return found;
}

}  // namespace

// The one place that mutates models after definition.
struct AssociationBuilder {
  static void ensureForeignKey(Model& holder, const std::string& name, const Model& referenced,
                               const std::string& referencedKey, bool allowNull,
                               const std::string& onDelete, const std::string& onUpdate,
                               bool constraints, const std::string& uniqueKey = {}) {
    if (holder.attributeIndex(name)) {
      if (!uniqueKey.empty()) {
        auto& def = holder.attributes_[holder.requireIndex(name)];
        def.spec = def.spec.unique(uniqueKey);
      }
      return;
    }
    const AttributeDef& key = referenced.attribute(referencedKey);
    sql::ColumnType t = key.spec.type();
    Attribute spec(t);
    spec = spec.allowNull(allowNull);
    if (constraints) {
      spec = spec.references(referenced.tableName(), key.column);
      spec = spec.onDelete(!onDelete.empty() ? onDelete : (allowNull ? "SET NULL" : "CASCADE"));
      spec = spec.onUpdate(!onUpdate.empty() ? onUpdate : "CASCADE");
    }
    if (!uniqueKey.empty()) spec = spec.unique(uniqueKey);
    holder.addAttribute(name, spec);
  }
};

void Model::addAttribute(std::string name, Attribute spec) {
  AttributeDef def;
  def.column = !spec.fieldName().empty() ? spec.fieldName()
               : options_.underscored    ? underscore(name)
                                         : name;
  for (const auto& a : attributes_)
    if (a.column == def.column)
      throw AssociationError(
          fmt::format("model {}: column \"{}\" already exists", name_, def.column));
  def.name = std::move(name);
  def.allowNull = spec.allowNullOption().value_or(true);
  def.spec = std::move(spec);
  // Keep timestamps last, where Sequelize shows them.
  auto pos = attributes_.end();
  while (pos != attributes_.begin() && std::prev(pos)->isTimestamp) --pos;
  attributes_.insert(pos, std::move(def));
  attributesChanged();
}

Association& Model::addAssociation(Association a, bool aliasGiven) {
  if (a.as.empty())
    throw AssociationError(fmt::format("model {}: an association needs a name", name_));
  if (findAssociation(a.as))
    throw AssociationError(
        fmt::format("model {} already has an association named \"{}\"", name_, a.as));
  if (attributeIndex(a.as))
    throw AssociationError(
        fmt::format("model {}: association \"{}\" collides with the attribute of that name; choose "
                    "another `as`",
                    name_, a.as));
  associations_.push_back({std::make_unique<Association>(std::move(a)), aliasGiven});
  return *associations_.back().a;
}

const Association* Model::findAssociation(std::string_view as) const noexcept {
  for (const auto& o : associations_)
    if (o.a->as == as) return o.a.get();
  return nullptr;
}

const Association& Model::association(std::string_view as) const {
  if (const Association* a = findAssociation(as)) return *a;
  throw AssociationError(fmt::format("model {} has no association named \"{}\"", name_, as));
}

std::vector<const Association*> Model::associations() const {
  std::vector<const Association*> out;
  for (const auto& o : associations_) out.push_back(o.a.get());
  return out;
}

bool detail::aliasWasGiven(const Model& m, const Association& a) {
  for (const auto& o : m.associations_)
    if (o.a.get() == &a) return o.aliasGiven;
  return false;
}

const Association& Model::belongsTo(const Model& target, AssociationOptions o) {
  Association a;
  a.type = AssociationType::BelongsTo;
  a.source = this;
  a.target = &target;
  bool given = !o.as.empty();
  a.as = given ? o.as : lowerFirst(target.name());
  a.targetKey = o.targetKey.empty() ? target.primaryKey() : o.targetKey;
  target.requireIndex(a.targetKey);
  a.foreignKey = o.foreignKey.empty() ? camelKey(a.as, a.targetKey) : o.foreignKey;
  if (a.foreignKey == a.as)
    throw AssociationError(
        fmt::format("model {}: foreign key and association are both named \"{}\"", name_, a.as));
  AssociationBuilder::ensureForeignKey(*this, a.foreignKey, target, a.targetKey, true, o.onDelete,
                                       o.onUpdate, o.constraints);
  return addAssociation(std::move(a), given);
}

namespace {
Association hasSomething(Model& source, const Model& target, const AssociationOptions& o,
                         AssociationType type, std::string defaultAs) {
  Association a;
  a.type = type;
  a.source = &source;
  a.target = &target;
  a.as = o.as.empty() ? std::move(defaultAs) : o.as;
  a.sourceKey = o.sourceKey.empty() ? source.primaryKey() : o.sourceKey;
  source.requireIndex(a.sourceKey);
  a.foreignKey =
      o.foreignKey.empty() ? camelKey(lowerFirst(source.name()), a.sourceKey) : o.foreignKey;
  return a;
}
}  // namespace

const Association& Model::hasOne(const Model& target, AssociationOptions o) {
  Association a =
      hasSomething(*this, target, o, AssociationType::HasOne, lowerFirst(target.name()));
  AssociationBuilder::ensureForeignKey(const_cast<Model&>(target), a.foreignKey, *this, a.sourceKey,
                                       true, o.onDelete, o.onUpdate, o.constraints);
  return addAssociation(std::move(a), !o.as.empty());
}

const Association& Model::hasMany(const Model& target, AssociationOptions o) {
  Association a = hasSomething(*this, target, o, AssociationType::HasMany,
                               pluralize(lowerFirst(target.name())));
  AssociationBuilder::ensureForeignKey(const_cast<Model&>(target), a.foreignKey, *this, a.sourceKey,
                                       true, o.onDelete, o.onUpdate, o.constraints);
  return addAssociation(std::move(a), !o.as.empty());
}

const Association& Model::belongsToMany(const Model& target, BelongsToManyOptions o) {
  const bool selfRef = &target == this;
  Association a;
  a.type = AssociationType::BelongsToMany;
  a.source = this;
  a.target = &target;
  bool given = !o.as.empty();
  a.as = given ? o.as : pluralize(lowerFirst(target.name()));
  a.sourceKey = o.sourceKey.empty() ? primaryKey() : o.sourceKey;
  a.targetKey = o.targetKey.empty() ? target.primaryKey() : o.targetKey;
  requireIndex(a.sourceKey);
  target.requireIndex(a.targetKey);
  a.throughUnique = o.through.unique();

  // The junction model: given, already defined under that name, or created.
  Model* through = const_cast<Model*>(o.through.model());
  if (!through) {
    if (o.through.name().empty())
      throw AssociationError(
          fmt::format("{}.belongsToMany({}): `through` is required", name_, target.name()));
    if (db_->isDefined(o.through.name())) {
      through = &db_->model(o.through.name());
    } else {
      // Sequelize's generated junction: the two keys and timestamps; the
      // table is named exactly as given.
      through = &db_->define(o.through.name(), {},
                             {.underscored = options_.underscored, .tableName = o.through.name()});
      // No surrogate id: the pair of keys is the primary key (below).
      auto& attrs = through->attributes_;
      attrs.erase(std::remove_if(attrs.begin(), attrs.end(),
                                 [](const AttributeDef& d) { return d.name == "id"; }),
                  attrs.end());
      through->primaryKeys_.clear();
      through->primaryKey_.clear();
    }
  }
  a.through = through;

  // Keys: explicit; else attributes of the junction that reference each
  // table; else named after the inverse/association (with `inverse`) or
  // after the models (Sequelize 6).
  auto fromInverse = !o.inverse.as.empty();
  if (!o.foreignKey.empty()) {
    a.foreignKey = o.foreignKey;
  } else if (const AttributeDef* r = selfRef ? nullptr : referencing(*through, *this, o.otherKey)) {
    a.foreignKey = r->name;
  } else {
    a.foreignKey =
        camelKey(fromInverse ? singularize(o.inverse.as) : lowerFirst(name_), a.sourceKey);
  }
  if (!o.otherKey.empty()) {
    a.otherKey = o.otherKey;
  } else if (const AttributeDef* r = referencing(*through, target, a.foreignKey)) {
    a.otherKey = r->name;
  } else {
    a.otherKey = camelKey(fromInverse ? singularize(a.as) : lowerFirst(target.name()), a.targetKey);
  }
  if (a.foreignKey == a.otherKey)
    throw AssociationError(
        fmt::format("{}.belongsToMany({}) as \"{}\": both junction keys would be \"{}\"; give "
                    "foreignKey and otherKey",
                    name_, target.name(), a.as, a.foreignKey));

  std::string uniqueKey = a.throughUnique ? fmt::format("{}_{}_{}_unique", through->tableName(),
                                                        a.foreignKey, a.otherKey)
                                          : "";
  AssociationBuilder::ensureForeignKey(*through, a.foreignKey, *this, a.sourceKey, false,
                                       o.onDelete, o.onUpdate, o.constraints, uniqueKey);
  AssociationBuilder::ensureForeignKey(*through, a.otherKey, target, a.targetKey, false, o.onDelete,
                                       o.onUpdate, o.constraints, uniqueKey);
  if (through->primaryKeys_.empty()) {
    // A generated junction's key is the pair (Sequelize's composite key).
    for (auto* k : {&a.foreignKey, &a.otherKey}) {
      auto& def = through->attributes_[through->requireIndex(*k)];
      def.spec = def.spec.primaryKey();
      def.allowNull = false;
      through->primaryKeys_.push_back(*k);
    }
    through->primaryKey_ = through->primaryKeys_.front();
  }

  const Association& result = addAssociation(a, given);

  if (fromInverse) {
    BelongsToManyOptions inv;
    inv.through = Through(*through, o.through.unique());
    inv.as = o.inverse.as;
    inv.foreignKey = a.otherKey;
    inv.otherKey = a.foreignKey;
    inv.sourceKey = a.targetKey;
    inv.targetKey = a.sourceKey;
    inv.onDelete = o.onDelete;
    inv.onUpdate = o.onUpdate;
    inv.constraints = o.constraints;
    const_cast<Model&>(target).belongsToMany(*this, inv);
  }
  // The four intermediary associations, when named.
  const auto& ta = o.throughAssociations;
  if (!ta.fromSource.empty())
    hasMany(*through, {.as = ta.fromSource, .foreignKey = a.foreignKey, .sourceKey = a.sourceKey});
  if (!ta.toSource.empty())
    through->belongsTo(*this,
                       {.as = ta.toSource, .foreignKey = a.foreignKey, .targetKey = a.sourceKey});
  if (!ta.fromTarget.empty())
    const_cast<Model&>(target).hasMany(
        *through, {.as = ta.fromTarget, .foreignKey = a.otherKey, .sourceKey = a.targetKey});
  if (!ta.toTarget.empty())
    through->belongsTo(target,
                       {.as = ta.toTarget, .foreignKey = a.otherKey, .targetKey = a.targetKey});
  return result;
}

Targets::Targets(const std::vector<Instance>& many) {
  instances_.reserve(many.size());
  for (const auto& i : many) instances_.push_back(&i);
}

}  // namespace junction

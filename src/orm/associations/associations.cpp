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

// Sequelize's camelize([name, key].join('_')): a run of '_', '-' or blanks
// goes and the letter after it is upper-cased ("blog_author" + "id" →
// "blogAuthorId", "Project" + "id" → "ProjectId").
std::string camelKey(const std::string& name, const std::string& key) {
  std::string joined = name + "_" + key, out;
  out.reserve(joined.size());
  bool upper = false;
  for (char c : joined) {
    if (c == '_' || c == '-' || std::isspace(static_cast<unsigned char>(c))) {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

// The database's naming rule (junction::Naming), in one place.
struct NamingRule {
  bool v6;
  explicit NamingRule(const Model& m) : v6(m.database().options().naming == Naming::Sequelize6) {}
  // A model's singular as an association name: "Project" or "project".
  std::string singular(const Model& m) const { return v6 ? m.name() : lowerFirst(m.name()); }
  std::string plural(const Model& m) const { return pluralize(singular(m)); }
  // The key column a belongsTo/hasOne/hasMany key is named after: Sequelize 6
  // always names it after the primary key.
  const std::string& keyPart(const Model& m, const std::string& key) const {
    return v6 ? m.primaryKey() : key;
  }
};

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
  // The foreign key of a belongsTo/hasOne/hasMany, as Sequelize makes it: a
  // new nullable attribute of the referenced key's type, or the attribute
  // the model declares. With constraints, the key references the other
  // table; what the declaration says wins, then the association's options,
  // then the defaults: ON UPDATE CASCADE, and ON DELETE SET NULL when the
  // key may be null, else `notNullAction` (Sequelize: NO ACTION for
  // belongsTo, CASCADE for hasOne/hasMany; a declaration that does not say
  // allowNull counts as not null). The first association to reach a key
  // settles its actions.
  static void ensureForeignKey(Model& holder, const std::string& name, const Model& referenced,
                               const std::string& referencedKey, const char* notNullAction,
                               const std::string& onDelete, const std::string& onUpdate,
                               bool constraints) {
    const AttributeDef& key = referenced.attribute(referencedKey);
    auto index = holder.attributeIndex(name);
    if (!index) {
      Attribute spec = Attribute(key.spec.type()).allowNull(true);
      if (constraints)
        spec = spec.references(referenced.tableName(), key.column)
                   .onDelete(!onDelete.empty() ? onDelete : "SET NULL")
                   .onUpdate(!onUpdate.empty() ? onUpdate : "CASCADE");
      holder.addAttribute(name, spec);
      return;
    }
    if (!constraints) return;
    auto& def = holder.attributes_[*index];
    sql::ForeignKeyRef declared = def.spec.referencesOption().value_or(sql::ForeignKeyRef{});
    const bool nullable = def.spec.allowNullOption().value_or(false);
    Attribute spec = def.spec;
    if (declared.table.empty()) spec = spec.references(referenced.tableName(), key.column);
    spec = spec.onDelete(!declared.onDelete.empty() ? declared.onDelete
                         : !onDelete.empty()        ? onDelete
                         : nullable                 ? "SET NULL"
                                                    : notNullAction)
               .onUpdate(!declared.onUpdate.empty() ? declared.onUpdate
                         : !onUpdate.empty()        ? onUpdate
                                                    : "CASCADE");
    def.spec = std::move(spec);
  }

  // A belongsToMany junction model without a declared primary key drops the
  // `id` it was given; its two keys become the composite key. True when the
  // junction's key is (or now is) the pair.
  static bool pairIsTheKey(Model& through, const std::string& a, const std::string& b) {
    auto& attrs = through.attributes_;
    bool dropped = false;
    for (auto it = attrs.begin(); it != attrs.end();) {
      if (it->autoGenerated && it->spec.isPrimaryKey() && it->name != a && it->name != b) {
        it = attrs.erase(it);
        dropped = true;
      } else {
        ++it;
      }
    }
    if (dropped) {
      through.primaryKeys_.clear();
      through.primaryKey_.clear();
      through.attributesChanged();
    }
    auto& pks = through.primaryKeys_;
    return pks.empty() || (pks.size() == 2 && std::find(pks.begin(), pks.end(), a) != pks.end() &&
                           std::find(pks.begin(), pks.end(), b) != pks.end());
  }

  // The other side of a many-to-many through the same junction, defined
  // earlier: target.belongsToMany(source) with the same through model.
  static Model::OwnedAssociation* pairedOf(const Model& source, Model& target,
                                           const Model& through) {
    if (&source == &target) return nullptr;
    for (auto& o : target.associations_)
      if (o.a->type == AssociationType::BelongsToMany && o.a->target == &source &&
          o.a->through == &through)
        return &o;
    return nullptr;
  }

  // Sequelize pairs the two sides: when the later side names its key, the
  // key the earlier side derived for it gives way (seed 003's
  // foreignKey: 'userId' / 'projectId' under Sequelize 6 naming: no stray
  // "ProjectId" column). The derived column is renamed in place.
  static void renamePairedKey(Model::OwnedAssociation& paired, Model& through,
                              const std::string& name) {
    Association& p = *paired.a;
    if (!paired.otherKeyDerived || p.otherKey == name) return;
    auto index = through.attributeIndex(p.otherKey);
    if (index && !through.attributeIndex(name)) {
      auto& def = through.attributes_[*index];
      def.name = name;
      def.column = through.options_.underscored ? underscore(name) : name;
      for (auto& k : through.primaryKeys_)
        if (k == p.otherKey) k = name;
      through.primaryKey_ = through.primaryKeys_.empty() ? "" : through.primaryKeys_.front();
      through.attributesChanged();
    }
    p.otherKey = name;
    paired.otherKeyDerived = false;
  }

  // One junction key, as Sequelize's belongsToMany makes it: a column of the
  // referenced key's type, created when the junction does not declare it;
  // part of the composite primary key (so NOT NULL) or, with a unique
  // through, of the pair's unique key; and, with constraints, a reference
  // to the referenced table whose actions are the association's, else the
  // declared ones, else CASCADE. A declared key keeps its own nullability.
  static void ensureJunctionKey(Model& through, const std::string& name, const Model& referenced,
                                const std::string& referencedKey, bool composite,
                                const std::string& uniqueKey, const std::string& onDelete,
                                const std::string& onUpdate, bool constraints) {
    const AttributeDef& key = referenced.attribute(referencedKey);
    if (!through.attributeIndex(name)) through.addAttribute(name, Attribute(key.spec.type()));
    auto& def = through.attributes_[through.requireIndex(name)];
    Attribute spec = def.spec;
    if (composite) {
      spec = spec.primaryKey();
      def.allowNull = false;
    } else if (!uniqueKey.empty()) {
      spec = spec.unique(uniqueKey);
    }
    if (constraints) {
      // The association's action, else the declared one, else CASCADE.
      auto action = [](const std::string& given, const std::string& declared) {
        return !given.empty() ? given : !declared.empty() ? declared : std::string("CASCADE");
      };
      sql::ForeignKeyRef declared = spec.referencesOption().value_or(sql::ForeignKeyRef{});
      spec = spec.references(referenced.tableName(), key.column)
                 .onDelete(action(onDelete, declared.onDelete))
                 .onUpdate(action(onUpdate, declared.onUpdate));
    }
    def.spec = std::move(spec);
    if (composite && std::find(through.primaryKeys_.begin(), through.primaryKeys_.end(), name) ==
                         through.primaryKeys_.end()) {
      through.primaryKeys_.push_back(name);
      through.primaryKey_ = through.primaryKeys_.front();
    }
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
  const NamingRule naming(*this);
  bool given = !o.as.empty();
  a.as = given ? o.as : naming.singular(target);
  a.targetKey = o.targetKey.empty() ? target.primaryKey() : o.targetKey;
  target.requireIndex(a.targetKey);
  a.foreignKey =
      o.foreignKey.empty() ? camelKey(a.as, naming.keyPart(target, a.targetKey)) : o.foreignKey;
  if (a.foreignKey == a.as)
    throw AssociationError(
        fmt::format("model {}: foreign key and association are both named \"{}\"", name_, a.as));
  AssociationBuilder::ensureForeignKey(*this, a.foreignKey, target, a.targetKey, "NO ACTION",
                                       o.onDelete, o.onUpdate, o.constraints);
  return addAssociation(std::move(a), given);
}

namespace {
Association hasSomething(Model& source, const Model& target, const AssociationOptions& o,
                         AssociationType type) {
  const NamingRule naming(source);
  Association a;
  a.type = type;
  a.source = &source;
  a.target = &target;
  a.as = !o.as.empty() ? o.as
         : type == AssociationType::HasMany ? naming.plural(target)
                                            : naming.singular(target);
  a.sourceKey = o.sourceKey.empty() ? source.primaryKey() : o.sourceKey;
  source.requireIndex(a.sourceKey);
  a.foreignKey = o.foreignKey.empty()
                     ? camelKey(naming.singular(source), naming.keyPart(source, a.sourceKey))
                     : o.foreignKey;
  return a;
}
}  // namespace

const Association& Model::hasOne(const Model& target, AssociationOptions o) {
  Association a = hasSomething(*this, target, o, AssociationType::HasOne);
  AssociationBuilder::ensureForeignKey(const_cast<Model&>(target), a.foreignKey, *this, a.sourceKey,
                                       "CASCADE", o.onDelete, o.onUpdate, o.constraints);
  return addAssociation(std::move(a), !o.as.empty());
}

const Association& Model::hasMany(const Model& target, AssociationOptions o) {
  Association a = hasSomething(*this, target, o, AssociationType::HasMany);
  AssociationBuilder::ensureForeignKey(const_cast<Model&>(target), a.foreignKey, *this, a.sourceKey,
                                       "CASCADE", o.onDelete, o.onUpdate, o.constraints);
  return addAssociation(std::move(a), !o.as.empty());
}

const Association& Model::belongsToMany(const Model& target, BelongsToManyOptions o) {
  const bool selfRef = &target == this;
  const NamingRule naming(*this);
  Association a;
  a.type = AssociationType::BelongsToMany;
  a.source = this;
  a.target = &target;
  bool given = !o.as.empty();
  a.as = given ? o.as : naming.plural(target);
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
      // Its generated id gives way to the pair of keys (below).
      through = &db_->define(o.through.name(), {},
                             {.underscored = options_.underscored, .tableName = o.through.name()});
    }
  }
  a.through = through;

  // Keys: explicit; else the other side's, when it was defined first; else
  // attributes of the junction that reference each table; else named after
  // the inverse/association (with `inverse`) or after the models.
  auto fromInverse = !o.inverse.as.empty();
  Model::OwnedAssociation* paired =
      AssociationBuilder::pairedOf(*this, const_cast<Model&>(target), *through);
  bool otherKeyDerived = false;
  if (!o.foreignKey.empty()) {
    a.foreignKey = o.foreignKey;
    if (paired) AssociationBuilder::renamePairedKey(*paired, *through, a.foreignKey);
  } else if (paired) {
    a.foreignKey = paired->a->otherKey;
  } else if (const AttributeDef* r = selfRef ? nullptr : referencing(*through, *this, o.otherKey)) {
    a.foreignKey = r->name;
  } else {
    a.foreignKey =
        camelKey(fromInverse ? singularize(o.inverse.as) : naming.singular(*this), a.sourceKey);
  }
  if (!o.otherKey.empty()) {
    a.otherKey = o.otherKey;
  } else if (paired) {
    a.otherKey = paired->a->foreignKey;
  } else if (const AttributeDef* r = referencing(*through, target, a.foreignKey)) {
    a.otherKey = r->name;
  } else {
    otherKeyDerived = true;
    // Sequelize 6 names a self-association's other key after `as`
    // (belongsToMany(User, {as: 'followers'}) → "followerId").
    const bool afterAs = fromInverse || (selfRef && naming.v6 && given);
    a.otherKey = camelKey(afterAs ? singularize(a.as) : naming.singular(target), a.targetKey);
  }
  if (a.foreignKey == a.otherKey)
    throw AssociationError(
        fmt::format("{}.belongsToMany({}) as \"{}\": both junction keys would be \"{}\"; give "
                    "foreignKey and otherKey",
                    name_, target.name(), a.as, a.foreignKey));

  const bool composite = AssociationBuilder::pairIsTheKey(*through, a.foreignKey, a.otherKey);
  std::string uniqueKey = a.throughUnique ? fmt::format("{}_{}_{}_unique", through->tableName(),
                                                        a.foreignKey, a.otherKey)
                                          : "";
  AssociationBuilder::ensureJunctionKey(*through, a.foreignKey, *this, a.sourceKey, composite,
                                        uniqueKey, o.onDelete, o.onUpdate, o.constraints);
  AssociationBuilder::ensureJunctionKey(*through, a.otherKey, target, a.targetKey, composite,
                                        uniqueKey, o.onDelete, o.onUpdate, o.constraints);

  const Association& result = addAssociation(a, given);
  associations_.back().otherKeyDerived = otherKeyDerived;

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

// The hydrator: the one way rows become instances. A Layout says where one
// model's instance lies in a row (which columns, which attributes, what the
// user sees), with the layouts of the includes joined into the same row
// below it; a Hydrator is the RowSink that builds instances from streamed
// rows through a Layout, moving values out of the driver's row buffer.
//
// Thread-safety: a Layout is immutable once built, except for the junction
// rows block it fills while its statement streams (one statement at a time).
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "junction/connection.hpp"
#include "junction/instance.hpp"
#include "junction/result.hpp"
#include "orm/internal.hpp"
#include "orm/query/binder.hpp"

namespace junction::detail {

class LoaderStrategy;
inline constexpr std::size_t kNone = static_cast<std::size_t>(-1);

struct Layout {
  const Model* model = nullptr;
  std::vector<std::size_t> attrs;  // column first+j → attribute index
  std::vector<bool> visible;       // selected by the user (others are hidden keys)
  std::vector<ValueType> settled;  // per column: the type hydrate() leaves alone
  std::size_t first = 0;
  bool allVisibleInOrder = false;
  std::size_t pkColumn = kNone;  // absolute column of the primary key
  std::shared_ptr<const std::vector<std::string>> extraNames;
  std::size_t extraFirst = 0;
  std::shared_ptr<const std::vector<std::size_t>> order;  // toJSON order (attribute lists)
  // A belongsToMany's junction row: its columns, and the block its rows are
  // read into (both set by selectThrough).
  std::unique_ptr<Layout> through;
  std::shared_ptr<ThroughRows> throughRows;
  // An include read from the same row, and the strategy that consumes it.
  struct Child {
    std::string name;
    bool single = false;
    const Layout* layout = nullptr;
    const LoaderStrategy* strategy = nullptr;
  };
  std::vector<Child> children;
  std::vector<std::unique_ptr<Layout>> storage;  // owns the children's layouts
};

// How selected columns are named in the statement: the root's by attribute
// (`"user_id" AS "userId"`), an include's by path (`"blogs"."id" AS "blogs.id"`).
enum class ColumnNames { ByAttribute, ByPath };

// Adds the columns `sel` selects of `m` under `alias` to `s`, plus the hidden
// ones in `needed` (keys the loading strategies must read), and fills `L`.
void selectColumns(sql::Select& s, const Model& m, const std::string& alias, const Selection& sel,
                   const std::vector<std::string>& needed, Layout& L, ColumnNames names);
// Reads a belongsToMany's junction row (`sel` of model `th` under `alias`)
// next to its target's columns, into a block shared by the target instances.
void selectThrough(sql::Select& s, const Model& th, const std::string& alias, const Selection& sel,
                   Layout& target);

// Key values as hash keys without rendering them to text: equal when of the
// same type and equal.
struct SameKey {
  bool operator()(const Value& a, const Value& b) const { return a.type() == b.type() && a == b; }
};
struct KeyHash {
  std::size_t operator()(const Value& v) const;
};
template <class T>
using KeyMap = std::unordered_map<Value, T, KeyHash, SameKey>;

// The children a joined to-many list already holds, by primary key, so that
// each repeated parent row finds its child in constant time. Keyed by the
// list, whose address survives the instances' moves.
using ChildIndex = std::unordered_map<const Instance::Loaded*, KeyMap<std::size_t>>;

// One instance from its part of a row (and, through the children's
// strategies, the includes joined into that row).
Instance readInstance(const Layout& L, std::span<Value> row);
// A repeated parent row (joined to-many): the children's strategies add
// what is new in it.
void mergeRow(Instance& existing, const Layout& L, std::span<Value> row, ChildIndex& index);
// The hydrated primary key of a row's `L` part (normalised in place, as
// readInstance would), and of an instance read through `L`.
Value& rowKey(const Layout& L, std::span<Value> row);
const Value& instanceKey(const Layout& L, const Instance& i);
Instance::Loaded* findLoaded(Instance& i, const std::string& name);

// Builds instances from a statement's rows. With `dedupe` (joined to-many
// rows), a row whose key (and matched parent key) was seen merges into the
// earlier instance. `matchColumn`/`matches`: the parent key each row
// matched (select-in), recorded per instance.
class Hydrator final : public RowSink {
 public:
  Hydrator(const Layout& L, bool dedupe, std::vector<Instance>& out,
           std::size_t matchColumn = kNone, std::vector<Value>* matches = nullptr)
      : L_(L), dedupe_(dedupe), out_(out), matchColumn_(matchColumn), matches_(matches) {}
  void expectRows(std::size_t count) override;
  void row(std::span<Value> row) override;

 private:
  const Layout& L_;
  bool dedupe_;
  std::vector<Instance>& out_;
  std::size_t matchColumn_;
  std::vector<Value>* matches_;
  Value noMatch_;
  KeyMap<KeyMap<std::size_t>> seen_;  // match key → row key → position in out_
  ChildIndex children_;
};

// The raw rows of a RETURNING * / full select, turned into attribute values.
std::vector<Value> rowValues(const Model& m, ResultSet& rs, std::size_t row);

}  // namespace junction::detail

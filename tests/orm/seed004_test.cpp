// Seed 004 (Sequelize's BelongsToMany reference), translated section by
// section: defining the association, the string through option, a custom
// junction, extra through attributes with setProjects, the inverse, the
// four intermediary associations, foreignKey/otherKey, sourceKey/targetKey,
// through.unique, and every association method (getX, setX, addX/addXs,
// removeX/removeXs, createX, hasX/hasXs, countX).
//
// Decorators become calls: `@BelongsToMany(() => Toot, {...}) declare
// likedToots` on Person is Person.belongsToMany(Toot, {..., .as =
// "likedToots"}) — the decorated property's name is the association's.

#include "fixture.hpp"

using namespace junction;
using namespace junction::DataTypes;

using junction::test::jsonOf;
using junction::test::withoutTimes;

namespace {



std::vector<std::string> attributeNames(const Model& m) {
  std::vector<std::string> names;
  for (const auto& a : m.attributes()) names.push_back(a.name);
  return names;
}

class Seed004 : public ::testing::Test {
 protected:
  void SetUp() override {
    db = std::make_unique<Database>(
        test::databaseUrl(),
        DatabaseOptions{.logging = [this](const QueryEvent& e) { log.emplace_back(e.sql); }});
  }
  void TearDown() override {
    if (db) db->drop();
  }
  // class Person extends Model {}; class Toot extends Model {}
  void definePersonAndToot() {
    Person = &db->define("Person", {{"name", STRING}}, {.timestamps = false});
    Toot = &db->define("Toot", {{"text", STRING}}, {.timestamps = false});
  }
  std::unique_ptr<Database> db;
  std::vector<std::string> log;
  Model *Person = nullptr, *Toot = nullptr;
};

}  // namespace

TEST_F(Seed004, DefiningTheAssociationGeneratesLikedToot) {
  definePersonAndToot();
  // @BelongsToMany(() => Toot, { through: 'LikedToot' }) declare likedToots
  Person->belongsToMany(*Toot, {.through = "LikedToot", .as = "likedToots"});
  // "The LikedToot model is automatically generated ... and will receive the two foreign keys"
  // (the page says userId; the source model here is Person, so the key is personId).
  ASSERT_TRUE(db->isDefined("LikedToot"));
  Model& LikedToot = db->model("LikedToot");
  EXPECT_EQ(LikedToot.tableName(), "LikedToot");
  EXPECT_EQ(attributeNames(LikedToot),
            (std::vector<std::string>{"personId", "tootId", "createdAt", "updatedAt"}));
  EXPECT_EQ(LikedToot.primaryKeys(), (std::vector<std::string>{"personId", "tootId"}));
  db->sync({.force = true});
  auto ann = Person->create({{"name", "ann"}});
  auto hi = Toot->create({{"text", "hi"}});
  ann.association("likedToots").add(hi);
  auto people = Person->findAll({.include = {{.model = *Toot, .as = "likedToots"}}});
  EXPECT_EQ(withoutTimes(jsonOf(people)), Json::parse(R"([{"id":1,"name":"ann","likedToots":[
    {"id":1,"text":"hi","LikedToot":{"personId":1,"tootId":1,"createdAt":"<ts>","updatedAt":"<ts>"}}]}])"));
}

TEST_F(Seed004, StringThroughNamesTheModelNotTheTable) {
  definePersonAndToot();
  // through: 'liked_toots' — allowed, but it names a model (the page recommends LikedToot).
  Person->belongsToMany(*Toot, {.through = "liked_toots", .as = "likedToots"});
  ASSERT_TRUE(db->isDefined("liked_toots"));
  EXPECT_FALSE(db->isDefined("LikedToot"));
  EXPECT_EQ(db->model("liked_toots").tableName(), "liked_toots");
  db->sync({.force = true});
  auto ann = Person->create({{"name", "ann"}});
  ann.association("likedToots").add(Toot->create({{"text", "hi"}}));
  auto liked = ann.association("likedToots").get({.joinTableAttributes = {"tootId"}});
  EXPECT_EQ(jsonOf(liked), Json::parse(R"([{"id":1,"text":"hi","liked_toots":{"tootId":1}}])"))
      << "the through row is keyed by the model's name";
}

TEST_F(Seed004, CustomJunctionModelGetsItsKeys) {
  definePersonAndToot();
  // class LikedToot extends Model { declare likerId; declare likedTootId }  — "they will still be
  // configured by Sequelize automatically"
  Model& LikedToot = db->define("LikedToot", {}, {.timestamps = false});
  // @BelongsToMany(() => Toot, { through: () => LikedToot }) declare likedToots
  // The keys the page declares, likerId and likedTootId, are the names an inverse called
  // "likers" gives (its next section); without it junction names them after the models
  // (personId, tootId), as Seed004.DefiningTheAssociationGeneratesLikedToot shows.
  Person->belongsToMany(*Toot,
                        {.through = LikedToot, .as = "likedToots", .inverse = {.as = "likers"}});
  // Its generated id gives way to the pair of keys, as in Sequelize.
  EXPECT_EQ(attributeNames(LikedToot), (std::vector<std::string>{"likerId", "likedTootId"}));
  EXPECT_EQ(LikedToot.primaryKeys(), (std::vector<std::string>{"likerId", "likedTootId"}));
  db->sync({.force = true});
  auto ann = Person->create({{"name", "ann"}});
  auto hi = Toot->create({{"text", "hi"}});
  ann.association("likedToots").add(hi);
  EXPECT_EQ(jsonOf(LikedToot.findAll()), Json::parse(R"([{"likerId":1,"likedTootId":1}])"));
}

namespace {

// "Associations with extra attributes on through table"
class Seed004UserProject : public Seed004 {
 protected:
  void SetUp() override {
    Seed004::SetUp();
    // class UserProject extends Model { @Attribute(DataTypes.STRING) declare role; ... }
    UserProject = &db->define("UserProject", {{"role", STRING}}, {.timestamps = false});
    Project = &db->define("Project", {{"name", STRING}}, {.timestamps = false});
    User = &db->define("User", {{"username", STRING}}, {.timestamps = false});
    // @BelongsToMany(() => Project, { through: () => UserProject }) declare projects
    User->belongsToMany(*Project, {.through = *UserProject, .as = "projects"});
    db->sync({.force = true});
    user1.emplace(User->create({{"username", "user1"}}));
    for (const char* name : {"project1", "project2", "project3"})
      projects.push_back(Project->create({{"name", name}}));
    log.clear();
  }
  std::vector<std::string> roles() {
    // (await user1.getProjects()).map(x => x.UserProject?.role)
    std::vector<std::string> r;
    for (const auto& x : user1->association("projects").get())
      r.push_back(x.toJSON()["UserProject"]["role"]);
    return r;
  }
  Model *UserProject = nullptr, *Project = nullptr, *User = nullptr;
  std::optional<Instance> user1;
  std::vector<Instance> projects;
};

}  // namespace

TEST_F(Seed004UserProject, JunctionKeysAreAddedToUserProject) {
  EXPECT_EQ(attributeNames(*UserProject),
            (std::vector<std::string>{"role", "userId", "projectId"}));
  // declare projectId: number; declare userId: number
  EXPECT_EQ(User->association("projects").foreignKey, "userId");
  EXPECT_EQ(User->association("projects").otherKey, "projectId");
}

TEST_F(Seed004UserProject, SetProjectsWithOneThroughObject) {
  // user1.setProjects([project1, project2, project3], { through: { role: 'admin' }})
  user1->association("projects").set(projects, {.through = {{"role", "admin"}}});
  EXPECT_EQ(roles(), (std::vector<std::string>{"admin", "admin", "admin"}));
}

TEST_F(Seed004UserProject, SetProjectsWithThroughPerItem) {
  // user1.setProjects([project1, project2, project3], { through: [ { role: 'admin' },
  //   { role: 'manager' }, { role: 'designer' } ] })
  user1->association("projects")
      .set(projects, {.through = std::vector<Record>{
                          {{"role", "admin"}}, {{"role", "manager"}}, {{"role", "designer"}}}});
  EXPECT_EQ(roles(), (std::vector<std::string>{"admin", "manager", "designer"}));
  EXPECT_EQ(jsonOf(user1->association("projects").get()), Json::parse(R"([
    {"id":1,"name":"project1","UserProject":{"role":"admin","userId":1,"projectId":1}},
    {"id":2,"name":"project2","UserProject":{"role":"manager","userId":1,"projectId":2}},
    {"id":3,"name":"project3","UserProject":{"role":"designer","userId":1,"projectId":3}}])"));
  // A list whose length differs from the targets' is refused.
  EXPECT_THROW(user1->association("projects")
                   .set(projects, {.through = std::vector<Record>{{{"role", "admin"}}}}),
               UsageError);
}

TEST_F(Seed004, InverseAssociationLikers) {
  definePersonAndToot();
  // @BelongsToMany(() => Toot, { through: 'LikedToot', inverse: { as: 'likers' } }) declare
  // likedToots;  Toot: declare likers
  Person->belongsToMany(*Toot,
                        {.through = "LikedToot", .as = "likedToots", .inverse = {.as = "likers"}});
  const Association& likers = Toot->association("likers");
  EXPECT_EQ(likers.type, AssociationType::BelongsToMany);
  EXPECT_EQ(likers.target, Person);
  EXPECT_EQ(likers.through, &db->model("LikedToot"));
  // "the foreign keys would be likerId and likedTootId"
  EXPECT_EQ(Person->association("likedToots").foreignKey, "likerId");
  EXPECT_EQ(Person->association("likedToots").otherKey, "likedTootId");
  EXPECT_EQ(likers.foreignKey, "likedTootId");
  EXPECT_EQ(likers.otherKey, "likerId");
  db->sync({.force = true});
  auto ann = Person->create({{"name", "ann"}});
  auto bob = Person->create({{"name", "bob"}});
  auto hi = Toot->create({{"text", "hi"}});
  ann.association("likedToots").add(hi);
  hi.association("likers").add(bob);  // the inverse writes the same junction
  auto toots = Toot->findAll(
      {.include = {{.as = "likers", .attributes = {"name"}, .through = {.attributes = none}}}});
  EXPECT_EQ(jsonOf(toots),
            Json::parse(R"([{"id":1,"text":"hi","likers":[{"name":"ann"},{"name":"bob"}]}])"));
}

TEST_F(Seed004, ThroughAssociationsNameTheFourIntermediaries) {
  definePersonAndToot();
  Person->belongsToMany(*Toot, {.through = "LikedToot",
                                .as = "likedToots",
                                .inverse = {.as = "likers"},
                                .throughAssociations = {.fromSource = "likedTootsLikers",
                                                        .toSource = "liker",
                                                        .fromTarget = "likersLikedToots",
                                                        .toTarget = "likedToot"}});
  Model& LikedToot = db->model("LikedToot");
  // 1️⃣ Person → LikedToot, 2️⃣ LikedToot → Person, 3️⃣ Toot → LikedToot, 4️⃣ LikedToot →
  // Toot
  const Association& one = Person->association("likedTootsLikers");
  EXPECT_EQ(one.type, AssociationType::HasMany);
  EXPECT_EQ(one.target, &LikedToot);
  EXPECT_EQ(one.foreignKey, "likerId");
  const Association& two = LikedToot.association("liker");
  EXPECT_EQ(two.type, AssociationType::BelongsTo);
  EXPECT_EQ(two.target, Person);
  EXPECT_EQ(two.foreignKey, "likerId");
  const Association& three = Toot->association("likersLikedToots");
  EXPECT_EQ(three.type, AssociationType::HasMany);
  EXPECT_EQ(three.target, &LikedToot);
  EXPECT_EQ(three.foreignKey, "likedTootId");
  const Association& four = LikedToot.association("likedToot");
  EXPECT_EQ(four.type, AssociationType::BelongsTo);
  EXPECT_EQ(four.target, Toot);
  EXPECT_EQ(four.foreignKey, "likedTootId");
  db->sync({.force = true});
  auto ann = Person->create({{"name", "ann"}});
  ann.association("likedToots").add(Toot->create({{"text", "hi"}}));
  auto rows = LikedToot.findAll({.attributes = none,
                                 .include = {{.as = "liker", .attributes = {"name"}},
                                             {.as = "likedToot", .attributes = {"text"}}}});
  EXPECT_EQ(jsonOf(rows), Json::parse(R"([{"liker":{"name":"ann"},"likedToot":{"text":"hi"}}])"));
  auto people =
      Person->findAll({.attributes = {"name"},
                       .include = {{.as = "likedTootsLikers", .attributes = {"likedTootId"}}}});
  EXPECT_EQ(jsonOf(people),
            Json::parse(R"([{"name":"ann","likedTootsLikers":[{"likedTootId":1}]}])"));
}

TEST_F(Seed004, ForeignKeyAndOtherKey) {
  definePersonAndToot();
  // inverse: { as: 'likers' }, foreignKey: 'personId', otherKey: 'tootId'
  Person->belongsToMany(*Toot, {.through = "LikedToot",
                                .as = "likedToots",
                                .foreignKey = "personId",
                                .otherKey = "tootId",
                                .inverse = {.as = "likers"}});
  EXPECT_EQ(attributeNames(db->model("LikedToot")),
            (std::vector<std::string>{"personId", "tootId", "createdAt", "updatedAt"}));
  EXPECT_EQ(Toot->association("likers").foreignKey, "tootId");
  EXPECT_EQ(Toot->association("likers").otherKey, "personId");
  db->sync({.force = true});
  auto ann = Person->create({{"name", "ann"}});
  ann.association("likedToots").add(Toot->create({{"text", "hi"}}));
  EXPECT_EQ(db->query("SELECT \"personId\", \"tootId\" FROM \"LikedToot\"").size(), 1u);
}

TEST_F(Seed004, SourceKeyAndTargetKey) {
  definePersonAndToot();
  // sourceKey: 'id', targetKey: 'id' — the defaults, written out.
  Person->belongsToMany(*Toot, {.through = "LikedToot",
                                .as = "likedToots",
                                .sourceKey = "id",
                                .targetKey = "id",
                                .inverse = {.as = "likers"}});
  const Association& a = Person->association("likedToots");
  EXPECT_EQ(a.sourceKey, "id");
  EXPECT_EQ(a.targetKey, "id");
  EXPECT_EQ(a.foreignKey, "likerId");
  EXPECT_EQ(a.otherKey, "likedTootId");
  EXPECT_THROW(
      Person->belongsToMany(*Toot, {.through = "Other", .as = "others", .sourceKey = "nope"}),
      UsageError)
      << "a sourceKey must be an attribute";
  db->sync({.force = true});
  auto ann = Person->create({{"name", "ann"}});
  auto hi = Toot->create({{"text", "hi"}});
  ann.association("likedToots").add(hi);
  EXPECT_TRUE(hi.association("likers").has(ann));
}

TEST_F(Seed004, ThroughPairUniqueConstraint) {
  definePersonAndToot();
  // A generated junction: the pair is its primary key, so no separate
  // unique key (Sequelize's CREATE TABLE has none either).
  Person->belongsToMany(*Toot, {.through = "LikedToot", .as = "likedToots"});
  EXPECT_TRUE(db->model("LikedToot").createTableStatement().uniques.empty());
  EXPECT_EQ(db->model("LikedToot").primaryKeys(), (std::vector<std::string>{"personId", "tootId"}));
  // A junction with its own id: a unique key on the pair, unless unique: false.
  auto& Own = db->define("OwnLike", {{"id", INTEGER.primaryKey().autoIncrement()}});
  Person->belongsToMany(*Toot, {.through = Own, .as = "ownLikes"});
  auto uniques = Own.createTableStatement().uniques;
  ASSERT_EQ(uniques.size(), 1u);
  EXPECT_EQ(uniques[0].columns, (std::vector<std::string>{"personId", "tootId"}));
  // through: { model: 'LikedToot2', unique: false }
  Person->belongsToMany(*Toot, {.through = Through("LikedToot2", false), .as = "likedToots2"});
  EXPECT_FALSE(Person->association("likedToots2").throughUnique);
  EXPECT_TRUE(db->model("LikedToot2").createTableStatement().uniques.empty());
  // As in Sequelize, a generated junction's primary key is still the pair (sequelize#3220):
  // the same pair twice needs a junction with its own id
  // (Assoc.NonUniqueThroughAllowsRepeatedPairs).
  EXPECT_EQ(db->model("LikedToot2").primaryKeys(),
            (std::vector<std::string>{"personId", "tootId"}));
  db->sync({.force = true});
  Person->create({{"name", "ann"}});
  Toot->create({{"text", "hi"}});
  db->model("LikedToot2").create({{"personId", 1}, {"tootId", 1}});
  EXPECT_THROW(db->model("LikedToot2").create({{"personId", 1}, {"tootId", 1}}),
               UniqueConstraintError);
}

// ------------------------------------------------- association methods

namespace {

class Seed004Methods : public Seed004 {
 protected:
  void SetUp() override {
    Seed004::SetUp();
    Author = &db->define("Author", {{"name", STRING}}, {.timestamps = false});
    Book = &db->define("Book", {{"content", STRING}}, {.timestamps = false});
    // @BelongsToMany(() => Book, { through: 'BookAuthor' }) declare books
    Author->belongsToMany(*Book, {.through = "BookAuthor", .as = "books"});
    db->sync({.force = true});
    Author->create({{"name", "author"}});
    for (int i = 1; i <= 4; ++i) Book->create({{"content", "book" + std::to_string(i)}});
    author = Author->findByPk(1);  // const author = await Author.findByPk(1)
    // const [book1, book2, book3] = await Book.findAll({ limit: 3 })
    auto three = Book->findAll({.order = {"id"}, .limit = 3});
    book1 = three.at(0);
    book2 = three.at(1);
    book3 = three.at(2);
    log.clear();
  }
  std::vector<std::int64_t> bookIds() {
    std::vector<std::int64_t> ids;
    for (const auto& b : author->association("books").get({.order = {"id"}}))
      ids.push_back(b.get<std::int64_t>("id"));
    return ids;
  }
  Model *Author = nullptr, *Book = nullptr;
  std::optional<Instance> author, book1, book2, book3;
};

}  // namespace

TEST_F(Seed004Methods, GetBooks) {
  db->model("BookAuthor")
      .bulkCreate({{{"authorId", 1}, {"bookId", 2}}, {{"authorId", 1}, {"bookId", 4}}});
  // const books: Book[] = await author.getBooks()
  std::vector<Instance> books = author->association("books").get();
  EXPECT_EQ(withoutTimes(jsonOf(books)), Json::parse(R"([
    {"id":2,"content":"book2","BookAuthor":{"authorId":1,"bookId":2,"createdAt":"<ts>","updatedAt":"<ts>"}},
    {"id":4,"content":"book4","BookAuthor":{"authorId":1,"bookId":4,"createdAt":"<ts>","updatedAt":"<ts>"}}])"));
}

TEST_F(Seed004Methods, SetBooksReplacesTheAssociatedSet) {
  author->association("books").add(Value(4));
  // await author.setBooks([book1, book2, book3])
  author->association("books").set(std::vector<Instance>{*book1, *book2, *book3});
  EXPECT_EQ(bookIds(), (std::vector<std::int64_t>{1, 2, 3})) << "book4 was removed";
  // await author.setBooks([1, 2, 3])
  author->association("books").set(std::vector<Value>{1, 2, 3});
  EXPECT_EQ(bookIds(), (std::vector<std::int64_t>{1, 2, 3}));
  author->association("books").set(std::vector<Value>{3, 4});
  EXPECT_EQ(bookIds(), (std::vector<std::int64_t>{3, 4}));
  EXPECT_EQ(Book->count(), 4) << "only junction rows change";
}

TEST_F(Seed004Methods, AddBookAndAddBooks) {
  auto books = author->association("books");
  books.add(*book1);  // await author.addBook(book1)
  EXPECT_EQ(bookIds(), (std::vector<std::int64_t>{1}));
  books.add(std::vector<Instance>{*book1, *book2});  // await author.addBooks([book1, book2])
  EXPECT_EQ(bookIds(), (std::vector<std::int64_t>{1, 2})) << "without removing existing ones";
  books.add(Value(1));                     // await author.addBook(1)
  books.add(std::vector<Value>{1, 2, 3});  // await author.addBooks([1, 2, 3])
  EXPECT_EQ(bookIds(), (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(db->model("BookAuthor").count(), 3) << "no duplicate pairs";
}

TEST_F(Seed004Methods, RemoveBookAndRemoveBooks) {
  auto books = author->association("books");
  books.add(std::vector<Value>{1, 2, 3, 4});
  books.remove(*book1);  // await author.removeBook(book1)
  EXPECT_EQ(bookIds(), (std::vector<std::int64_t>{2, 3, 4}));
  books.remove(std::vector<Instance>{*book1, *book2});  // await author.removeBooks([book1, book2])
  EXPECT_EQ(bookIds(), (std::vector<std::int64_t>{3, 4}));
  books.add(std::vector<Value>{1, 2});
  books.remove(Value(1));  // await author.removeBook(1)
  EXPECT_EQ(bookIds(), (std::vector<std::int64_t>{2, 3, 4}));
  books.remove(std::vector<Value>{1, 2, 3});  // await author.removeBooks([1, 2, 3])
  EXPECT_EQ(bookIds(), (std::vector<std::int64_t>{4}));
  EXPECT_EQ(Book->count(), 4);
}

TEST_F(Seed004Methods, CreateBook) {
  // const book = await author.createBook({ content: 'This is a book' })
  Instance book = author->association("books").create({{"content", "This is a book"}});
  EXPECT_FALSE(book.isNewRecord());
  EXPECT_EQ(book.get<std::string>("content"), "This is a book");
  EXPECT_EQ(book.get<std::int64_t>("id"), 5);
  EXPECT_EQ(bookIds(), (std::vector<std::int64_t>{5})) << "created and associated";
}

TEST_F(Seed004Methods, HasBookAndHasBooks) {
  author->association("books").add(std::vector<Value>{1, 2, 3});
  auto books = author->association("books");
  EXPECT_TRUE(books.has(*book1));                                         // hasBook(book1)
  EXPECT_TRUE(books.has(std::vector<Instance>{*book1, *book2, *book3}));  // hasBooks([...])
  EXPECT_TRUE(books.has(std::vector<Value>{1, 2, 3}));                    // hasBooks([1, 2, 3])
  EXPECT_FALSE(books.has(Value(4)));
  EXPECT_FALSE(books.has(std::vector<Value>{1, 4})) << "true only when all are associated";
}

TEST_F(Seed004Methods, CountBooks) {
  EXPECT_EQ(author->association("books").count(), 0);  // const count = await author.countBooks()
  author->association("books").add(std::vector<Value>{1, 3, 4});
  EXPECT_EQ(author->association("books").count(), 3);
  log.clear();
  author->association("books").count();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_NE(log[0].find("COUNT"), std::string::npos) << "one COUNT, not a fetch: " << log[0];
}

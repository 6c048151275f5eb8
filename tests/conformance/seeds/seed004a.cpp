// Seed 004's mixins: seed004a.js translated line by line.
#include "../harness.hpp"

using namespace junction;
using namespace junction::DataTypes;
using conformance::step;

int main(int argc, char** argv) {
  return conformance::run(argc, argv, [](const std::string& url) {
    Database sequelize(url, {.naming = Naming::Sequelize6});
    auto& Author = sequelize.define("Author", {{"name", STRING}});
    auto& Book = sequelize.define("Book", {{"title", STRING}});
    Author.belongsToMany(Book, {.through = "BookAuthor"});
    Book.belongsToMany(Author, {.through = "BookAuthor"});

    step("sync", [&] { sequelize.sync({.force = true}); });
    step("authors and books", [&] {
      Author.bulkCreate({{{"name", "Ann"}}, {{"name", "Bob"}}});
      return Book.bulkCreate(
          {{{"title", "One"}}, {{"title", "Two"}}, {{"title", "Three"}}, {{"title", "Four"}}});
    });
    auto author = [&] { return *Author.findByPk(1); };
    auto three = [&] { return Book.findAll({.order = {{"id", ASC}}, .limit = 3}); };

    step("setBooks([book1, book2, book3])", [&] {
      auto books = three();
      author().association("Books").set(books);
    });
    step("getBooks", [&] { return author().association("Books").get({.order = {{"id", ASC}}}); });
    step("setBooks([1, 2, 3])",
         [&] { author().association("Books").set({Value(1), Value(2), Value(3)}); });
    step("removeBook(book1)", [&] { return author().association("Books").remove(three()[0]); });
    step("removeBooks([book1, book2])", [&] {
      auto books = three();
      return author().association("Books").remove(std::vector<Instance>{books[0], books[1]});
    });
    step("addBook(book1)", [&] { return author().association("Books").add(three()[0]); });
    step("addBooks([book1, book2])", [&] {
      auto books = three();
      return author().association("Books").add(std::vector<Instance>{books[0], books[1]});
    });
    step("addBook(4)", [&] { return author().association("Books").add(Value(4)); });
    step("removeBook(1)", [&] { return author().association("Books").remove(Value(1)); });
    step("removeBooks([1, 2, 3])",
         [&] { return author().association("Books").remove({Value(1), Value(2), Value(3)}); });
    step("addBooks([1, 2, 3])",
         [&] { return author().association("Books").add({Value(1), Value(2), Value(3)}); });
    step("createBook", [&] { return author().association("Books").create({{"title", "Five"}}); });
    step("hasBook(book1)", [&] { return author().association("Books").has(three()[0]); });
    step("hasBooks([book1, book2, book3])",
         [&] { return author().association("Books").has(three()); });
    step("hasBooks([1, 2, 4])",
         [&] { return author().association("Books").has({Value(1), Value(2), Value(4)}); });
    step("countBooks", [&] { return author().association("Books").count(); });
    step("countBooks where", [&] {
      return author().association("Books").count({.where = {{"title", "Five"}}});
    });
    step("getAuthors of book 2", [&] { return Book.findByPk(2)->association("Authors").get(); });
    step("include both ways", [&] {
      return Author.findAll({.include = {{.model = Book, .through = {.attributes = none}}},
                             .order = {{"id", ASC}, {"Books.id", ASC}}});
    });
    step("add an author that does not exist",
         [&] { return Book.findByPk(1)->association("Authors").add(Value(99)); });
  });
}

// Seed 002, the Medium clone: seed002a.js translated line by line.
#include "../harness.hpp"

using namespace junction;
using namespace junction::DataTypes;
using conformance::step;

int main(int argc, char** argv) {
  return conformance::run(argc, argv, [](const std::string& url) {
    Database sequelize(url, {.naming = Naming::Sequelize6});
    auto& MediumUser = sequelize.define("MediumUser", {{"name", STRING.allowNull(false)}},
                                        {.tableName = "medium_users"});
    auto& MediumArticle = sequelize.define("MediumArticle",
                                           {{"title", STRING.allowNull(false)},
                                            {"authorId", INTEGER.references("medium_users", "id")}},
                                           {.tableName = "medium_articles"});
    auto& MediumReadingList =
        sequelize.define("MediumReadingList",
                         {{"userId", INTEGER.references("medium_users", "id")},
                          {"articleId", INTEGER.references("medium_articles", "id")}},
                         {.tableName = "user_reading_list"});
    MediumUser.hasMany(MediumArticle, {.as = "articles", .foreignKey = "authorId"});
    MediumArticle.belongsTo(MediumUser, {.as = "author", .foreignKey = "authorId"});
    MediumUser.belongsToMany(MediumArticle,
                             {.through = MediumReadingList, .as = "reading_list", .foreignKey = "userId"});
    MediumArticle.belongsToMany(MediumUser,
                                {.through = MediumReadingList, .as = "articles", .foreignKey = "articleId"});

    step("sync", [&] { sequelize.sync({.force = true}); });
    step("users and articles", [&] {
      auto ann = MediumUser.create({{"name", "Ann"}});
      auto bob = MediumUser.create({{"name", "Bob"}});
      MediumUser.create({{"name", "Cid"}});
      MediumArticle.create({{"title", "Clean React"}, {"authorId", ann.get("id")}});
      MediumArticle.create({{"title", "Clean Code"}, {"authorId", ann.get("id")}});
      return MediumArticle.create({{"title", "Many to many"}, {"authorId", bob.get("id")}});
    });
    step("reading list rows", [&] {
      MediumReadingList.create({{"userId", 1}, {"articleId", 3}});
      MediumReadingList.create({{"userId", 1}, {"articleId", 2}});
      return MediumReadingList.create({{"userId", 2}, {"articleId", 1}});
    });
    step("userAndArticle", [&] {
      return MediumUser.findAll(
          {.attributes = {"id", "name"},
           .include = {{.model = MediumArticle, .as = "articles", .attributes = {"id", "title"}}},
           .order = {{"id", ASC}, {"articles.id", ASC}}});
    });
    step("getArticleAuthors", [&] {
      return MediumArticle.findAll(
          {.attributes = {"id", "title"},
           .include = {{.model = MediumUser, .as = "author", .attributes = {"name"}}},
           .order = {{"id", ASC}}});
    });
    step("getReadingList", [&] {
      return MediumUser.findAll({.include = {{.model = MediumArticle,
                                              .as = "reading_list",
                                              .through = {.attributes = none}}},
                                 .order = {{"id", ASC}, {"reading_list.id", ASC}}});
    });
    step("reading list with the join rows", [&] {
      return MediumUser.findByPk(
          1, {.attributes = {"name"},
              .include = {{.model = MediumArticle, .as = "reading_list", .attributes = {"title"}}},
              .order = {{"reading_list.id", ASC}}});
    });
    step("readers of each article", [&] {
      return MediumArticle.findAll({.attributes = {"title"},
                                    .include = {{.model = MediumUser,
                                                 .as = "articles",
                                                 .attributes = {"name"},
                                                 .through = {.attributes = none}}},
                                    .order = {{"id", ASC}, {"articles.id", ASC}}});
    });
    step("getReading_list", [&] {
      return MediumUser.findByPk(1)->association("reading_list").get({.order = {{"id", ASC}}});
    });
    step("addReading_list", [&] {
      return MediumUser.findByPk(3)->association("reading_list").add({Value(1), Value(2)});
    });
  });
}

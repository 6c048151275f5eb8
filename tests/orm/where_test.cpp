// Every where operator the seeds and tutorials use, against real rows.
#include "fixture.hpp"

using namespace junction;
using junction::test::OrmTest;

namespace {
class WhereTest : public OrmTest {
 protected:
  void SetUp() override {
    OrmTest::SetUp();
    Blog->bulkCreate({
        {{"title", "Clean React"},
         {"author", "Dan Abramov"},
         {"url", "https://a.fi"},
         {"likes", 34},
         {"year", 2020}},
        {{"title", "Clean Code"},
         {"author", "Bob Martin"},
         {"url", "https://b.fi"},
         {"likes", 5},
         {"year", 2008}},
        {{"title", "React patterns"},
         {"author", "Michael Chan"},
         {"url", "https://c.fi"},
         {"likes", 7}},
        {{"title", "50%_off sale"}, {"author", nullptr}, {"url", "https://d.fi"}, {"likes", 0}},
    });
    clearLog();
  }
  std::vector<std::string> titles(Where w) {
    std::vector<std::string> out;
    for (auto& b : Blog->findAll({.where = std::move(w), .order = {"id"}}))
      out.push_back(b.get<std::string>("title"));
    return out;
  }
  using V = std::vector<std::string>;
};
}  // namespace

TEST_F(WhereTest, Equality) {
  EXPECT_EQ(titles({{"author", "Bob Martin"}}), V{"Clean Code"});
  EXPECT_EQ(titles({{"author", nullptr}}), V{"50%_off sale"});                   // IS NULL
  EXPECT_EQ(titles({{"likes", 5}, {"author", "Bob Martin"}}), V{"Clean Code"});  // AND
  EXPECT_EQ(titles({{"title", {"Clean Code", "React patterns"}}}),
            (V{"Clean Code", "React patterns"}));
  EXPECT_EQ(titles(col("likes") == 34), V{"Clean React"});
}

TEST_F(WhereTest, Comparisons) {
  EXPECT_EQ(titles({{"likes", Op::gt(7)}}), V{"Clean React"});
  EXPECT_EQ(titles({{"likes", Op::gte(7)}}), (V{"Clean React", "React patterns"}));
  EXPECT_EQ(titles({{"likes", Op::lt(5)}}), V{"50%_off sale"});
  EXPECT_EQ(titles({{"likes", Op::lte(5)}}), (V{"Clean Code", "50%_off sale"}));
  EXPECT_EQ(titles({{"likes", Op::ne(34)}}).size(), 3u);
  EXPECT_EQ(titles({{"likes", Op::eq(5)}}), V{"Clean Code"});
  EXPECT_EQ(titles({{"likes", Op::between(5, 7)}}), (V{"Clean Code", "React patterns"}));
  EXPECT_EQ(titles({{"likes", Op::notBetween(1, 33)}}), (V{"Clean React", "50%_off sale"}));
  EXPECT_EQ(titles({{"likes", Op::in({0, 34})}}), (V{"Clean React", "50%_off sale"}));
  EXPECT_EQ(titles({{"likes", Op::notIn({0, 34})}}), (V{"Clean Code", "React patterns"}));
  EXPECT_EQ(titles({{"likes", Op::in({})}}), V{});
  EXPECT_EQ(titles({{"likes", Op::notIn({})}}).size(), 4u);
}

TEST_F(WhereTest, PatternsAreCaseSensitiveExceptILike) {
  EXPECT_EQ(titles({{"title", Op::like("Clean%")}}), (V{"Clean React", "Clean Code"}));
  EXPECT_EQ(titles({{"title", Op::like("clean%")}}), V{});  // LIKE is case-sensitive on both
  EXPECT_EQ(titles({{"title", Op::iLike("%REACT%")}}), (V{"Clean React", "React patterns"}));
  EXPECT_EQ(titles({{"title", Op::notLike("Clean%")}}), (V{"React patterns", "50%_off sale"}));
  EXPECT_EQ(titles({{"title", Op::notILike("%react%")}}), (V{"Clean Code", "50%_off sale"}));
  EXPECT_EQ(titles({{"title", Op::startsWith("React")}}), V{"React patterns"});
  EXPECT_EQ(titles({{"title", Op::endsWith("Code")}}), V{"Clean Code"});
  EXPECT_EQ(titles({{"title", Op::substring("an Re")}}), V{"Clean React"});
  // Wildcards in startsWith/substring text are literal characters.
  EXPECT_EQ(titles({{"title", Op::startsWith("50%_")}}), V{"50%_off sale"});
  EXPECT_EQ(titles({{"title", Op::substring("%")}}), V{"50%_off sale"});
  EXPECT_EQ(titles({{"title", Op::startsWith("5_")}}), V{});
  EXPECT_EQ(titles({{"title", Op::iSubstring("REACT")}}), (V{"Clean React", "React patterns"}));
  EXPECT_EQ(titles({{"title", Op::iSubstring("%_OFF")}}), V{"50%_off sale"});
  EXPECT_EQ(titles({{"title", Op::iSubstring("_")}}), V{"50%_off sale"});
}

TEST_F(WhereTest, IsNotAndOr) {
  EXPECT_EQ(titles({{"year", Op::is(nullptr)}}), (V{"React patterns", "50%_off sale"}));
  EXPECT_EQ(titles({{"year", Op::not_(nullptr)}}), (V{"Clean React", "Clean Code"}));
  EXPECT_EQ(titles({{"likes", Op::or_({Op::lt(1), Op::gt(30)})}}),
            (V{"Clean React", "50%_off sale"}));
  EXPECT_EQ(titles({{"likes", Op::and_({Op::gt(1), Op::lt(30)})}}),
            (V{"Clean Code", "React patterns"}));
  EXPECT_EQ(titles(or_({col("author") == "Bob Martin", col("likes") == 0})),
            (V{"Clean Code", "50%_off sale"}));
  EXPECT_EQ(titles(!(col("likes") > 5)), (V{"Clean Code", "50%_off sale"}));
  EXPECT_EQ(titles(col("likes") > 5 && col("title").iLike("%react%")),
            (V{"Clean React", "React patterns"}));
  EXPECT_EQ(titles(not_(col("author").isNull())).size(), 3u);
}

TEST_F(WhereTest, BlogSearchOfExercise13) {
  // GET /api/blogs?search=react: title or author, case-insensitive.
  std::string search = "%react%";
  auto rows =
      Blog->findAll({.where = or_({col("title").iLike(search), col("author").iLike(search)}),
                     .order = {{"likes", DESC}}});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].get<std::string>("title"), "Clean React");
}

TEST_F(WhereTest, QualifiedNamesAndColumns) {
  EXPECT_EQ(titles(col("blog.likes") == 5), V{"Clean Code"});
  EXPECT_EQ(titles(col("blogs.likes") == 5), V{"Clean Code"});  // table name works too
  EXPECT_EQ(titles({{"user_id", nullptr}}).size(), 4u);         // a column name is accepted
  EXPECT_THROW(titles({{"nope", 1}}), UsageError);
  EXPECT_THROW(titles(col("other.likes") == 1), UsageError);
  EXPECT_THROW(titles(col("blog.nope") == 1), UsageError);
}

TEST_F(WhereTest, ValuesThatLookLikeSqlAreJustValues) {
  std::string evil = "x'; DROP TABLE blogs; --";
  EXPECT_EQ(titles({{"title", evil}}), V{});
  Blog->create({{"title", evil}, {"url", "https://e.fi"}});
  EXPECT_EQ(titles({{"title", evil}}), V{evil});
  for (const auto& sql : log) EXPECT_EQ(sql.find("DROP"), std::string::npos) << sql;
}

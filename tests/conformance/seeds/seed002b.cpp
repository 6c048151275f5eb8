// Seed 002, the Instagram clone: seed002b.js translated line by line.
#include "../harness.hpp"

using namespace junction;
using namespace junction::DataTypes;
using conformance::step;

int main(int argc, char** argv) {
  return conformance::run(argc, argv, [](const std::string& url) {
    Database sequelize(url, {.naming = Naming::Sequelize6});
    auto& User = sequelize.define("User", {{"username", STRING.allowNull(false).unique()}},
                                  {.timestamps = false, .tableName = "users"});
    auto& UserFollower = sequelize.define("UserFollower",
                                          {{"userId", INTEGER.references("users", "id")},
                                           {"followerId", INTEGER.references("users", "id")}},
                                          {.timestamps = false, .tableName = "user_followers"});
    User.belongsToMany(User, {.through = UserFollower, .as = "followers", .foreignKey = "userId"});
    User.belongsToMany(User, {.through = UserFollower, .as = "following", .foreignKey = "followerId"});

    step("sync", [&] { sequelize.sync({.force = true}); });
    step("users", [&] {
      for (const char* username : {"ann", "bob", "cid", "dan"}) User.create({{"username", username}});
      return UserFollower.bulkCreate({{{"userId", 1}, {"followerId", 2}},
                                      {{"userId", 1}, {"followerId", 3}},
                                      {{"userId", 3}, {"followerId", 1}}});
    });
    step("followers and following", [&] {
      return User.findAll(
          {.include = {{.model = User,
                        .as = "followers",
                        .attributes = {"username"},
                        .through = {.attributes = none}},
                       {.model = User,
                        .as = "following",
                        .attributes = {"username"},
                        .through = {.attributes = none}}},
           .order = {{"id", ASC}, {"followers.id", ASC}, {"following.id", ASC}}});
    });
    step("dan follows ann and bob",
         [&] { return User.findByPk(4)->association("following").add({Value(1), Value(2)}); });
    step("bob has dan as a follower",
         [&] { return User.findByPk(2)->association("followers").has(Value(4)); });
    step("ann counts her followers",
         [&] { return User.findByPk(1)->association("followers").count(); });
    step("whom dan follows", [&] {
      return User.findByPk(4)->association("following").get(
          {.attributes = {"username"}, .order = {{"id", ASC}}});
    });
    step("dan unfollows ann",
         [&] { return User.findByPk(4)->association("following").remove(Value(1)); });
    step("a second ann", [&] { return User.create({{"username", "ann"}}); });
  });
}

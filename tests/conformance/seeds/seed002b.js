// Seed 002, the Instagram clone: followers and following, two
// self-referencing many-to-many associations through UserFollower.
// seed002b.cpp is the junction translation.
'use strict';
const { DataTypes } = require('sequelize');
const { connect, step, run } = require('../harness');

run(async (url) => {
  const sequelize = connect(url);
  const User = sequelize.define('User', { username: { type: DataTypes.STRING, allowNull: false, unique: true } },
    { timestamps: false, tableName: 'users' });
  const UserFollower = sequelize.define('UserFollower', {
    userId: { type: DataTypes.INTEGER, references: { model: 'users', key: 'id' } },
    followerId: { type: DataTypes.INTEGER, references: { model: 'users', key: 'id' } },
  }, { timestamps: false, tableName: 'user_followers' });
  User.belongsToMany(User, { as: 'followers', through: UserFollower, foreignKey: 'userId' });
  User.belongsToMany(User, { as: 'following', through: UserFollower, foreignKey: 'followerId' });

  await step('sync', () => sequelize.sync({ force: true }).then(() => null));
  await step('users', async () => {
    for (const username of ['ann', 'bob', 'cid', 'dan']) await User.create({ username });
    return UserFollower.bulkCreate([{ userId: 1, followerId: 2 }, { userId: 1, followerId: 3 }, { userId: 3, followerId: 1 }]);
  });
  await step('followers and following', () => User.findAll({
    include: [
      { model: User, as: 'followers', attributes: ['username'], through: { attributes: [] } },
      { model: User, as: 'following', attributes: ['username'], through: { attributes: [] } },
    ],
    order: [['id', 'ASC'], [{ model: User, as: 'followers' }, 'id', 'ASC'], [{ model: User, as: 'following' }, 'id', 'ASC']],
  }));
  await step('dan follows ann and bob', async () => (await User.findByPk(4)).addFollowing([1, 2]));
  await step('bob has dan as a follower', async () => (await User.findByPk(2)).hasFollower(4));
  await step('ann counts her followers', async () => (await User.findByPk(1)).countFollowers());
  await step('whom dan follows', async () => (await User.findByPk(4)).getFollowing({ attributes: ['username'], order: [['id', 'ASC']] }));
  await step('dan unfollows ann', async () => (await User.findByPk(4)).removeFollowing(1));
  await step('a second ann', () => User.create({ username: 'ann' }));
  await sequelize.close();
});

// Seed 002, the Medium clone: a user's articles (one-many) and reading list
// (many-many through MediumReadingList). The lesson shows its queries as
// screenshots; each step is one query it describes. seed002a.cpp is the
// junction translation.
'use strict';
const { DataTypes } = require('sequelize');
const { connect, step, run } = require('../harness');

run(async (url) => {
  const sequelize = connect(url);
  const MediumUser = sequelize.define('MediumUser', { name: { type: DataTypes.STRING, allowNull: false } },
    { tableName: 'medium_users' });
  const MediumArticle = sequelize.define('MediumArticle', {
    title: { type: DataTypes.STRING, allowNull: false },
    authorId: { type: DataTypes.INTEGER, references: { model: 'medium_users', key: 'id' } },
  }, { tableName: 'medium_articles' });
  const MediumReadingList = sequelize.define('MediumReadingList', {
    userId: { type: DataTypes.INTEGER, references: { model: 'medium_users', key: 'id' } },
    articleId: { type: DataTypes.INTEGER, references: { model: 'medium_articles', key: 'id' } },
  }, { tableName: 'user_reading_list' });
  MediumUser.hasMany(MediumArticle, { as: 'articles', foreignKey: 'authorId' });
  MediumArticle.belongsTo(MediumUser, { as: 'author', foreignKey: 'authorId' });
  MediumUser.belongsToMany(MediumArticle, { as: 'reading_list', through: MediumReadingList, foreignKey: 'userId' });
  MediumArticle.belongsToMany(MediumUser, { through: MediumReadingList, as: 'articles', foreignKey: 'articleId' });

  await step('sync', () => sequelize.sync({ force: true }).then(() => null));
  await step('users and articles', async () => {
    const ann = await MediumUser.create({ name: 'Ann' });
    const bob = await MediumUser.create({ name: 'Bob' });
    await MediumUser.create({ name: 'Cid' });
    await MediumArticle.create({ title: 'Clean React', authorId: ann.id });
    await MediumArticle.create({ title: 'Clean Code', authorId: ann.id });
    return MediumArticle.create({ title: 'Many to many', authorId: bob.id });
  });
  await step('reading list rows', async () => {
    await MediumReadingList.create({ userId: 1, articleId: 3 });
    await MediumReadingList.create({ userId: 1, articleId: 2 });
    return MediumReadingList.create({ userId: 2, articleId: 1 });
  });
  await step('userAndArticle', () => MediumUser.findAll({
    attributes: ['id', 'name'],
    include: [{ model: MediumArticle, as: 'articles', attributes: ['id', 'title'] }],
    order: [['id', 'ASC'], [{ model: MediumArticle, as: 'articles' }, 'id', 'ASC']],
  }));
  await step('getArticleAuthors', () => MediumArticle.findAll({
    attributes: ['id', 'title'],
    include: [{ model: MediumUser, as: 'author', attributes: ['name'] }],
    order: [['id', 'ASC']],
  }));
  await step('getReadingList', () => MediumUser.findAll({
    include: [{ model: MediumArticle, as: 'reading_list', through: { attributes: [] } }],
    order: [['id', 'ASC'], [{ model: MediumArticle, as: 'reading_list' }, 'id', 'ASC']],
  }));
  await step('reading list with the join rows', () => MediumUser.findByPk(1, {
    attributes: ['name'],
    include: [{ model: MediumArticle, as: 'reading_list', attributes: ['title'] }],
    order: [[{ model: MediumArticle, as: 'reading_list' }, 'id', 'ASC']],
  }));
  await step('readers of each article', () => MediumArticle.findAll({
    attributes: ['title'],
    include: [{ model: MediumUser, as: 'articles', attributes: ['name'], through: { attributes: [] } }],
    order: [['id', 'ASC'], [{ model: MediumUser, as: 'articles' }, 'id', 'ASC']],
  }));
  await step('getReading_list', async () => (await MediumUser.findByPk(1)).getReading_list({ order: [['id', 'ASC']] }));
  await step('addReading_list', async () => (await MediumUser.findByPk(3)).addReading_list([1, 2]));
  await sequelize.close();
});

// Seed 000 (Full Stack Open part 13c), the models and queries of the
// chapter: notes and users, teams through memberships, marked notes through
// user_notes, eager and lazy fetching, scopes, instance and class methods.
// The chapter creates its tables with migrations; here sync creates the
// same models' tables. seed000.cpp is the junction translation. Where the
// chapter leaves the order of rows to the database, an order is added so
// both sides can be compared row for row.
'use strict';
const { DataTypes, Model, Op } = require('sequelize');
const { connect, step, run } = require('../harness');

run(async (url) => {
  const sequelize = connect(url);

  class Note extends Model {}
  Note.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    content: { type: DataTypes.TEXT, allowNull: false },
    important: { type: DataTypes.BOOLEAN },
    date: { type: DataTypes.DATE },
  }, { sequelize, underscored: true, timestamps: false, modelName: 'note' });

  class User extends Model {
    async number_of_notes() {
      return (await this.getNotes()).length;
    }
    static async with_notes(limit) {
      return await User.findAll({
        attributes: { include: [[sequelize.fn('COUNT', sequelize.col('notes.id')), 'note_count']] },
        include: [{ model: Note, attributes: [] }],
        group: ['user.id'],
        having: sequelize.literal(`COUNT(notes.id) > ${limit}`),
      });
    }
  }
  User.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    username: { type: DataTypes.STRING, unique: true, allowNull: false },
    name: { type: DataTypes.STRING, allowNull: false },
    admin: { type: DataTypes.BOOLEAN, defaultValue: false },
    disabled: { type: DataTypes.BOOLEAN, defaultValue: false },
  }, {
    sequelize, underscored: true, timestamps: false, modelName: 'user',
    defaultScope: { where: { disabled: false } },
    scopes: {
      admin: { where: { admin: true } },
      disabled: { where: { disabled: true } },
      name(value) {
        return { where: { name: { [Op.iLike]: value } } };
      },
    },
  });

  class Team extends Model {}
  Team.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    name: { type: DataTypes.TEXT, unique: true },
  }, { sequelize, underscored: true, timestamps: false, modelName: 'team' });

  class Membership extends Model {}
  Membership.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    userId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'users', key: 'id' } },
    teamId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'teams', key: 'id' } },
  }, { sequelize, underscored: true, timestamps: false, modelName: 'membership' });

  class UserNotes extends Model {}
  UserNotes.init({
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    userId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'users', key: 'id' } },
    noteId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'notes', key: 'id' } },
  }, { sequelize, underscored: true, timestamps: false, modelName: 'user_notes' });

  Note.belongsTo(User);
  User.hasMany(Note);
  User.belongsToMany(Team, { through: Membership });
  Team.belongsToMany(User, { through: Membership });
  User.belongsToMany(Note, { through: UserNotes, as: 'marked_notes' });
  Note.belongsToMany(User, { through: UserNotes, as: 'users_marked' });

  await step('sync', () => sequelize.sync({ force: true }).then(() => null));
  await step('users', async () => {
    await User.create({ username: 'mluukkai', name: 'Matti Luukkainen' });
    await User.create({ username: 'lynx', name: 'Kalle Ilves' });
    return User.create({ username: 'jakousa', name: 'Jami Kousa' });
  });
  await step('jami disabled, matti admin', async () => [
    await User.unscoped().update({ disabled: true }, { where: { username: 'jakousa' } }),
    await User.update({ admin: true }, { where: { username: 'mluukkai' } }),
  ]);
  await step('notes', async () => {
    await Note.create({ content: 'HTML is easy', important: true, userId: 1 });
    await Note.create({ content: 'Browser can execute only JavaScript', important: false, userId: 1 });
    await Note.create({ content: 'GET and POST', important: true, userId: 2 });
    return Note.create({ content: 'a note of a disabled user', important: false, userId: 3 });
  });
  await step('teams and memberships', async () => {
    await Team.bulkCreate([{ name: 'toska' }, { name: 'mosa climbers' }]);
    return Membership.bulkCreate([{ userId: 1, teamId: 1 }, { userId: 1, teamId: 2 }, { userId: 2, teamId: 1 }, { userId: 3, teamId: 2 }]);
  });
  await step('marked notes', () => UserNotes.bulkCreate([{ userId: 2, noteId: 1 }, { userId: 2, noteId: 2 }]));

  await step('GET /api/notes', () => Note.findAll({
    attributes: { exclude: ['userId'] },
    include: { model: User, attributes: ['name'] },
    order: [['id', 'ASC']],
  }));
  await step('GET /api/notes?search', () => Note.findAll({
    where: { important: true, content: { [Op.substring]: 'easy' } },
    order: [['id', 'ASC']],
  }));
  await step('GET /api/users', () => User.findAll({
    include: [
      { model: Note, attributes: { exclude: ['userId'] } },
      { model: Team, attributes: ['name', 'id'], through: { attributes: [] } },
    ],
    order: [['id', 'ASC'], [Note, 'id', 'ASC'], [Team, 'id', 'ASC']],
  }));
  await step('GET /api/users/:id', () => User.findByPk(2, {
    attributes: { exclude: [''] },
    include: [
      { model: Note, attributes: { exclude: ['userId'] } },
      {
        model: Note, as: 'marked_notes', attributes: { exclude: ['userId'] }, through: { attributes: [] },
        include: { model: User, attributes: ['name'] },
      },
    ],
    order: [[{ model: Note, as: 'marked_notes' }, 'id', 'ASC']],
  }));
  await step('GET /api/users/:id?teams', async () => {
    const user = await User.findByPk(1);
    return user.getTeams({ attributes: ['name'], joinTableAttributes: [], order: [['id', 'ASC']] });
  });
  await step('a disabled user is not found', () => User.findByPk(3));
  await step('the default scope filters an include', () => Note.findAll({
    include: { model: User }, order: [['id', 'ASC']],
  }));
  await step('required: false keeps the note', () => Note.findAll({
    include: { model: User, required: false }, order: [['id', 'ASC']],
  }));
  await step('unscoped include', () => Note.findAll({
    include: { model: User.unscoped() }, order: [['id', 'ASC']],
  }));
  await step("scope('admin')", () => User.scope('admin').findAll());
  await step("scope('disabled')", () => User.scope('disabled').findAll());
  await step("scope({ method: ['name', '%jami%'] })", () => User.scope({ method: ['name', '%jami%'] }).findAll());
  await step("scope('admin', { method: ['name', '%matti%'] })", () =>
    User.scope('admin', { method: ['name', '%matti%'] }).findAll());
  await step('number_of_notes', async () => (await User.findOne({ where: { username: 'mluukkai' } })).number_of_notes());
  await step('with_notes(1)', () => User.with_notes(1));
  await step('marked notes of a note', () => Note.findAll({
    attributes: ['id'],
    include: { model: User, as: 'users_marked', attributes: ['username'], through: { attributes: [] } },
    order: [['id', 'ASC']],
  }));
  await step('username is required', () => User.create({ name: 'No Username' }));
  await step('username is unique', () => User.create({ username: 'lynx', name: 'Another Lynx' }));
  await step('a membership needs a user', () => Membership.create({ teamId: 1 }));
  await step('destroy a note', async () => Note.destroy({ where: { id: 4 } }));
  await sequelize.close();
});

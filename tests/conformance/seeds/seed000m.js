// Seed 000's migrations (Full Stack Open part 13c, "Migrations" and
// "Many-to-many relationships"), run with Umzug and SequelizeStorage as the
// chapter runs them: all up, the last two down, up again.
// seed000m.cpp runs the same migrations with junction's Migrator.
'use strict';
const { DataTypes } = require('sequelize');
const { Umzug, SequelizeStorage } = require('umzug');
const { connect, step, run } = require('../harness');

const migrations = [
  {
    name: '20211209_00_initialize_notes_and_users',
    up: async ({ context: queryInterface }) => {
      await queryInterface.createTable('notes', {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        content: { type: DataTypes.TEXT, allowNull: false },
        important: { type: DataTypes.BOOLEAN, allowNull: false },
        date: { type: DataTypes.DATE },
      });
      await queryInterface.createTable('users', {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        username: { type: DataTypes.STRING, unique: true, allowNull: false },
        name: { type: DataTypes.STRING, allowNull: false },
      });
      await queryInterface.addColumn('notes', 'user_id', {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'users', key: 'id' },
      });
    },
    down: async ({ context: queryInterface }) => {
      await queryInterface.dropTable('notes');
      await queryInterface.dropTable('users');
    },
  },
  {
    name: '20211209_01_admin_and_disabled_to_users',
    up: async ({ context: queryInterface }) => {
      await queryInterface.addColumn('users', 'admin', { type: DataTypes.BOOLEAN, defaultValue: false });
      await queryInterface.addColumn('users', 'disabled', { type: DataTypes.BOOLEAN, defaultValue: false });
    },
    down: async ({ context: queryInterface }) => {
      await queryInterface.removeColumn('users', 'admin');
      await queryInterface.removeColumn('users', 'disabled');
    },
  },
  {
    name: '20211209_02_add_teams_and_memberships',
    up: async ({ context: queryInterface }) => {
      await queryInterface.createTable('teams', {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        name: { type: DataTypes.TEXT, allowNull: false, unique: true },
      });
      await queryInterface.createTable('memberships', {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        user_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'users', key: 'id' } },
        team_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'teams', key: 'id' } },
      });
    },
    down: async ({ context: queryInterface }) => {
      await queryInterface.dropTable('memberships');
      await queryInterface.dropTable('teams');
    },
  },
  {
    name: '20211209_03_add_user_notes',
    up: async ({ context: queryInterface }) => {
      await queryInterface.createTable('user_notes', {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        user_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'users', key: 'id' } },
        note_id: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'notes', key: 'id' } },
      });
    },
    down: async ({ context: queryInterface }) => {
      await queryInterface.dropTable('user_notes');
    },
  },
];

run(async (url) => {
  const sequelize = connect(url);
  const migrator = new Umzug({
    migrations,
    storage: new SequelizeStorage({ sequelize, tableName: 'migrations' }),
    context: sequelize.getQueryInterface(),
    logger: undefined,
  });
  const names = (ran) => ran.map((m) => m.name);
  await step('runMigrations', async () => names(await migrator.up()));
  await step('rollbackMigration', async () => names(await migrator.down()));
  await step('down to 01', async () => names(await migrator.down({ to: '20211209_02_add_teams_and_memberships' })));
  await step('executed', async () => names(await migrator.executed()));
  await step('runMigrations again', async () => names(await migrator.up()));
  await sequelize.close();
});

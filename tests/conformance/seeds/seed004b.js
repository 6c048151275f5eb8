// Seed 004, "associations with extra attributes on the through table":
// User and Project through UserProject with a role, in Sequelize 6's form.
// seed004b.cpp is the junction translation.
'use strict';
const { DataTypes } = require('sequelize');
const { connect, step, run } = require('../harness');

run(async (url) => {
  const sequelize = connect(url);
  const UserProject = sequelize.define('UserProject', { role: DataTypes.STRING });
  const Project = sequelize.define('Project', { name: DataTypes.STRING });
  const User = sequelize.define('User', { username: DataTypes.STRING });
  User.belongsToMany(Project, { through: UserProject });
  Project.belongsToMany(User, { through: UserProject });

  await step('sync', () => sequelize.sync({ force: true }).then(() => null));
  await step('a user and three projects', async () => {
    await User.create({ username: 'user1' });
    return Project.bulkCreate([{ name: 'p1' }, { name: 'p2' }, { name: 'p3' }]);
  });
  const user1 = () => User.findByPk(1);
  const projects = () => Project.findAll({ order: [['id', 'ASC']] });
  await step("setProjects(..., { through: { role: 'admin' } })", async () => {
    await (await user1()).setProjects(await projects(), { through: { role: 'admin' } });
    return null;
  });
  await step('roles after one through object', async () =>
    (await (await user1()).getProjects({ order: [['id', 'ASC']] })).map((x) => x.UserProject?.role));
  await step('setProjects(none)', async () => {
    await (await user1()).setProjects([]);
    return null;
  });
  await step('addProjects with a role', async () =>
    (await user1()).addProjects(await projects(), { through: { role: 'manager' } }));
  await step('addProject again changes the role', async () =>
    (await user1()).addProject(1, { through: { role: 'designer' } }));
  await step('roles after add', async () =>
    (await (await user1()).getProjects({ order: [['id', 'ASC']] })).map((x) => x.UserProject?.role));
  await step('include with the junction', () => User.findAll({ include: Project, order: [[Project, 'id', 'ASC']] }));
  await sequelize.close();
});

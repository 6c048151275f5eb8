// Seed 003, the custom join model UserProject with role and startDate.
// seed003b.cpp is the junction translation.
'use strict';
const { DataTypes } = require('sequelize');
const { connect, step, run } = require('../harness');

run(async (url) => {
  const sequelize = connect(url);
  const User = sequelize.define('User', {
    name: { type: DataTypes.STRING, allowNull: false },
    email: { type: DataTypes.STRING, allowNull: false, unique: true, validate: { isEmail: true } },
  });
  const Project = sequelize.define('Project', {
    title: { type: DataTypes.STRING, allowNull: false },
    description: { type: DataTypes.TEXT },
  });
  const UserProject = sequelize.define('UserProject', {
    role: { type: DataTypes.STRING, allowNull: false, validate: { isIn: [['admin', 'developer', 'viewer']] } },
    startDate: { type: DataTypes.DATE, defaultValue: DataTypes.NOW },
  }, { timestamps: true });
  User.belongsToMany(Project, { through: UserProject, foreignKey: 'userId', as: 'projects' });
  Project.belongsToMany(User, { through: UserProject, foreignKey: 'projectId', as: 'users' });

  await step('sync', () => sequelize.sync({ force: true }).then(() => null));

  let userId;
  await step('createUserWithRole: addProject with role', async () => {
    const user = await User.create({ name: 'Alice', email: 'alice@example.com' });
    userId = user.id;
    const project = await Project.create({ title: 'DevOps', description: 'CI/CD Pipeline' });
    return user.addProject(project, { through: { role: 'admin' } });
  });
  await step('createUserWithRole: findByPk with role', () => User.findByPk(userId, {
    include: [{ model: Project, as: 'projects', through: { attributes: ['role', 'startDate'] } }],
  }));
  await step('a role outside the list', async () => {
    const user = await User.findByPk(userId);
    const project = await Project.create({ title: 'Docs' });
    return user.addProject(project, { through: { role: 'owner' } });
  });
  await step('no role', async () => {
    const user = await User.findByPk(userId);
    return user.addProject(await Project.findOne({ where: { title: 'Docs' } }));
  });
  await step('getUsers with the junction row', async () => (await Project.findByPk(1)).getUsers());
  await step('getProjects where the junction says', async () => (await User.findByPk(userId)).getProjects({
    through: { where: { role: 'admin' } },
  }));
  await step('removeProject', async () => (await User.findByPk(userId)).removeProject(1));
  await sequelize.close();
});

// Seed 003, the join table given by name (through: 'UserProject'): each
// function of the guide is a step. seed003a.cpp is the junction translation.
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
  User.belongsToMany(Project, { through: 'UserProject', foreignKey: 'userId', as: 'projects' });
  Project.belongsToMany(User, { through: 'UserProject', foreignKey: 'projectId', as: 'users' });

  await step('sync', () => sequelize.sync({ force: true }).then(() => null));

  await step('createUserWithProject', async () => {
    const user = await User.create({ name: 'John Doe', email: 'john@example.com' });
    const project = await Project.create({ title: 'Sequelize Tutorial', description: 'Learn many-to-many associations' });
    return user.addProject(project);
  });

  await step('createUserWithProjects', () => User.create({
    name: 'Jane Smith',
    email: 'jane@example.com',
    projects: [
      { title: 'Website Redesign', description: 'Update UI/UX' },
      { title: 'API Development', description: 'Build RESTful endpoints' },
    ],
  }, { include: [{ model: Project, as: 'projects' }] }));

  await step('updateUserProjects: addProject', async () => {
    const user = await User.findOne({ where: { name: 'John Doe' } });
    const newProject = await Project.create({ title: 'Mobile App', description: 'React Native' });
    return user.addProject(newProject);
  });
  await step('updateUserProjects: addProjects', async () => {
    const user = await User.findOne({ where: { name: 'John Doe' } });
    const projects = await Project.findAll({ where: { title: ['Website Redesign', 'API Development'] } });
    return user.addProjects(projects);
  });
  await step('updateUserProjects: addProject again', async () => {
    const user = await User.findOne({ where: { name: 'John Doe' } });
    return user.addProject(await Project.findOne({ where: { title: 'Mobile App' } }));
  });
  await step('updateUserProjects: removeProject', async () => {
    const user = await User.findOne({ where: { name: 'John Doe' } });
    return user.removeProject(await Project.findOne({ where: { title: 'Mobile App' } }));
  });

  await step('getUserWithProjects', () => User.findByPk(1, {
    include: [{ model: Project, as: 'projects', attributes: ['id', 'title'] }],
  }));
  await step('getProjectWithUsers', () => Project.findByPk(1, {
    include: [{ model: User, as: 'users', attributes: ['id', 'name'], through: { attributes: [] } }],
  }));
  await step('usersInTutorial', () => User.findAll({
    include: [{ model: Project, as: 'projects', where: { title: 'Sequelize Tutorial' } }],
  }));
  await step('order projects by title', () => User.findByPk(1, {
    include: [{ model: Project, as: 'projects', order: [['title', 'ASC']] }],
  }));
  await step('order by the included title', () => User.findByPk(1, {
    include: [{ model: Project, as: 'projects' }],
    order: [[{ model: Project, as: 'projects' }, 'title', 'DESC']],
  }));
  await step('getProjects', async () => (await User.findByPk(1)).getProjects({ order: [['id', 'ASC']] }));
  await step('countProjects', async () => (await User.findByPk(1)).countProjects());
  await step('hasProject', async () => (await User.findByPk(1)).hasProject(2));
  await step('setProjects', async () => (await User.findByPk(1)).setProjects([2, 4]));
  await step('email must be an email', () => User.create({ name: 'John Doe', email: 'not an email' }));
  await step('email is unique', () => User.create({ name: 'Again', email: 'john@example.com' }));
  await step('name is required', () => User.create({ email: 'x@example.com' }));
  await sequelize.close();
});

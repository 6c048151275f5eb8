// The blog list routes the benchmark loads, written the way Full Stack Open
// part 13 writes them: Express, express-async-errors, Sequelize 6 on pg,
// jsonwebtoken, a tokenExtractor middleware with a server-side session check.
// It runs on the tables bloglist's migrations create (underscored columns).
//
//   DATABASE_URL=postgres://... PORT=3002 SECRET=... node app.js   (PORT=0: any free port)
// Prints `express listening on http://127.0.0.1:<port>` when ready.
require('express-async-errors')
const crypto = require('node:crypto')
const express = require('express')
const jwt = require('jsonwebtoken')
const { Sequelize, Model, DataTypes, Op } = require('sequelize')
const { verify } = require('./pwverify')

const DATABASE_URL = process.env.DATABASE_URL
const PORT = Number(process.env.PORT || 3002)
const SECRET = process.env.SECRET || 'bench-http-secret'

// COUNT and SUM are bigint; pg hands them over as strings unless told
// otherwise. bloglist answers numbers, so parse them here too (the counts fit
// easily in a double).
require('pg').types.setTypeParser(20, (v) => parseInt(v, 10))

// Sequelize's default pool (max 5), as the course leaves it; DB_POOL (bloglist's
// variable, default 16 there) overrides it for experiments.
const sequelize = new Sequelize(DATABASE_URL, {
  logging: false,
  pool: { max: Number(process.env.DB_POOL || 5) },
})

// ---- models (models/*.js in the course) ----
class User extends Model {}
User.init({
  id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
  username: { type: DataTypes.STRING, unique: true, allowNull: false, validate: { isEmail: true } },
  name: { type: DataTypes.STRING, allowNull: false },
  passwordHash: { type: DataTypes.STRING },
  admin: { type: DataTypes.BOOLEAN, defaultValue: false },
  disabled: { type: DataTypes.BOOLEAN, defaultValue: false },
}, { sequelize, underscored: true, timestamps: true, modelName: 'user' })

class Blog extends Model {}
Blog.init({
  id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
  author: { type: DataTypes.TEXT },
  url: { type: DataTypes.TEXT, allowNull: false },
  title: { type: DataTypes.TEXT, allowNull: false },
  likes: { type: DataTypes.INTEGER, defaultValue: 0 },
  year: { type: DataTypes.INTEGER },
}, { sequelize, underscored: true, timestamps: true, modelName: 'blog' })

class Readinglist extends Model {}
Readinglist.init({
  id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
  userId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'users', key: 'id' } },
  blogId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'blogs', key: 'id' } },
  read: { type: DataTypes.BOOLEAN, defaultValue: false },
}, { sequelize, underscored: true, timestamps: false, modelName: 'readinglist' })

class Session extends Model {}
Session.init({
  id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
  userId: { type: DataTypes.INTEGER, allowNull: false, references: { model: 'users', key: 'id' } },
  sid: { type: DataTypes.STRING, allowNull: false, unique: true },
}, { sequelize, underscored: true, timestamps: true, modelName: 'session' })

User.hasMany(Blog)
Blog.belongsTo(User)
User.belongsToMany(Blog, { through: Readinglist, as: 'readings' })
Blog.belongsToMany(User, { through: Readinglist, as: 'usersMarked' })
Readinglist.belongsTo(Blog)
User.hasMany(Session)
Session.belongsTo(User)

// ---- util/middleware.js ----
const tokenExtractor = async (req, res, next) => {
  const authorization = req.get('authorization')
  if (!authorization || !authorization.toLowerCase().startsWith('bearer ')) {
    return res.status(401).json({ error: 'token missing' })
  }
  const token = authorization.substring(7)
  try {
    req.decodedToken = jwt.verify(token, SECRET)
  } catch {
    return res.status(401).json({ error: 'token invalid' })
  }
  const session = await Session.findOne({ where: { sid: req.decodedToken.sid || '' }, include: User })
  if (!session) {
    return res.status(401).json({ error: 'session expired' })
  }
  const user = session.user
  if (!user || user.disabled) {
    return res.status(401).json({ error: 'account disabled, please contact admin' })
  }
  req.user = user
  next()
}

const errorHandler = (error, req, res, next) => {
  if (error.name === 'SequelizeValidationError' || error.name === 'SequelizeUniqueConstraintError') {
    return res.status(400).json({ error: error.errors.map((e) => e.message).join(', ') })
  }
  if (error.name === 'SequelizeDatabaseError') {
    return res.status(400).json({ error: error.message })
  }
  console.error(error)
  return res.status(500).json({ error: 'internal error' })
}

// ---- controllers ----
const blogsRouter = express.Router()
blogsRouter.get('/', async (req, res) => {
  const where = {}
  if (req.query.search) {
    where[Op.or] = [
      { title: { [Op.iLike]: `%${req.query.search}%` } },
      { author: { [Op.iLike]: `%${req.query.search}%` } },
    ]
  }
  const blogs = await Blog.findAll({
    attributes: { exclude: ['userId'] },
    include: { model: User, attributes: ['id', 'username', 'name'] },
    where,
    order: [['likes', 'DESC'], ['id', 'ASC']],
  })
  res.json(blogs)
})

const usersRouter = express.Router()
usersRouter.get('/:id', async (req, res) => {
  let where
  if (req.query.read === 'true' || req.query.read === 'false') {
    where = { read: req.query.read === 'true' }
  } else if (req.query.read !== undefined) {
    return res.status(400).json({ error: 'read must be true or false' })
  }
  // As bloglist does: the junction row is read as the through attributes
  // and shown as the one-element `readinglists` list of exercise 13.21.
  const user = await User.findByPk(req.params.id, {
    attributes: ['name', 'username'],
    include: {
      model: Blog,
      as: 'readings',
      attributes: ['id', 'url', 'title', 'author', 'likes', 'year'],
      through: { attributes: ['read', 'id'], where },
    },
    order: [[{ model: Blog, as: 'readings' }, 'id', 'ASC']],
  })
  if (!user) {
    return res.status(404).json({ error: 'user not found' })
  }
  const { readings, ...rest } = user.toJSON()
  res.json({
    ...rest,
    readings: readings.map(({ readinglist, ...blog }) => ({ ...blog, readinglists: [readinglist] })),
  })
})

const authorsRouter = express.Router()
authorsRouter.get('/', async (req, res) => {
  const authors = await Blog.findAll({
    attributes: [
      'author',
      [sequelize.fn('COUNT', sequelize.col('id')), 'articles'],
      [sequelize.fn('SUM', sequelize.col('likes')), 'likes'],
    ],
    group: 'author',
    order: [[sequelize.literal('likes'), 'DESC'], ['author', 'ASC']],
  })
  res.json(authors)
})

const loginRouter = express.Router()
loginRouter.post('/', async (req, res) => {
  const { username, password } = req.body
  const user = await User.findOne({ where: { username } })
  const passwordCorrect = user && user.passwordHash && typeof password === 'string'
    ? await verify(user.passwordHash, password)
    : false
  if (!(user && passwordCorrect)) {
    return res.status(401).json({ error: 'invalid username or password' })
  }
  if (user.disabled) {
    return res.status(401).json({ error: 'account disabled, please contact admin' })
  }
  // a session row per login (exercise 13.24); the token names it
  const sid = crypto.randomBytes(16).toString('hex')
  await Session.create({ userId: user.id, sid })
  const token = jwt.sign({ username: user.username, id: user.id, sid }, SECRET)
  res.status(200).send({ token, username: user.username, name: user.name })
})

const readinglistsRouter = express.Router()
readinglistsRouter.put('/:id', tokenExtractor, async (req, res) => {
  if (typeof req.body.read !== 'boolean') {
    return res.status(400).json({ error: 'read must be a boolean' })
  }
  const entry = await Readinglist.findByPk(req.params.id)
  if (!entry) {
    return res.status(404).json({ error: 'reading list entry not found' })
  }
  if (entry.userId !== req.user.id) {
    return res.status(403).json({ error: 'not your reading list' })
  }
  entry.read = req.body.read
  await entry.save()
  res.json(entry)
})

// ---- app.js / index.js ----
const app = express()
app.use(express.json())
app.use('/api/blogs', blogsRouter)
app.use('/api/users', usersRouter)
app.use('/api/authors', authorsRouter)
app.use('/api/login', loginRouter)
app.use('/api/readinglists', readinglistsRouter)
app.use((req, res) => res.status(404).json({ error: 'unknown endpoint' }))
app.use(errorHandler)

const start = async () => {
  await sequelize.authenticate()
  const server = app.listen(PORT, '127.0.0.1', () => {
    console.log(`express listening on http://127.0.0.1:${server.address().port}`)
  })
  const stop = () => server.close(() => sequelize.close().then(() => process.exit(0)))
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}
start()

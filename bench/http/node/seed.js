// Seeds the benchmark data set into a freshly migrated bloglist database:
// 200 users, 5,000 blogs, 20,000 reading-list rows (unique user/blog pairs),
// one chosen user (the second) with exactly 100 readings. Deterministic.
//
//   DATABASE_URL=postgres://... node seed.js > seed.json
//
// Every user gets the same password (BENCH_PASSWORD, default "benchpass").
// Its hash is the one bloglist stored for user 1, created beforehand through
// POST /api/users; when the users table is empty the hash is made here with
// libsodium's crypto_pwhash_str and the interactive limits instead. Prints a
// JSON summary (ids and usernames the load scripts need) on stdout.
const { Client } = require('pg')

const USERS = 200
const BLOGS = 5000
const READINGS = 20000
const CHOSEN = 2 // user id with exactly 100 readings
const CHOSEN_READINGS = 100
const PASSWORD = process.env.BENCH_PASSWORD || 'benchpass'

// mulberry32: a small seeded generator, so every run seeds the same data
let state = 0x5eed1234
const rand = () => {
  state = (state + 0x6d2b79f5) | 0
  let t = state
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const pick = (a) => a[Math.floor(rand() * a.length)]
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1))

const FIRST = ['Matti', 'Arto', 'Ada', 'Grace', 'Linus', 'Barbara', 'Dan', 'Kent', 'Martin', 'Sandi',
  'Rich', 'Bjarne', 'Herb', 'Kate', 'Sarah', 'Evan', 'Jami', 'Kalle', 'Venla', 'Aino',
  'Mikko', 'Anna', 'Juha', 'Laura', 'Pekka']
const LAST = ['Luukkainen', 'Hellas', 'Lovelace', 'Hopper', 'Torvalds', 'Liskov', 'Abramov', 'Beck', 'Fowler',
  'Metz', 'Hickey', 'Stroustrup', 'Sutter', 'Gregory', 'Drasner', 'You', 'Kousa', 'Virtanen', 'Korhonen',
  'Nieminen', 'Makinen', 'Hamalainen', 'Laine', 'Heikkinen', 'Koskinen']
const ADJ = ['Clean', 'Practical', 'Modern', 'Effective', 'Pragmatic', 'Advanced', 'Hands-on', 'Scalable',
  'Idiomatic', 'Safe', 'Fast', 'Simple', 'Testable', 'Functional', 'Concurrent', 'Readable']
const TOPIC = ['React', 'Rust', 'PostgreSQL', 'Kubernetes', 'Go', 'Python', 'TypeScript', 'C++', 'SQL',
  'Node.js', 'CSS', 'Docker', 'Linux', 'Compilers', 'Databases', 'Security', 'Accessibility', 'GraphQL',
  'WebAssembly', 'Redux', 'Sequelize', 'Express', 'Testing', 'Git', 'Vim', 'Emacs', 'Haskell', 'Elixir',
  'Kotlin', 'Swift', 'Java', 'Scala', 'Clojure', 'Erlang', 'OCaml', 'Zig', 'Lua', 'Perl', 'Ruby', 'PHP']
const NOUN = ['Patterns', 'Pitfalls', 'in Practice', 'from Scratch', 'Internals', 'Tips', 'at Scale',
  'for Beginners', 'Deep Dive', 'Recipes', 'Notes', 'Explained', 'Anti-patterns', 'Performance', 'Idioms']

const q = (s) => (s === null || s === undefined ? 'NULL' : `'${String(s).replace(/'/g, "''")}'`)
const ts = (ms) => q(new Date(ms).toISOString())
const BASE = Date.parse('2025-01-01T00:00:00.000Z')

const main = async () => {
  const client = new Client({ connectionString: process.env.DATABASE_URL })
  await client.connect()

  // Which columns the migrations made: fill timestamps where they exist and
  // refuse to guess for any other NOT NULL column without a default.
  const cols = {}
  const { rows: colRows } = await client.query(`
    SELECT table_name, column_name, is_nullable, column_default, is_identity
    FROM information_schema.columns
    WHERE table_schema = current_schema()
      AND table_name IN ('users', 'blogs', 'readinglists', 'sessions')`)
  for (const r of colRows) (cols[r.table_name] ||= {})[r.column_name] = r
  for (const t of ['users', 'blogs', 'readinglists', 'sessions']) {
    if (!cols[t]) throw new Error(`seed: table ${t} missing; run bloglist's migrations first`)
  }
  const known = {
    users: ['id', 'username', 'name', 'password_hash', 'admin', 'disabled', 'created_at', 'updated_at'],
    blogs: ['id', 'author', 'url', 'title', 'likes', 'year', 'user_id', 'created_at', 'updated_at'],
    readinglists: ['id', 'user_id', 'blog_id', 'read', 'created_at', 'updated_at'],
  }
  for (const [t, list] of Object.entries(known)) {
    for (const c of Object.values(cols[t])) {
      if (!list.includes(c.column_name) && c.is_nullable === 'NO' && c.column_default === null && c.is_identity !== 'YES') {
        throw new Error(`seed: ${t}.${c.column_name} is NOT NULL without a default; teach seed.js about it`)
      }
    }
  }
  const has = (t, c) => Boolean(cols[t][c])

  const { rows: existing } = await client.query('SELECT id, username, password_hash FROM users ORDER BY id')
  let hash
  let firstId = 1
  if (existing.length === 1 && existing[0].password_hash) {
    hash = existing[0].password_hash
    firstId = 2
    if (existing[0].id !== 1) throw new Error('seed: expected the API-created user to have id 1')
  } else if (existing.length === 0) {
    const sodium = require('libsodium-wrappers-sumo')
    await sodium.ready
    hash = sodium.crypto_pwhash_str(PASSWORD, sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE,
      sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE)
  } else {
    throw new Error(`seed: users already has ${existing.length} rows; seed a fresh database`)
  }

  const stmts = ['BEGIN']
  const stamp = (t, ms) => (has(t, 'created_at') ? [`${ts(ms)}`, `${ts(ms)}`] : [])
  const stampCols = (t) => (has(t, 'created_at') ? ['created_at', 'updated_at'] : [])

  // users
  const users = []
  for (let i = 1; i <= USERS; i++) {
    const name = `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`
    users.push({ id: i, username: `user${i}@bench.example`, name })
  }
  {
    const values = users.filter((u) => u.id >= firstId).map((u) =>
      `(${[u.id, q(u.username), q(u.name), q(hash), ...stamp('users', BASE + u.id * 1000 + 123)].join(', ')})`)
    stmts.push(`INSERT INTO users (${['id', 'username', 'name', 'password_hash', ...stampCols('users')].join(', ')}) OVERRIDING SYSTEM VALUE VALUES\n${values.join(',\n')}`)
  }

  // blogs: 625 possible authors with a skewed distribution, titles from word lists
  const authors = []
  for (const f of FIRST) for (const l of LAST) authors.push(`${f} ${l}`)
  const blogs = []
  for (let i = 1; i <= BLOGS; i++) {
    const author = authors[Math.floor(authors.length * rand() ** 2)]
    const title = `${pick(ADJ)} ${pick(TOPIC)} ${pick(NOUN)}`
    const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-')
    const likes = Math.floor(1000 * rand() ** 3)
    const year = rand() < 0.25 ? null : int(1991, 2025)
    blogs.push([i, q(author), q(`https://blog${i % 97}.example.com/${slug}-${i}`), q(title), likes,
      year === null ? 'NULL' : year, int(1, USERS), ...stamp('blogs', BASE + 86400000 + i * 60000 + (i % 1000))])
  }
  stmts.push(`INSERT INTO blogs (${['id', 'author', 'url', 'title', 'likes', 'year', 'user_id', ...stampCols('blogs')].join(', ')}) OVERRIDING SYSTEM VALUE VALUES\n${blogs.map((b) => `(${b.join(', ')})`).join(',\n')}`)

  // reading lists: the chosen user exactly 100, the others 40..160 adjusted to the total
  const counts = new Map()
  for (let u = 1; u <= USERS; u++) counts.set(u, u === CHOSEN ? CHOSEN_READINGS : int(40, 160))
  let total = [...counts.values()].reduce((a, b) => a + b, 0)
  while (total !== READINGS) {
    const u = int(1, USERS)
    if (u === CHOSEN) continue
    const c = counts.get(u)
    if (total < READINGS && c < 300) { counts.set(u, c + 1); total++ }
    if (total > READINGS && c > 1) { counts.set(u, c - 1); total-- }
  }
  const rls = []
  let rlId = 0
  for (let u = 1; u <= USERS; u++) {
    const seen = new Set()
    while (seen.size < counts.get(u)) seen.add(int(1, BLOGS))
    for (const b of seen) {
      rlId++
      rls.push([rlId, u, b, rand() < 0.3 ? 'true' : 'false', ...stamp('readinglists', BASE + 2 * 86400000 + rlId * 1000)])
    }
  }
  stmts.push(`INSERT INTO readinglists (${['id', 'user_id', 'blog_id', 'read', ...stampCols('readinglists')].join(', ')}) OVERRIDING SYSTEM VALUE VALUES\n${rls.map((r) => `(${r.join(', ')})`).join(',\n')}`)

  for (const t of ['users', 'blogs', 'readinglists']) {
    stmts.push(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), (SELECT max(id) FROM ${t}))`)
  }
  stmts.push('COMMIT', 'ANALYZE')
  await client.query(stmts.join(';\n'))

  const { rows: [check] } = await client.query(`SELECT
    (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM blogs)::int AS blogs,
    (SELECT count(*) FROM readinglists)::int AS readinglists,
    (SELECT count(*) FROM readinglists WHERE user_id = $1)::int AS chosen`, [CHOSEN])
  if (check.users !== USERS || check.blogs !== BLOGS || check.readinglists !== READINGS || check.chosen !== CHOSEN_READINGS) {
    throw new Error(`seed: unexpected counts ${JSON.stringify(check)}`)
  }
  await client.end()
  process.stdout.write(JSON.stringify({ ...check, chosenUser: CHOSEN, password: PASSWORD }) + '\n')
}

main().catch((e) => {
  console.error(e.message || e)
  process.exit(1)
})

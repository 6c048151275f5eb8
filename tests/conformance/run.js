#!/usr/bin/env node
// The differential conformance runner. For each seed program it runs the
// Sequelize 6 code (seeds/<name>.js) and its junction translation (the
// binary conformance_<name>) against two fresh databases of one engine.
// After every step it reads every table of both databases itself; at the end
// it reads both schemas. Results, errors, rows and schema are compared after
// normalising timestamps and key order (of objects, and of a table's
// columns); everything else is exact. A
// difference listed in allow.json (with its reason, also in
// docs/from-sequelize.md "What differs") is allowed; any other difference,
// and any allow-list entry that no longer matches, fails the run.
//
//   node run.js --engine sqlite|postgres --bin DIR [--url POSTGRES_ADMIN_URL] [--only NAME]
//
// Exit codes: 0 all matched or allowed, 1 differences, 2 a program failed,
// 77 skipped (no PostgreSQL URL outside CI).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const readline = require('readline');
const { isDeepStrictEqual } = require('util');

function args() {
  const out = { engine: 'sqlite', bin: '.', url: process.env.JUNCTION_TEST_POSTGRES_URL || '', only: '' };
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i += 2) out[a[i].replace(/^--/, '')] = a[i + 1];
  return out;
}

// ---- normalising ---------------------------------------------------------

// ISO 8601 as toJSON prints it, and as each driver stores it ("2026-12-07
// 19:35:52.661 +00:00" is Sequelize's SQLite text).
const TIMESTAMP = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)? ?(Z|[+-]\d\d(:?\d\d)?)?$/;

function normalise(v) {
  if (v instanceof Date) return '<ts>';
  if (typeof v === 'string' && TIMESTAMP.test(v)) return '<ts>';
  if (typeof v === 'bigint') return v.toString();
  if (Buffer.isBuffer(v)) return v.toString('hex');
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === 'object') {
    const o = {};
    for (const k of Object.keys(v).sort()) o[k] = normalise(v[k]);
    return o;
  }
  return v;
}

// Every place where a and b differ, as paths ("$[0].projects[1].id").
function allDifferences(a, b, at = '$', out = []) {
  if (isDeepStrictEqual(a, b)) return out;
  const objects = a && b && typeof a === 'object' && typeof b === 'object';
  if (objects && Array.isArray(a) === Array.isArray(b)) {
    const keys = Array.isArray(a) ? [...Array(Math.max(a.length, b.length)).keys()]
      : [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) allDifferences(a[k], b[k], Array.isArray(a) ? `${at}[${k}]` : `${at}.${k}`, out);
    return out;
  }
  out.push({ path: at, sequelize: a, junction: b });
  return out;
}

// ---- databases -----------------------------------------------------------

class SqliteDb {
  static async create(name) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'junction-conformance-'));
    return new SqliteDb(path.join(dir, `${name}.db`), dir);
  }
  constructor(file, dir) {
    this.file = file;
    this.dir = dir;
    this.url = `sqlite://${file}`;
  }
  async all(sql) {
    const sqlite3 = require('sqlite3');
    const db = await new Promise((res, rej) => {
      const d = new sqlite3.Database(this.file, sqlite3.OPEN_READONLY, (e) => (e ? rej(e) : res(d)));
    });
    try {
      return await new Promise((res, rej) => db.all(sql, (e, rows) => (e ? rej(e) : res(rows))));
    } finally {
      await new Promise((res) => db.close(res));
    }
  }
  async tables() {
    if (!fs.existsSync(this.file)) return [];
    const rows = await this.all(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    return rows.map((r) => r.name);
  }
  async rows(table) {
    return this.all(`SELECT * FROM "${table.replace(/"/g, '""')}"`);
  }
  async schema() {
    const out = {};
    for (const t of await this.tables()) {
      const q = t.replace(/'/g, "''");
      const columns = (await this.all(`PRAGMA table_info('${q}')`)).map((c) => ({
        name: c.name, type: c.type.toUpperCase(), notNull: !!c.notnull, default: c.dflt_value, pk: c.pk,
      }));
      const foreignKeys = (await this.all(`PRAGMA foreign_key_list('${q}')`)).map((f) => ({
        column: f.from, table: f.table, key: f.to, onUpdate: f.on_update, onDelete: f.on_delete,
      }));
      const unique = [];
      for (const ix of await this.all(`PRAGMA index_list('${q}')`)) {
        if (!ix.unique || ix.origin === 'pk') continue;
        const cols = (await this.all(`PRAGMA index_info('${ix.name.replace(/'/g, "''")}')`)).map((c) => c.name);
        unique.push(cols.join(','));
      }
      out[t] = { columns: sortBy(columns), foreignKeys: sortBy(foreignKeys), unique: unique.sort() };
    }
    return out;
  }
  async drop() {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

class PostgresDb {
  static async create(name, adminUrl) {
    const { Client } = require('pg');
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    const db = `conformance_${name}_${process.pid}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
    await admin.query(`DROP DATABASE IF EXISTS "${db}"`);
    await admin.query(`CREATE DATABASE "${db}"`);
    const u = new URL(adminUrl);
    u.pathname = `/${db}`;
    const client = new Client({ connectionString: u.toString() });
    await client.connect();
    return new PostgresDb(admin, client, db, u.toString());
  }
  constructor(admin, client, name, url) {
    Object.assign(this, { admin, client, name, url });
  }
  async all(sql, params = []) {
    return (await this.client.query(sql, params)).rows;
  }
  async tables() {
    const rows = await this.all(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name");
    return rows.map((r) => r.table_name);
  }
  async rows(table) {
    return this.all(`SELECT * FROM "${table.replace(/"/g, '""')}"`);
  }
  async schema() {
    const out = {};
    for (const t of await this.tables()) {
      const columns = (await this.all(
        `SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
           FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1
          ORDER BY ordinal_position`, [t])).map((c) => ({
        name: c.column_name,
        type: c.data_type + (c.character_maximum_length ? `(${c.character_maximum_length})` : ''),
        notNull: c.is_nullable === 'NO',
        default: c.column_default,
      }));
      const constraints = (await this.all(
        `SELECT contype, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
           JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace
          WHERE n.nspname = 'public' AND r.relname = $1`, [t])).map((c) => `${c.contype}: ${c.def}`);
      out[t] = { columns: sortBy(columns), constraints: constraints.sort() };
    }
    return out;
  }
  async drop() {
    await this.client.end();
    await this.admin.query(`DROP DATABASE IF EXISTS "${this.name}" WITH (FORCE)`);
    await this.admin.end();
  }
}

function sortBy(list) {
  return list.slice().sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

// ---- running one side ----------------------------------------------------

// Runs a program step by step; after each step line, reads every table.
async function runSide(command, argv, db) {
  const child = spawn(command, [...argv, db.url], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((res) => child.on('close', (code) => res(code)));
  const steps = [];
  for await (const text of readline.createInterface({ input: child.stdout })) {
    let line;
    try {
      line = JSON.parse(text);
    } catch {
      throw new Error(`${command}: not a JSON line: ${text}`);
    }
    const rows = {};
    for (const t of await db.tables()) rows[t] = sortBy(normalise(await db.rows(t)));
    steps.push({ ...normalise(line), rows });
    child.stdin.write('\n');
  }
  const code = await exited;
  if (code !== 0) throw new Error(`${path.basename(command)} ${argv.join(' ')} exited ${code}\n${stderr}`);
  return { steps, schema: normalise(await db.schema()) };
}

// ---- comparing -----------------------------------------------------------

function compare(seed, engine, js, cpp) {
  const diffs = [];
  const n = Math.max(js.steps.length, cpp.steps.length);
  for (let i = 0; i < n; i++) {
    const a = js.steps[i] || {};
    const b = cpp.steps[i] || {};
    const step = a.step || b.step;
    if (a.step !== b.step) {
      diffs.push({ seed, engine, step, what: 'step', detail: { sequelize: a.step, junction: b.step } });
      break;
    }
    // Every difference, not only the first: an allowed one must not hide
    // another in the same result or table.
    for (const what of ['result', 'error', 'rows']) {
      for (const d of allDifferences(a[what], b[what])) diffs.push({ seed, engine, step, what, detail: d });
    }
  }
  for (const d of allDifferences(js.schema, cpp.schema)) {
    diffs.push({ seed, engine, step: '(schema)', what: 'schema', detail: d });
  }
  return { steps: n, diffs };
}

// An allow-list entry: seed, step ('*': any step of that seed), what (one or a list of result, error,
// rows, schema), and optionally engine, path (a regular expression the
// difference's path must match), and the exact sequelize / junction values.
function allowedBy(list, d) {
  const detail = d.detail || {};
  return list.find((a) => a.seed === d.seed && (a.step === '*' || a.step === d.step) &&
    [].concat(a.what).includes(d.what) &&
    (!a.engine || a.engine === d.engine) &&
    (!a.path || new RegExp(a.path).test(detail.path || '')) &&
    (!('sequelize' in a) || isDeepStrictEqual(a.sequelize, detail.sequelize)) &&
    (!('junction' in a) || isDeepStrictEqual(a.junction, detail.junction)));
}

// ---- main ----------------------------------------------------------------

async function main() {
  const o = args();
  if (o.engine === 'postgres' && !o.url) {
    if (process.env.CI === 'true') {
      console.error('conformance: no PostgreSQL URL (JUNCTION_TEST_POSTGRES_URL) under CI');
      return 1;
    }
    console.error('conformance: SKIPPED: set JUNCTION_TEST_POSTGRES_URL to run on PostgreSQL');
    return 77;
  }
  const here = __dirname;
  const allow = JSON.parse(fs.readFileSync(path.join(here, 'allow.json'), 'utf8')).allowed;
  const seeds = fs.readdirSync(path.join(here, 'seeds')).filter((f) => f.endsWith('.js'))
    .map((f) => f.slice(0, -3)).filter((s) => !o.only || s === o.only).sort();
  const used = new Set();
  const summary = [];
  let unlisted = 0;
  let matchedAll = 0;
  let totalAll = 0;
  for (const seed of seeds) {
    const make = (side) => (o.engine === 'sqlite' ? SqliteDb.create(`${seed}_${side}`)
      : PostgresDb.create(`${seed}_${side}`, o.url));
    const jsDb = await make('js');
    const cppDb = await make('cpp');
    let result;
    try {
      const js = await runSide(process.execPath, [path.join(here, 'seeds', `${seed}.js`)], jsDb);
      const cpp = await runSide(path.resolve(o.bin, `conformance_${seed}`), [], cppDb);
      result = compare(seed, o.engine, js, cpp);
    } finally {
      await jsDb.drop();
      await cppDb.drop();
    }
    const differing = new Set();
    const allowedSteps = new Set();
    for (const d of result.diffs) {
      const a = allowedBy(allow, d);
      if (a) {
        used.add(a);
        allowedSteps.add(d.step);
        continue;
      }
      unlisted++;
      differing.add(d.step);
      console.log(`DIFF ${o.engine} ${seed} step "${d.step}" ${d.what}: ${JSON.stringify(d.detail)}`);
    }
    const total = result.steps + 1;  // the schema counts as one example
    const bad = new Set([...differing, ...allowedSteps]).size;
    const matched = total - bad;
    matchedAll += matched;
    totalAll += total;
    summary.push(`${seed} ${matched}/${total}` + (allowedSteps.size ? ` (+${[...allowedSteps].filter((s) => !differing.has(s)).length} allowed)` : ''));
  }
  // A stale allow-list entry (one that no difference matched) fails too.
  let stale = 0;
  for (const a of allow) {
    if (used.has(a) || (a.engine && a.engine !== o.engine) || !seeds.includes(a.seed)) continue;
    stale++;
    console.log(`STALE allow-list entry (nothing differs): ${JSON.stringify(a)}`);
  }
  console.log(`conformance ${o.engine}: ${summary.join(', ')}; total ${matchedAll}/${totalAll} matched exactly, ` +
    `${unlisted} unlisted difference(s), ${stale} stale allow-list entr${stale === 1 ? 'y' : 'ies'}`);
  return unlisted || stale ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  console.error(`conformance: ${e.stack || e}`);
  process.exit(2);
});

// The Sequelize side of a conformance program. Each step prints one JSON
// line — {step, result} or {step, error: {class, fields}} — then waits for
// the runner to read the database before the next step runs.
// harness.hpp is the junction side; both must print the same shapes.
'use strict';
const readline = require('readline');
const { Sequelize } = require('sequelize');

const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();

// A database URL as junction takes it: sqlite:///path or postgres://...
function connect(url, options = {}) {
  const common = { logging: false, ...options };
  if (url.startsWith('sqlite://')) {
    return new Sequelize({ dialect: 'sqlite', storage: url.slice('sqlite://'.length), ...common });
  }
  return new Sequelize(url, common);
}

// The error's class without Sequelize's prefix, and the attributes it names:
// for a validation error the path of each item, for an aggregate the paths of
// each failed row.
function describe(e) {
  const out = { class: String(e.name || 'Error').replace(/^Sequelize/, '') };
  if (out.class === 'AggregateError') {
    out.rows = e.errors.map((r) => (r.errors && r.errors.errors ? r.errors.errors : []).map((i) => i.path));
  } else if (Array.isArray(e.errors)) {
    out.fields = e.errors.map((i) => i.path);
  }
  return out;
}

async function step(name, fn) {
  const line = { step: name };
  try {
    const result = await fn();
    line.result = result === undefined ? null : JSON.parse(JSON.stringify(result));
  } catch (e) {
    line.error = describe(e);
    if (process.env.CONFORMANCE_VERBOSE) process.stderr.write(`${name}: ${e.stack}\n`);
  }
  process.stdout.write(`${JSON.stringify(line)}\n`);
  await lines.next();
}

// Runs main(url) and exits: 0 when it returned, 2 when it threw outside a step.
function run(main) {
  main(process.argv[2]).then(
    () => process.exit(0),
    (e) => {
      process.stderr.write(`${e.stack}\n`);
      process.exit(2);
    },
  );
}

module.exports = { connect, step, run };

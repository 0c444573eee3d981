/**
 * The two test tiers, by one convention: a spec under a `test/` folder is an integration test (it may
 * use the real Kafka, registry and PostgreSQL, or launch processes); every other spec is a pure test
 * that needs nothing running. `jest.unit.config.js` and `jest.config.js` each take every project of the
 * workspace and keep the specs of their tier.
 */
const { existsSync, readdirSync } = require('node:fs');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '../..');

/** Every project's jest.config.js under apps/ and libs/, then the workspace tools. */
function projectConfigPaths() {
  const found = [];
  const walk = (dir, depth) => {
    if (depth > 3 || !existsSync(dir)) return;
    if (existsSync(join(dir, 'jest.config.js'))) return void found.push(join(dir, 'jest.config.js'));
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(join(dir, entry.name), depth + 1);
    }
  };
  walk(join(root, 'libs'), 0);
  walk(join(root, 'apps'), 0);
  return [...found, join(root, 'tools/jest.config.js')];
}

/** Pure specs: anywhere under the project except a `test/` folder; no stack is started for them. */
function unitProjects() {
  return projectConfigPaths().map((path) => ({
    ...require(path),
    testMatch: ['<rootDir>/**/*.spec.ts'],
    testPathIgnorePatterns: ['/node_modules/', '<rootDir>/(.+/)?test/'],
    globalSetup: undefined,
  }));
}

/** Integration specs: the `test/` folders; the project's own global setup starts the stack they share. */
function integrationProjects() {
  return projectConfigPaths().map((path) => ({
    ...require(path),
    testMatch: ['<rootDir>/**/test/**/*.spec.ts'],
  }));
}

module.exports = { unitProjects, integrationProjects };

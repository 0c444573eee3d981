/** Every suite of the workspace in one Jest run (what `npm test` uses); `nx run-many -t test` runs them per project. */
const { readdirSync, existsSync } = require('node:fs');
const { join } = require('node:path');

function projectConfigs(folder) {
  const found = [];
  const walk = (dir, depth) => {
    if (depth > 3 || !existsSync(dir)) return;
    if (existsSync(join(dir, 'jest.config.js')) && dir !== __dirname)
      return void found.push(join(dir, 'jest.config.js'));
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(join(dir, entry.name), depth + 1);
    }
  };
  walk(join(__dirname, folder), 0);
  return found;
}

module.exports = {
  projects: [...projectConfigs('libs'), ...projectConfigs('apps'), join(__dirname, 'tools/jest.config.js')],
};

/** The fast tier (`npm run test:unit`): every pure spec of the workspace, nothing started (tools/jest/tiers.js). */
module.exports = { projects: require('./tools/jest/tiers').unitProjects() };

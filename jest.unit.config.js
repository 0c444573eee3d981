/** The fast tier (`npm run test:unit`): every pure spec of the workspace, nothing started (tools/jest/tiers.js). */
module.exports = {
  projects: require('./tools/jest/tiers').unitProjects(),
  // Property tests and external sorts do real file I/O: seconds on an idle 2-core machine, several times
  // that when the cores are shared. A hung test still fails; Jest reads this bound only at the top level.
  testTimeout: 30_000,
};

/**
 * The integration tier (what `npm test` runs after the fast tier): every spec in a `test/` folder, on the
 * real stack (tools/jest/tiers.js). `nx run-many -t test` runs both tiers per project instead.
 */
module.exports = {
  projects: require('./tools/jest/tiers').integrationProjects(),
  // Property tests and external sorts do real file I/O: seconds on an idle 2-core machine, several times
  // that when the cores are shared. A hung test still fails; Jest reads this bound only at the top level.
  testTimeout: 30_000,
};

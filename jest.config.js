/**
 * The integration tier (what `npm test` runs after the fast tier): every spec in a `test/` folder, on the
 * real stack (tools/jest/tiers.js). `nx run-many -t test` runs both tiers per project instead.
 */
module.exports = { projects: require('./tools/jest/tiers').integrationProjects() };

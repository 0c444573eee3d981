/**
 * The whole system, every service as its own process, on a stack of its own (other ports, its own
 * folder): the end-to-end suite needs empty topics and may restart the broker. No shared global stack.
 */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'system-e2e',
  rootDir: __dirname,
  globalSetup: undefined,
  globalTeardown: undefined,
};

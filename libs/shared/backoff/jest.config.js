module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'shared-backoff',
  rootDir: __dirname,
};

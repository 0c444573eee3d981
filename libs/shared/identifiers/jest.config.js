module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'shared-identifiers',
  rootDir: __dirname,
};

module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'shared-link-tokens',
  rootDir: __dirname,
};

module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'shared-http-lifecycle',
  rootDir: __dirname,
};

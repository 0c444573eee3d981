module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'preferences-domain',
  rootDir: __dirname,
};

module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'preferences-data-access',
  rootDir: __dirname,
};

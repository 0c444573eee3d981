module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'connectors-data-access',
  rootDir: __dirname,
};

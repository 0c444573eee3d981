module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'connectors-providers',
  rootDir: __dirname,
};

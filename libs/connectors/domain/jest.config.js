module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'connectors-domain',
  rootDir: __dirname,
};

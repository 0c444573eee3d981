module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'provider-simulators-lib',
  rootDir: __dirname,
};

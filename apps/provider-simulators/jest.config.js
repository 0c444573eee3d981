module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'provider-simulators',
  rootDir: __dirname,
};

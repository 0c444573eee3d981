module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'connector-push',
  rootDir: __dirname,
};

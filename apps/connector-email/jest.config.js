module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'connector-email',
  rootDir: __dirname,
};

module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'erasure-requests',
  rootDir: __dirname,
};

module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'shared-external-sort',
  rootDir: __dirname,
};

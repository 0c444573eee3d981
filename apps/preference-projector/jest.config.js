module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'preference-projector',
  rootDir: __dirname,
};

module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'contact-addresses',
  rootDir: __dirname,
};

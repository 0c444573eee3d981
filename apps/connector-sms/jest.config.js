module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'connector-sms',
  rootDir: __dirname,
};

module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'ingestion-spool',
  rootDir: __dirname,
};

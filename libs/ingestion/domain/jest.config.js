module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'ingestion-domain',
  rootDir: __dirname,
};

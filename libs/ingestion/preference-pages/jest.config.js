module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'ingestion-preference-pages',
  rootDir: __dirname,
};

module.exports = { ...require('../../../jest.preset.js'), displayName: 'pii-crypto', rootDir: __dirname };

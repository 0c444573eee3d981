module.exports = { ...require('../../../jest.preset.js'), displayName: 'consent-topics', rootDir: __dirname };

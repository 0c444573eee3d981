module.exports = { ...require('../../jest.preset.js'), displayName: 'identity-resolver', rootDir: __dirname };

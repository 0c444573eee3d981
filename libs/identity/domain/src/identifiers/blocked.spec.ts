import { isBlockedIdentifierValue } from './blocked';

describe('isBlockedIdentifierValue', () => {
  it.each([
    null,
    undefined,
    '',
    '   ',
    '\t\n',
    'null',
    'NULL',
    ' Null ',
    'undefined',
    'anonymous',
    'ANONYMOUS',
    '0',
    '-1',
    '00000000-0000-0000-0000-000000000000',
    '000000',
    '0-0',
    'unknown',
    'n/a',
  ])('blocks %j', (value) => {
    expect(isBlockedIdentifierValue(value)).toBe(true);
  });

  it.each([
    'ann@example.com',
    '+14155550101',
    'ext-123',
    '10',
    '-10',
    '00000000-0000-0000-0000-000000000001',
    'nullable',
  ])('lets %j through', (value) => {
    expect(isBlockedIdentifierValue(value)).toBe(false);
  });
});

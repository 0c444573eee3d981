import { isBlockedIdentifierValue } from './blocked-values';

describe('isBlockedIdentifierValue', () => {
  it.each([
    null,
    undefined,
    '',
    '   ',
    'null',
    'NULL',
    ' Anonymous ',
    '0',
    '-1',
    '00000000-0000-0000-0000-000000000000',
    '000',
    'n/a',
    '{}',
  ])('blocks %p', (value) => expect(isBlockedIdentifierValue(value)).toBe(true));
  it.each([
    'c0a80121-7f3e-4b8a-9d2c-1e2f3a4b5c6d',
    'user-42',
    '10',
    'jane@example.com',
    '+14155550123',
    0,
    42,
  ])('lets %p through', (value) => expect(isBlockedIdentifierValue(value)).toBe(false));
});

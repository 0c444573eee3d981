import { isBlockedIdentifier, normalizeOpaqueId } from './blocked-identifiers';

describe('isBlockedIdentifier', () => {
  it.each([
    null,
    undefined,
    '',
    '   \t\n',
    'null',
    'NULL',
    'undefined',
    ' anonymous ',
    'Anonymous',
    '0',
    '-1',
    '00000000-0000-0000-0000-000000000000',
    '000000',
    'none',
    '[object Object]',
  ])('blocks %j', (value) => {
    expect(isBlockedIdentifier(value)).toBe(true);
  });

  it.each(['user-42', '7f9c2a4e-1b2d-4c3e-9f00-1234567890ab', '10', '-2', 'anonymous-visitor', 'a0'])(
    'keeps %j',
    (value) => {
      expect(isBlockedIdentifier(value)).toBe(false);
    },
  );
});

describe('normalizeOpaqueId', () => {
  it('maps blocked placeholders to null', () => {
    expect(normalizeOpaqueId('userId', 'null')).toEqual({ ok: true, value: null });
  });

  it('trims real ids', () => {
    expect(normalizeOpaqueId('userId', '  user-42 ')).toEqual({ ok: true, value: 'user-42' });
  });

  it.each([
    [42, 'userId must be a string; got number'],
    [{ id: 1 }, 'userId must be a string; got object'],
    ['a'.repeat(257), 'userId is 257 characters long; the maximum is 256'],
    ['user\u000042', 'userId "user\\u000042" contains control characters'],
  ])('rejects %j', (value, reason) => {
    expect(normalizeOpaqueId('userId', value)).toEqual({ ok: false, code: 'INVALID_IDENTIFIER', reason });
  });
});

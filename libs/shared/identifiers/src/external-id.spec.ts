import { checkExternalId, MAX_EXTERNAL_ID_LENGTH } from './external-id';

describe('checkExternalId', () => {
  it.each(['auth0|123', 'user 42', 'jane@example.com', 'ünïcødé-🙂', 'a'.repeat(MAX_EXTERNAL_ID_LENGTH)])(
    'accepts %j as it is',
    (value) => expect(checkExternalId('externalId', value)).toEqual({ kind: 'valid', value }),
  );

  it('trims', () => {
    expect(checkExternalId('externalId', '  user-42 ')).toEqual({ kind: 'valid', value: 'user-42' });
  });

  it.each([null, undefined, '', '   ', 'null', 'anonymous', '0', '00000000-0000-0000-0000-000000000000'])(
    'treats %j as absent',
    (value) => expect(checkExternalId('externalId', value)).toEqual({ kind: 'absent' }),
  );

  it.each([
    [42, 'userId must be a string; got number'],
    [['a'], 'userId must be a string; got array'],
    ['a'.repeat(257), 'userId is 257 characters long; the maximum is 256'],
    ['user\u000042', 'userId "user\\u000042" contains control characters'],
    ['a\u007fb', 'userId "a\u007fb" contains control characters'],
  ])('rejects %j with its reason', (value, reason) => {
    expect(checkExternalId('userId', value)).toEqual({ kind: 'invalid', reason });
  });
});

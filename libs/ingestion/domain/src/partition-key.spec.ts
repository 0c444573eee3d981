import { partitionKeyOf } from './partition-key';

const none = { externalId: null, email: null, phone: null, anonymousId: null };

describe('partitionKeyOf', () => {
  it.each([
    [
      { ...none, externalId: 'u-1', email: 'a@b.co', phone: '+12133734253' },
      { kind: 'external_id', value: 'u-1' },
    ],
    [
      { ...none, email: 'a@b.co', phone: '+12133734253', anonymousId: 'anon' },
      { kind: 'email', value: 'a@b.co' },
    ],
    [
      { ...none, phone: '+12133734253', anonymousId: 'anon' },
      { kind: 'phone', value: '+12133734253' },
    ],
    [{ ...none, anonymousId: 'anon' }, null],
  ])('%j → %j', (identifiers, expected) => {
    expect(partitionKeyOf(identifiers)).toEqual(expected);
  });
});

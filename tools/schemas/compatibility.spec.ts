import { checkBackward } from './compatibility';

const record = (fields: readonly object[]) => ({
  type: 'record',
  name: 'Event',
  namespace: 'io.test.v1',
  fields,
});
const channel = (symbols: readonly string[], extra: object = {}) => ({
  type: 'enum',
  name: 'Channel',
  symbols,
  ...extra,
});
const base = record([
  { name: 'id', type: 'string' },
  { name: 'count', type: 'int' },
  { name: 'note', type: ['null', 'string'], default: null },
]);

describe('checkBackward (new reader, old writer)', () => {
  it('accepts an identical schema', () => {
    expect(checkBackward(base, base)).toEqual({ compatible: true });
  });

  it('rejects a field added without a default: old data has no value for it', () => {
    const next = record([...base.fields, { name: 'extra', type: 'string' }]);
    expect(checkBackward(base, next)).toEqual({
      compatible: false,
      reason: expect.stringContaining('extra'),
    });
  });

  it('accepts a field added with a default', () => {
    const next = record([...base.fields, { name: 'extra', type: 'string', default: '' }]);
    expect(checkBackward(base, next).compatible).toBe(true);
  });

  it('accepts a removed field: the reader skips it', () => {
    expect(checkBackward(base, record(base.fields.slice(0, 2))).compatible).toBe(true);
  });

  it('rejects a changed field type that Avro cannot promote', () => {
    const next = record([{ name: 'id', type: 'int' }, ...base.fields.slice(1)]);
    expect(checkBackward(base, next).compatible).toBe(false);
  });

  it('accepts a promotion (int → long)', () => {
    const next = record([base.fields[0], { name: 'count', type: 'long' }, base.fields[2]]);
    expect(checkBackward(base, next).compatible).toBe(true);
  });

  it('rejects an enum symbol removed from an enum without a default', () => {
    expect(checkBackward(channel(['email', 'sms']), channel(['email'])).compatible).toBe(false);
  });

  it('accepts an enum symbol removed when the reader has a default to map it to', () => {
    const previous = channel(['unknown', 'email', 'sms'], { default: 'unknown' });
    expect(checkBackward(previous, channel(['unknown', 'email'], { default: 'unknown' })).compatible).toBe(
      true,
    );
  });

  it('accepts an enum symbol added', () => {
    expect(checkBackward(channel(['email']), channel(['email', 'sms'])).compatible).toBe(true);
  });

  it('rejects a renamed record without an alias, accepts it with one', () => {
    const renamed = { ...base, name: 'Renamed' };
    expect(checkBackward(base, renamed).compatible).toBe(false);
    expect(checkBackward(base, { ...renamed, aliases: ['io.test.v1.Event'] }).compatible).toBe(true);
  });

  it('reports an invalid new schema instead of throwing', () => {
    expect(checkBackward(base, { type: 'record', name: 'Event' })).toEqual({
      compatible: false,
      reason: expect.stringContaining('new schema is invalid'),
    });
  });
});

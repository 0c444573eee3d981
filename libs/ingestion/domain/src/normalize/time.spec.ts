import { parseIso8601, parseMailchimpFiredAt, parseUnixSeconds } from './time';

describe('parseUnixSeconds (SendGrid timestamp)', () => {
  it('converts seconds to epoch ms', () => {
    expect(parseUnixSeconds(1600112492)).toEqual({ ok: true, value: 1600112492000 });
  });

  it.each([
    ['1600112492', 'timestamp must be an integer number of Unix seconds; got string "1600112492"'],
    [1600112492.5, 'timestamp must be an integer number of Unix seconds; got 1600112492.5'],
    [null, 'timestamp must be an integer number of Unix seconds; got null'],
    [1600112492000, 'timestamp 1600112492000000 ms is outside 2000-01-01..2100-01-01 UTC (wrong unit?)'],
    [-5, 'timestamp -5000 ms is outside 2000-01-01..2100-01-01 UTC (wrong unit?)'],
  ])('rejects %j', (input, reason) => {
    expect(parseUnixSeconds(input)).toEqual({ ok: false, code: 'INVALID_TIMESTAMP', reason });
  });
});

describe('parseIso8601 (Segment timestamp)', () => {
  it.each([
    ['2024-03-01T12:00:00.000Z', Date.UTC(2024, 2, 1, 12)],
    ['2024-03-01T12:00:00Z', Date.UTC(2024, 2, 1, 12)],
    ['2024-03-01T12:00Z', Date.UTC(2024, 2, 1, 12)],
    ['2024-03-01T12:00:00.123456Z', Date.UTC(2024, 2, 1, 12, 0, 0, 123)],
    ['2024-03-01T14:30:00+02:30', Date.UTC(2024, 2, 1, 12)],
    ['2024-03-01T07:00:00-0500', Date.UTC(2024, 2, 1, 12)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
  ])('%s', (input, expected) => {
    expect(parseIso8601(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['2024-03-01T12:00:00', 'is not ISO 8601 with a time zone'],
    ['2024-03-01', 'is not ISO 8601 with a time zone'],
    ['March 1, 2024', 'is not ISO 8601 with a time zone'],
    ['2023-02-29T00:00:00Z', 'is not a real calendar date and time'],
    ['2024-13-01T00:00:00Z', 'is not a real calendar date and time'],
    ['2024-03-01T24:00:00Z', 'is not a real calendar date and time'],
    ['2024-03-01T12:00:00+25:00', 'has an invalid UTC offset'],
  ])('rejects %j', (input, reason) => {
    const result = parseIso8601(input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.code).toBe('INVALID_TIMESTAMP');
    expect(!result.ok && result.reason).toContain(reason);
  });

  it('rejects non-strings', () => {
    expect(parseIso8601(1709294400000)).toEqual({
      ok: false,
      code: 'INVALID_TIMESTAMP',
      reason: 'timestamp must be an ISO 8601 string; got number',
    });
  });
});

describe('parseMailchimpFiredAt', () => {
  it('reads "YYYY-MM-DD HH:MM:SS" as UTC', () => {
    expect(parseMailchimpFiredAt('2009-03-26 21:35:57')).toEqual({
      ok: true,
      value: Date.UTC(2009, 2, 26, 21, 35, 57),
    });
  });

  it.each(['2009-03-26T21:35:57Z', '2009-03-26 21:35', '2009-02-30 10:00:00', ''])('rejects %j', (input) => {
    expect(parseMailchimpFiredAt(input)).toMatchObject({ ok: false, code: 'INVALID_TIMESTAMP' });
  });
});

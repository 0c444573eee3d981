import { normalizePhone } from './phone';

describe('normalizePhone', () => {
  it.each([
    ['(213) 373-4253', 'US', '+12133734253'],
    ['+1 213 373 4253', 'GB', '+12133734253'],
    ['0012133734253', 'GB', '+12133734253'],
    ['07911 123456', 'GB', '+447911123456'],
    [' +33 6 12 34 56 78 ', 'US', '+33612345678'],
    ['+491701234567', 'DE', '+491701234567'],
  ])('%j with region %s → %s', (input, region, expected) => {
    expect(normalizePhone(input, region)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['07911 123456', 'US', 'phone is too long'],
    [
      '+1 123 456 7890',
      'US',
      'phone is not a valid number for its country (no number plan matches these digits)',
    ],
    ['+1 213', 'US', 'phone is too short'],
    ['12', 'US', 'phone is too short'],
    ['hello', 'US', 'phone is not a number'],
    [
      '+999 123 456 789',
      'US',
      'phone has no valid country: write it with "+" and a country calling code, or configure a default region',
    ],
    ['call me at +12133734253', 'US', 'phone is not a number'],
    ['', 'US', 'phone is empty'],
  ])('rejects %j (region %s): %s', (input, region, reason) => {
    expect(normalizePhone(input, region)).toEqual({ ok: false, code: 'INVALID_PHONE', reason });
  });

  it('rejects non-string input with its type', () => {
    expect(normalizePhone(2133734253, 'US')).toEqual({
      ok: false,
      code: 'INVALID_PHONE',
      reason: 'phone must be a string; got number',
    });
  });

  it('rejects an unsupported default region as a configuration error', () => {
    expect(normalizePhone('+12133734253', 'XX')).toEqual({
      ok: false,
      code: 'INVALID_DEFAULT_REGION',
      reason: 'default region "XX" is not a supported ISO country code',
    });
  });
});

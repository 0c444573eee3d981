import fc from 'fast-check';
import twilio from 'twilio';
import { twilioSignature, verifyTwilioSignature } from './twilio';

// Test vector of the twilio-node webhooks spec (docs/providers.md, "Twilio inbound SMS").
const TOKEN = '12345';
const URL_ = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+12349013030',
  Digits: '1234',
  From: '+12349013030',
  To: '+18005551212',
};
const EXPECTED = '0/KCTR6DLpKmkAf8muzZqo1nDgQ=';

describe('verifyTwilioSignature', () => {
  it('reproduces the documented test vector', () => {
    expect(twilioSignature(TOKEN, URL_, PARAMS)).toBe(EXPECTED);
    expect(
      verifyTwilioSignature({ authToken: TOKEN, publicUrl: URL_, params: PARAMS, signature: EXPECTED }),
    ).toEqual({ ok: true });
  });

  it.each<[string, Partial<Parameters<typeof verifyTwilioSignature>[0]>, string]>([
    ['a param was altered', { params: { ...PARAMS, Digits: '1235' } }, 'SIGNATURE_MISMATCH'],
    ['a param was added', { params: { ...PARAMS, Body: 'STOP' } }, 'SIGNATURE_MISMATCH'],
    [
      'the URL seen by the gateway differs from the public one',
      { publicUrl: 'http://10.0.0.7:8080/myapp.php?foo=1&bar=2' },
      'SIGNATURE_MISMATCH',
    ],
    ['the token is wrong', { authToken: '54321' }, 'SIGNATURE_MISMATCH'],
    ['the signature is truncated', { signature: EXPECTED.slice(0, 10) }, 'SIGNATURE_MISMATCH'],
    ['the header is missing', { signature: undefined }, 'MISSING_SIGNATURE'],
    ['the header is blank', { signature: '  ' }, 'MISSING_SIGNATURE'],
  ])('rejects when %s', (_, over, code) => {
    const input = { authToken: TOKEN, publicUrl: URL_, params: PARAMS, signature: EXPECTED, ...over };
    expect(verifyTwilioSignature(input)).toMatchObject({ ok: false, code });
  });

  it('accepts the configured URL with or without the default port, as Twilio’s SDK does', () => {
    const signedWithPort = twilio.getExpectedTwilioSignature(
      TOKEN,
      'https://mycompany.com:443/myapp.php?foo=1&bar=2',
      PARAMS,
    );
    expect(
      verifyTwilioSignature({ authToken: TOKEN, publicUrl: URL_, params: PARAMS, signature: signedWithPort }),
    ).toEqual({ ok: true });
    expect(
      verifyTwilioSignature({
        authToken: TOKEN,
        publicUrl: 'https://mycompany.com:443/myapp.php?foo=1&bar=2',
        params: PARAMS,
        signature: EXPECTED,
      }),
    ).toEqual({ ok: true });
  });

  it('agrees with twilio.getExpectedTwilioSignature / validateRequest on arbitrary inbound SMS params', () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,15}$/);
    fc.assert(
      fc.property(
        fc.dictionary(name, fc.string({ maxLength: 40 }), { maxKeys: 12 }),
        fc.string({ minLength: 1, maxLength: 20 }),
        (params, token) => {
          const url = 'https://hooks.example.com/webhooks/twilio/sms?tenant=a';
          const expected = twilio.getExpectedTwilioSignature(token, url, params);
          expect(twilioSignature(token, url, params)).toBe(expected);
          expect(twilio.validateRequest(token, expected, url, params)).toBe(true);
          expect(
            verifyTwilioSignature({ authToken: token, publicUrl: url, params, signature: expected }),
          ).toEqual({ ok: true });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('signs repeated params de-duplicated and sorted, like twilio-node', () => {
    const params = { MediaUrl: ['https://b', 'https://a', 'https://b'], Body: 'hi' };
    const url = 'https://hooks.example.com/sms';
    const expected = twilio.getExpectedTwilioSignature(
      TOKEN,
      url,
      params as unknown as Record<string, string>,
    );
    expect(twilioSignature(TOKEN, url, params)).toBe(expected);
  });
});

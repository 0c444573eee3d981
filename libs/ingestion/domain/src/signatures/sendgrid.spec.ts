import { generateKeyPairSync, sign } from 'node:crypto';
import { parseSendgridPublicKey, verifySendgridSignature, type SendgridSignatureInput } from './sendgrid';

// Test vector of the sendgrid-nodejs eventwebhook spec (docs/providers.md, "SendGrid Event Webhook").
const VECTOR_KEY =
  'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==';
const VECTOR_TIMESTAMP = '1600112502';
const VECTOR_SIGNATURE =
  'MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=';
const VECTOR_BODY =
  JSON.stringify([
    {
      email: 'hello@world.com',
      event: 'dropped',
      reason: 'Bounced Address',
      sg_event_id: 'ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA',
      sg_message_id: 'LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0',
      'smtp-id': '<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>',
      timestamp: 1600112492,
    },
  ]) + '\r\n';
const VECTOR_NOW = 1600112502 * 1000;

const vectorKey = (() => {
  const parsed = parseSendgridPublicKey(VECTOR_KEY);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
})();

const vectorInput = (over: Partial<SendgridSignatureInput> = {}): SendgridSignatureInput => ({
  publicKey: vectorKey,
  signature: VECTOR_SIGNATURE,
  timestamp: VECTOR_TIMESTAMP,
  rawBody: VECTOR_BODY,
  nowMs: VECTOR_NOW,
  ...over,
});

describe('verifySendgridSignature — SendGrid SDK test vector', () => {
  it('verifies the vector as a string and as bytes', () => {
    expect(verifySendgridSignature(vectorInput())).toEqual({ ok: true });
    expect(verifySendgridSignature(vectorInput({ rawBody: Buffer.from(VECTOR_BODY) }))).toEqual({ ok: true });
  });

  it.each<[string, Partial<SendgridSignatureInput>, string]>([
    ['trailing CRLF dropped', { rawBody: VECTOR_BODY.trimEnd() }, 'SIGNATURE_MISMATCH'],
    ['body re-serialised', { rawBody: JSON.stringify(JSON.parse(VECTOR_BODY)) }, 'SIGNATURE_MISMATCH'],
    ['timestamp changed by one second', { timestamp: '1600112503' }, 'SIGNATURE_MISMATCH'],
    ['garbage signature', { signature: 'bm90IGEgc2lnbmF0dXJl' }, 'SIGNATURE_MISMATCH'],
    ['signature missing', { signature: undefined }, 'MISSING_SIGNATURE'],
    ['timestamp missing', { timestamp: undefined }, 'MISSING_TIMESTAMP'],
    ['timestamp not digits', { timestamp: '2020-09-14T19:41:42Z' }, 'MALFORMED_TIMESTAMP'],
    ['stale by 301 s', { nowMs: VECTOR_NOW + 301_000 }, 'STALE_TIMESTAMP'],
    ['from the future by 301 s', { nowMs: VECTOR_NOW - 301_000 }, 'STALE_TIMESTAMP'],
    [
      'older than a custom tolerance',
      { nowMs: VECTOR_NOW + 61_000, toleranceSeconds: 60 },
      'STALE_TIMESTAMP',
    ],
  ])('rejects when %s', (_, over, code) => {
    expect(verifySendgridSignature(vectorInput(over))).toMatchObject({ ok: false, code });
  });

  it('accepts a timestamp exactly at the tolerance edge', () => {
    expect(verifySendgridSignature(vectorInput({ nowMs: VECTOR_NOW + 300_000 }))).toEqual({ ok: true });
  });
});

describe('verifySendgridSignature — signed like SendGrid with node:crypto', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const base64Key = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  const body =
    '[{"email":"a@example.com","event":"unsubscribe","sg_event_id":"abc","timestamp":1700000000}]\r\n';
  const timestamp = '1700000000';
  const signature = sign('sha256', Buffer.from(timestamp + body), privateKey).toString('base64');

  it('verifies a fresh signature made with a generated key', () => {
    const key = parseSendgridPublicKey(base64Key);
    expect(key.ok).toBe(true);
    if (!key.ok) return;
    expect(
      verifySendgridSignature({
        publicKey: key.value,
        signature,
        timestamp,
        rawBody: body,
        nowMs: 1700000010_000,
      }),
    ).toEqual({ ok: true });
  });

  it('rejects the vector signature under another key', () => {
    const key = parseSendgridPublicKey(base64Key);
    if (!key.ok) throw new Error(key.reason);
    expect(verifySendgridSignature(vectorInput({ publicKey: key.value }))).toMatchObject({
      ok: false,
      code: 'SIGNATURE_MISMATCH',
    });
  });
});

describe('parseSendgridPublicKey', () => {
  it('rejects non-DER input', () => {
    expect(parseSendgridPublicKey('not a key')).toEqual({
      ok: false,
      code: 'INVALID_PUBLIC_KEY',
      reason: 'the SendGrid verification key is not base64 DER SPKI',
    });
  });

  it('rejects a key on another curve', () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'secp384r1' })
      .publicKey.export({ format: 'der', type: 'spki' })
      .toString('base64');
    expect(parseSendgridPublicKey(other)).toMatchObject({ ok: false, code: 'INVALID_PUBLIC_KEY' });
  });
});

import { createHmac } from 'node:crypto';
import {
  signOptstreamRequest,
  verifyOptstreamSignature,
  type OptstreamSignatureInput,
} from './optstream-api';

const NOW = 1_700_000_000_000;
const TIMESTAMP = '1700000000';
const ID = 'req_01HZX';
const BODY =
  '{"externalId":"u-1","channel":"sms","newStatus":"unsubscribed","sourceOfChange":"Support Call","occurredAt":"2023-11-14T22:13:20Z","requestId":"r-1"}';
const OLD = 'old-secret';
const NEW = 'new-secret';

const hex = (secret: string, content: string) => createHmac('sha256', secret).update(content).digest('hex');

const input = (over: Partial<OptstreamSignatureInput> = {}): OptstreamSignatureInput => ({
  secrets: [NEW, OLD],
  id: ID,
  timestamp: TIMESTAMP,
  signature: `v1=${hex(NEW, `${ID}.${TIMESTAMP}.${BODY}`)}`,
  rawBody: BODY,
  nowMs: NOW,
  ...over,
});

describe('verifyOptstreamSignature', () => {
  it('accepts HMAC-SHA256 over id.timestamp.body computed independently', () => {
    expect(verifyOptstreamSignature(input())).toEqual({ ok: true });
    expect(signOptstreamRequest(NEW, ID, TIMESTAMP, BODY)).toBe(input().signature);
  });

  it('accepts any active secret (rotation) and any listed signature', () => {
    expect(
      verifyOptstreamSignature(input({ signature: signOptstreamRequest(OLD, ID, TIMESTAMP, BODY) })),
    ).toEqual({ ok: true });
    const both = `${signOptstreamRequest('retired', ID, TIMESTAMP, BODY)} ${signOptstreamRequest(OLD, ID, TIMESTAMP, BODY)}`;
    expect(verifyOptstreamSignature(input({ signature: both }))).toEqual({ ok: true });
  });

  it.each<[string, Partial<OptstreamSignatureInput>, string]>([
    [
      'signed with a retired secret',
      { signature: signOptstreamRequest('retired', ID, TIMESTAMP, BODY) },
      'SIGNATURE_MISMATCH',
    ],
    ['body altered', { rawBody: BODY.replace('unsubscribed', 'subscribed') }, 'SIGNATURE_MISMATCH'],
    ['id swapped', { id: 'req_other' }, 'SIGNATURE_MISMATCH'],
    ['301 s old', { nowMs: NOW + 301_000 }, 'STALE_TIMESTAMP'],
    ['301 s in the future', { nowMs: NOW - 301_000 }, 'STALE_TIMESTAMP'],
    ['no timestamp', { timestamp: undefined }, 'MISSING_TIMESTAMP'],
    ['timestamp in ms with a sign', { timestamp: '-1700000000' }, 'MALFORMED_TIMESTAMP'],
    ['no signature', { signature: undefined }, 'MISSING_SIGNATURE'],
    ['unversioned signature', { signature: hex(NEW, `${ID}.${TIMESTAMP}.${BODY}`) }, 'MALFORMED_SIGNATURE'],
    [
      'uppercase hex',
      { signature: `v1=${hex(NEW, `${ID}.${TIMESTAMP}.${BODY}`).toUpperCase()}` },
      'MALFORMED_SIGNATURE',
    ],
    ['no id', { id: undefined }, 'MALFORMED_SIGNATURE'],
    ['id with spaces', { id: 'a b' }, 'MALFORMED_SIGNATURE'],
    ['no secret configured', { secrets: [] }, 'NO_SECRET_CONFIGURED'],
  ])('rejects when %s', (_, over, code) => {
    expect(verifyOptstreamSignature(input(over))).toMatchObject({ ok: false, code });
  });

  it('accepts the tolerance edge and takes a custom tolerance', () => {
    expect(verifyOptstreamSignature(input({ nowMs: NOW + 300_000 }))).toEqual({ ok: true });
    expect(verifyOptstreamSignature(input({ nowMs: NOW + 30_000, toleranceSeconds: 10 }))).toMatchObject({
      ok: false,
      code: 'STALE_TIMESTAMP',
    });
  });
});

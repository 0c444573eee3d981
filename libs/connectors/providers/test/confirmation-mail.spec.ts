import { randomBytes } from 'node:crypto';
import { confirmationMailFingerprint } from '@optstream/connectors-domain';
import { keyRing, verifyLinkToken } from '@optstream/shared-link-tokens';
import { createConfirmationMailAdapter } from '../src';
import { contact, creds, FAST, useSimulators } from './support';

const ring = keyRing([{ id: 'k1', secret: randomBytes(32) }]);
const NOW = Date.now();
const HOUR = 3_600_000;

describe('double opt-in confirmation mail (SendGrid Mail Send, against the simulator)', () => {
  const sims = useSimulators();
  const adapter = () =>
    createConfirmationMailAdapter(
      {
        apiKey: creds.sendgridApiKey,
        baseUrl: sims().baseUrl('sendgrid'),
        fromEmail: 'preferences@brand.test',
        fromName: 'Brand',
        brandName: 'Brand',
        links: { ring, audience: 'brand', baseUrl: 'https://preferences.brand.test' },
        ...FAST,
      },
      { now: () => NOW },
    );
  const pending = (externalId: string, expiresAt: number | null, email?: string) =>
    contact({
      externalId,
      channels: { sms: 'subscribed' },
      pending: { email: { eventId: `request-${externalId}`, expiresAt } },
      ...(email ? { email } : {}),
    });

  it('mails a confirm link for the pending email, valid until the request lapses, past the global unsubscribe list', async () => {
    sims().state.sendgrid.suppressGlobally(['jane@example.com']);
    const jane = pending('jane', NOW + 72 * HOUR, 'jane@example.com');
    const [result] = await adapter().deliver([jane]);
    expect(result?.outcome.kind).toBe('delivered');
    const [mail, ...more] = sims().state.sendgrid.mailsTo('jane@example.com');
    expect(more).toEqual([]);
    expect(mail).toMatchObject({ from: 'preferences@brand.test', delivered: true });
    expect(mail?.subject).toContain('Brand');
    const url = /https:\/\/preferences\.brand\.test\/c\/(\S+)/.exec(mail?.text ?? '');
    expect(mail?.html).toContain(`href="${url?.[0]}"`);
    const verified = verifyLinkToken(url?.[1] ?? '', {
      ring,
      audience: 'brand',
      purposes: ['confirm'],
      nowMs: NOW,
    });
    if (!verified.ok) throw new Error(verified.reason);
    expect(verified.claims).toMatchObject({ externalId: 'jane', purpose: 'confirm', channel: 'email' });
    expect(verified.claims.expiresAt).toBe(Math.floor((NOW + 72 * HOUR) / 1000));
    expect(mail?.customArgs).toEqual({ optstream_external_id: 'jane', optstream_purpose: 'double-opt-in' });
  });

  it('sends nothing when email is not pending, the request has lapsed, or there is no address', async () => {
    const results = await adapter().deliver([
      contact({ externalId: 'a', email: 'a@example.com', channels: { email: 'subscribed' } }),
      pending('b', NOW - 1, 'b@example.com'),
      pending('c', NOW + HOUR),
    ]);
    expect(results.map((r) => r.outcome)).toEqual([
      { kind: 'not-applicable', reason: 'email is not pending' },
      { kind: 'not-applicable', reason: 'the pending request has lapsed' },
      { kind: 'not-applicable', reason: 'no email address' },
    ]);
    expect(sims().calls('sendgrid')).toEqual([]);
  });

  it('one mail per pending request: the fingerprint is the request, not the rest of the state', () => {
    const first = pending('d', NOW + HOUR);
    const later = { ...first, version: 2, channels: { sms: 'unsubscribed' as const } };
    expect(confirmationMailFingerprint(later)).toBe(confirmationMailFingerprint(first));
    expect(confirmationMailFingerprint(contact({ externalId: 'd', channels: {} }))).toBe('');
  });

  it('a refused send is rejected (dead-lettered by the connector), a 5xx is retried then parked', async () => {
    sims().setFault('sendgrid', { kind: 'server-error', status: 503, times: 10 });
    const [parked] = await adapter().deliver([pending('e', NOW + HOUR, 'e@example.com')]);
    expect(parked?.outcome.kind).toBe('retry');
    sims().setFault('sendgrid', null);
    const [refused] = await adapter().deliver([pending('f', NOW + HOUR, 'not-an-address')]);
    expect(refused?.outcome.kind).toBe('rejected');
  });
});

import { createProvider } from '../src';
import { contact, creds, FAST, useSimulators } from './support';

describe('SendGrid adapter (against the simulator)', () => {
  const sims = useSimulators();
  const adapter = (groupIds?: number[]) =>
    createProvider({
      provider: 'sendgrid',
      apiKey: creds.sendgridApiKey,
      baseUrl: sims().baseUrl('sendgrid'),
      ...(groupIds ? { groupIds } : {}),
      ...FAST,
    });

  const a = contact({ externalId: 'a', email: 'a@example.com', channels: { email: 'unsubscribed' } });
  const b = contact({
    externalId: 'b',
    email: 'b@example.com',
    channels: { email: 'unsubscribed', sms: 'subscribed' },
  });
  const c = contact({ externalId: 'c', email: 'c@example.com', channels: { email: 'subscribed' } });
  const noEmail = contact({ externalId: 'd', channels: { email: 'unsubscribed' } });

  it('suppresses the batch in one POST, un-suppresses with one DELETE per address, skips contacts without email', async () => {
    const results = await adapter().deliver([a, b, c, noEmail]);

    expect(results.map((r) => [r.externalId, r.outcome.kind])).toEqual([
      ['a', 'delivered'],
      ['b', 'delivered'],
      ['c', 'delivered'],
      ['d', 'not-applicable'],
    ]);
    const calls = sims().calls('sendgrid');
    expect(calls.map((x) => [x.method, x.path, x.body])).toEqual(
      expect.arrayContaining([
        ['POST', '/v3/asm/suppressions/global', { recipient_emails: ['a@example.com', 'b@example.com'] }],
        ['DELETE', '/v3/asm/suppressions/global/c%40example.com', undefined],
      ]),
    );
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call.headers['authorization']).toBe(`Bearer ${creds.sendgridApiKey}`);
      expect(call.headers['idempotency-key']).toMatch(/^[\w-]{43}$/);
    }
    expect(sims().state.sendgrid.isGloballySuppressed('a@example.com')).toBe(true);
    expect(sims().state.sendgrid.isGloballySuppressed('c@example.com')).toBe(false);
  });

  it('re-delivering the same versions carries the same idempotency keys', async () => {
    await adapter().deliver([a, c]);
    await adapter().deliver([a, c]);
    const keys = sims()
      .calls('sendgrid')
      .map((x) => `${x.method} ${x.headers['idempotency-key']}`);
    expect(keys.slice(0, 2).sort()).toEqual(keys.slice(2).sort());
  });

  it('a poison address is rejected while the rest of the batch is delivered', async () => {
    sims().setFault('sendgrid', { kind: 'reject', status: 400, forEmails: ['b@example.com'] });
    const results = await adapter().deliver([a, b]);
    expect(results.map((r) => r.outcome)).toEqual([
      { kind: 'delivered' },
      { kind: 'rejected', reason: 'rejected by provider (400)', status: 400 },
    ]);
    expect(sims().state.sendgrid.isGloballySuppressed('a@example.com')).toBe(true);
  });

  it('group mode suppresses in each configured group', async () => {
    await adapter([7]).deliver([a]);
    expect(
      sims()
        .calls('sendgrid')
        .map((x) => [x.method, x.path, x.body]),
    ).toEqual([['POST', '/v3/asm/groups/7/suppressions', { recipient_emails: ['a@example.com'] }]]);
  });

  it('reads the global suppression as the email channel', async () => {
    const sg = adapter();
    await sg.deliver([a]);
    await expect(sg.read({ externalId: 'a', email: 'a@example.com' })).resolves.toEqual({
      kind: 'found',
      channels: { email: 'unsubscribed' },
    });
    await expect(sg.read({ externalId: 'c', email: 'c@example.com' })).resolves.toEqual({
      kind: 'found',
      channels: { email: 'subscribed' },
    });
    await expect(sg.read({ externalId: 'd' })).resolves.toEqual({
      kind: 'not-applicable',
      reason: 'no email address',
    });
  });

  it('a wrong API key is a retry ("credentials rejected"), never a rejection', async () => {
    const bad = createProvider({
      provider: 'sendgrid',
      apiKey: 'SG.wrong',
      baseUrl: sims().baseUrl('sendgrid'),
      ...FAST,
    });
    const [result] = await bad.deliver([a]);
    expect(result?.outcome).toEqual({ kind: 'retry', reason: 'credentials rejected (401)' });
  });
});

describe('SendGrid adapter: topics as unsubscribe groups (against the simulator)', () => {
  const sims = useSimulators();
  const adapter = () =>
    createProvider({
      provider: 'sendgrid',
      apiKey: creds.sendgridApiKey,
      baseUrl: sims().baseUrl('sendgrid'),
      topicGroups: { newsletter: 42, promotions: 44 },
      ...FAST,
    });
  beforeEach(() => [42, 44].forEach((id) => sims().state.sendgrid.addGroup(id)));

  it('a group resubscribe after a global unsubscribe leaves the group and keeps the global suppression', async () => {
    const sg = adapter();
    const jane = contact({ externalId: 'j', email: 'jane@example.com', channels: { email: 'unsubscribed' } });
    await sg.deliver([
      {
        ...jane,
        topics: { email: [{ topic: 'newsletter', status: 'unsubscribed', effective: 'unsubscribed' }] },
      },
    ]);
    expect(sims().state.sendgrid.isSuppressedInGroup(42, 'jane@example.com')).toBe(true);

    const [result] = await sg.deliver([
      {
        ...jane,
        version: 2,
        topics: { email: [{ topic: 'newsletter', status: 'subscribed', effective: 'unsubscribed' }] },
      },
    ]);
    expect(result?.outcome).toEqual({ kind: 'delivered' });
    const state = sims().state.sendgrid;
    expect(state.isSuppressedInGroup(42, 'jane@example.com')).toBe(false);
    expect(state.isGloballySuppressed('jane@example.com')).toBe(true);
    expect(state.wouldDeliver('jane@example.com', 42)).toBe(false);
    expect(
      sims()
        .calls('sendgrid')
        .filter((c) => c.path.startsWith('/v3/asm/suppressions/global/')),
    ).toEqual([]);
  });

  it('a group unsubscribe suppresses only in its group', async () => {
    const [result] = await adapter().deliver([
      contact({
        externalId: 'k',
        email: 'kim@example.com',
        channels: { email: 'subscribed' },
        topics: { email: [{ topic: 'promotions', status: 'unsubscribed', effective: 'unsubscribed' }] },
      }),
    ]);
    expect(result?.outcome).toEqual({ kind: 'delivered' });
    const state = sims().state.sendgrid;
    expect(state.groupSuppressions(44)).toEqual(['kim@example.com']);
    expect(state.isGloballySuppressed('kim@example.com')).toBe(false);
    expect(state.wouldDeliver('kim@example.com', 42)).toBe(true);
  });
});

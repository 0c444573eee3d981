import { randomUUID } from 'node:crypto';
import { at, AUDIENCE_KEY, preference, ProjectorHarness, READ_KEY } from './projector-harness';

jest.setTimeout(90_000);

/** Issue cases 1 and 7 through real Kafka, registry and Postgres (docs/consent-model.md, "Precedence"). */
describe('preference-projector: consent per topic and timestamp precision, against the real stack', () => {
  const h = new ProjectorHarness();
  beforeAll(async () => {
    await h.prepare();
    await h.start();
  });
  afterAll(() => h.stop());

  it('a group resubscribe after a global unsubscribe is recorded for its topic and does not lift the opt-out', async () => {
    const id = randomUUID();
    // One step at a time: a batch publishes one state per contact.
    await h.publishPreferences([preference(id, 'email', 'subscribed', 0)]);
    await h.waitForStates(id, 1);
    await h.publishPreferences([
      preference(id, 'email', 'unsubscribed', 10, { occurredAtPrecision: 'second' }),
    ]);
    await h.waitForStates(id, 2);
    await h.publishPreferences([
      preference(id, 'email', 'subscribed', 20, {
        topic: 'newsletter',
        occurredAtPrecision: 'second',
        evidence: { strength: 'explicit', kind: 'group_resubscribe', trust: 'server' },
      }),
    ]);
    const states = await h.waitForStates(id, 3);
    const email = states[states.length - 1]?.channels.find((c) => c.channel === 'email');
    expect(email?.status).toBe('unsubscribed');
    expect(email?.topics).toMatchObject([
      { topic: 'newsletter', status: 'subscribed', effectiveStatus: 'unsubscribed' },
    ]);
  });

  it('an unsubscribe stamped to the whole second beats a millisecond opt-in inside that second', async () => {
    const id = randomUUID();
    await h.publishPreferences([
      preference(id, 'email', 'subscribed', 7.266, {
        evidence: { strength: 'snapshot', kind: 'identify_traits' },
      }),
    ]);
    await h.waitForStates(id, 1);
    await h.publishPreferences([
      preference(id, 'email', 'unsubscribed', 7, { occurredAtPrecision: 'second' }),
    ]);
    const states = await h.waitForStates(id, 2);
    expect(states.map((s) => s.channels.find((c) => c.channel === 'email')?.status)).toEqual([
      'subscribed',
      'unsubscribed',
    ]);
  });

  it('the read API shows channels × topics with evidence, as of a time, and audiences and suppressions per topic', async () => {
    // Sorted ids: listings come in externalId order.
    const [a, b, c, d] = Array.from({ length: 4 }, () => randomUUID()).sort() as [
      string,
      string,
      string,
      string,
    ];
    const groupUnsubscribe = preference(a, 'email', 'unsubscribed', 10, {
      topic: 'newsletter',
      occurredAtPrecision: 'second',
      evidence: {
        strength: 'explicit',
        kind: 'group_unsubscribe',
        trust: 'server',
        collectionPoint: 'sendgrid-asm-42',
        legalBasis: 'consent',
      },
    });
    await h.publishPreferences([
      preference(a, 'email', 'subscribed', 0),
      groupUnsubscribe,
      preference(b, 'email', 'unsubscribed', 0, {
        evidence: { strength: 'explicit', kind: 'unsubscribe_link', trust: 'server' },
      }),
      preference(b, 'email', 'subscribed', 10, {
        topic: 'newsletter',
        evidence: { strength: 'explicit', kind: 'group_resubscribe', trust: 'server' },
      }),
      preference(c, 'email', 'subscribed', 0),
      preference(d, 'email', 'subscribed', 0),
      preference(d, 'email', 'unsubscribed', 10, { topic: 'promotions' }),
    ]);
    for (const [id, n] of [
      [a, 2],
      [b, 2],
      [c, 1],
      [d, 2],
    ] as const)
      await h.waitForHistory(id, n);

    const consent = (await (await h.get(`/v1/contacts/${a}/consent`, READ_KEY)).json()) as {
      channels: Record<string, unknown>;
    };
    expect(consent.channels).toEqual({
      email: expect.objectContaining({
        status: 'subscribed',
        evidence: null, // an event without evidence: the first release's kind (explicit, trusted)
        topics: [
          {
            topic: 'newsletter',
            status: 'unsubscribed',
            effectiveStatus: 'unsubscribed',
            occurredAt: new Date(at(10)).toISOString(),
            sourceOfChange: groupUnsubscribe.sourceOfChange,
            eventId: groupUnsubscribe.eventId,
            pendingExpiresAt: null,
            evidence: expect.objectContaining({
              kind: 'group_unsubscribe',
              collectionPoint: 'sendgrid-asm-42',
            }),
          },
        ],
      }),
      sms: null,
      push: null,
    });
    const resubscribed = (await (await h.get(`/v1/contacts/${b}`, READ_KEY)).json()) as {
      consent: { email: { status: string; topics: unknown[] } };
    };
    expect(resubscribed.consent.email).toMatchObject({
      status: 'unsubscribed',
      topics: [{ topic: 'newsletter', status: 'subscribed', effectiveStatus: 'unsubscribed' }],
    });

    const asOf = async (seconds: number) =>
      (
        (await (
          await h.get(`/v1/contacts/${a}/as-of?at=${new Date(at(seconds)).toISOString()}`, READ_KEY)
        ).json()) as { consent: { email: { topics: { topic: string; evidence: unknown }[] } } }
      ).consent.email.topics;
    expect(await asOf(5)).toEqual([]);
    expect(await asOf(20)).toMatchObject([{ topic: 'newsletter', evidence: { kind: 'group_unsubscribe' } }]);

    const history = (await (await h.get(`/v1/contacts/${a}/history`, READ_KEY)).json()) as {
      events: { eventId: string; topic: string | null; occurredAtPrecision: string; evidence: unknown }[];
    };
    expect(history.events.find((e) => e.eventId === groupUnsubscribe.eventId)).toMatchObject({
      topic: 'newsletter',
      occurredAtPrecision: 'second',
      evidence: { kind: 'group_unsubscribe', legalBasis: 'consent' },
    });

    const ids = async (path: string) =>
      (await (await h.get(path, AUDIENCE_KEY)).text())
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { externalId: string; email?: string; sourceOfChange?: string })
        // The other cases of this suite share the projection.
        .filter((row) => [a, b, c, d].includes(row.externalId));
    expect((await ids('/v1/audiences?email=subscribed&topic=newsletter')).map((r) => r.externalId)).toEqual([
      c,
      d,
    ]);
    expect((await ids('/v1/audiences?email=subscribed&topic=promotions')).map((r) => r.externalId)).toEqual([
      a,
      c,
    ]);
    expect((await ids('/v1/audiences?email=subscribed')).map((r) => r.externalId)).toEqual([a, c, d]);
    const suppressed = await ids('/v1/suppressions/email?topic=newsletter');
    expect(suppressed.map((r) => [r.externalId, r.sourceOfChange])).toEqual([
      [a, groupUnsubscribe.sourceOfChange],
      [b, 'Email Unsubscribe Link'],
    ]);
    expect((await ids('/v1/suppressions/email')).map((r) => r.externalId)).toEqual([b]);
    expect((await h.get('/v1/audiences?email=subscribed&topic=Not%20A%20Topic', AUDIENCE_KEY)).status).toBe(
      400,
    );
  });
});

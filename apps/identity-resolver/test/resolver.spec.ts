import { randomUUID } from 'node:crypto';
import type { DeadLetter, IdentityEvent, MarketingPreferenceUpdated } from '@optstream/contracts';
import { DataKeyStore, openIdentityDatabase } from '@optstream/identity-data-access';
import { ID_SUFFIX, reemittedEventId, uuidV5Ids } from '@optstream/identity-domain';
import { deadLetterAssociatedData } from '@optstream/kafka';
import { identifierAssociatedData, LocalMasterKeyProvider, open } from '@optstream/pii-crypto';
import { testDatabaseUrl, waitFor } from '@optstream/testing';
import type { DataSource } from 'typeorm';
import { anonymousOptOut, emailOptOut, identify, OCCURRED_AT, uniqueEmail } from './facts';
import { MASTER_KEY_ID, ResolverHarness } from './resolver-harness';

jest.setTimeout(120_000);

const deriveId = uuidV5Ids();
// Topics of its own: a resolver on the shared ones would also resolve the facts other suites send.
const harness = new ResolverHarness({ ownTopics: true });
let db: DataSource;

beforeAll(async () => {
  await harness.start();
  db = await openIdentityDatabase(testDatabaseUrl(), 'identity-resolver-test', 2);
});
afterAll(async () => {
  await harness.stop();
  await db?.destroy();
});

const withoutSealed = (e: IdentityEvent) => ({
  ...e,
  identifier: e.identifier && { kind: e.identifier.kind, keyedHash: e.identifier.keyedHash },
});

describe('identity-resolver on the real stack', () => {
  const email = uniqueEmail();
  const optOut = emailOptOut(email);
  const provisional = deriveId(optOut.eventId, ID_SUFFIX.provisionalContact);
  const survivor = randomUUID();
  const link = identify(survivor, email);

  it('(a) an opt-out from an unknown email creates a provisional contact and its preference event', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await harness.sendTraced(traceparent, optOut);
    const events = await harness.identityEventsOf(optOut.eventId, 2);
    expect(events.map(withoutSealed)).toEqual([
      expect.objectContaining({
        eventId: deriveId(optOut.eventId, ID_SUFFIX.identity('contact_registered', provisional)),
        externalId: provisional,
        kind: 'contact_registered',
        provisional: true,
        identifier: null,
        causationId: optOut.eventId,
        occurredAt: OCCURRED_AT,
      }),
      expect.objectContaining({
        eventId: deriveId(optOut.eventId, ID_SUFFIX.identity('identifier_linked', 'email')),
        externalId: provisional,
        kind: 'identifier_linked',
        provisional: true,
        identifier: { kind: 'email', keyedHash: harness.hash('email', email) },
      }),
    ]);
    const [pref] = await harness.preferenceEvents((e) => e.causationId === optOut.eventId, 1);
    expect(pref).toEqual({
      eventId: deriveId(optOut.eventId, ID_SUFFIX.preference),
      externalId: provisional,
      channel: 'email',
      newStatus: 'unsubscribed',
      sourceOfChange: 'Email Unsubscribe Link',
      source: optOut.source,
      occurredAt: OCCURRED_AT,
      recordedAt: expect.any(Number),
      causationId: optOut.eventId,
      topic: null,
      evidence: null,
      pendingExpiresAt: null,
      occurredAtPrecision: 'unknown',
      originalOccurredAt: null,
      sealedIpAddress: null,
      sealedUserAgent: null,
    } satisfies Record<keyof MarketingPreferenceUpdated, unknown>);
    // Every output continues the inbound fact's trace (the trace context rides in the Kafka headers).
    expect([
      ...(await harness.traceparentsOf(harness.identity, optOut.eventId)),
      ...(await harness.traceparentsOf(harness.preferences, optOut.eventId)),
    ]).toEqual([traceparent, traceparent, traceparent]);
  });

  it('(b) an identify linking that email merges the provisional contact and re-emits its preference', async () => {
    await harness.send(link);
    const events = await harness.identityEventsOf(link.eventId, 2);
    const mergeId = deriveId(link.eventId, ID_SUFFIX.identity('contacts_merged', provisional));
    expect(events.map((e) => [e.kind, e.externalId, e.otherExternalId, e.provisional, e.eventId])).toEqual([
      [
        'contact_registered',
        survivor,
        null,
        false,
        deriveId(link.eventId, ID_SUFFIX.identity('contact_registered', survivor)),
      ],
      ['contacts_merged', survivor, provisional, false, mergeId],
    ]);
    const [reemitted] = await harness.preferenceEvents((e) => e.externalId === survivor, 1);
    expect(reemitted).toEqual(
      expect.objectContaining({
        eventId: reemittedEventId(
          deriveId,
          {
            type: 'reemit_preferences',
            from: provisional,
            to: survivor,
            causationId: mergeId,
            recordedAt: 0,
          },
          'email',
        ),
        externalId: survivor,
        channel: 'email',
        newStatus: 'unsubscribed',
        // The original time of the opt-out, so newer state on the survivor still wins downstream.
        occurredAt: OCCURRED_AT,
        causationId: mergeId,
      }),
    );
  });

  it('(c) a replayed inbound fact publishes nothing new', async () => {
    const replayedBefore = await harness.factCount('replayed');
    await harness.send(optOut, link);
    await waitFor(async () => (await harness.factCount('replayed')) >= replayedBefore + 2, {
      description: 'both facts recognised as already resolved',
    });
    const identity = await harness.decodeAll<IdentityEvent>(harness.identity.messages);
    const ofTheseFacts = identity.filter((e) => [optOut.eventId, link.eventId].includes(e.causationId));
    expect(ofTheseFacts).toHaveLength(4);
    const prefs = await harness.decodeAll<MarketingPreferenceUpdated>(harness.preferences.messages);
    expect(prefs.filter((e) => e.causationId === optOut.eventId).map((e) => e.eventId)).toEqual([
      deriveId(optOut.eventId, ID_SUFFIX.preference),
    ]);
  });

  it('(d) an identify moves an email between two real contacts as identifier_reassigned', async () => {
    const shared = uniqueEmail();
    const first = randomUUID();
    const second = randomUUID();
    const claimFirst = identify(first, shared);
    await harness.send(claimFirst);
    await harness.identityEventsOf(claimFirst.eventId, 2);
    const claimSecond = identify(second, shared);
    await harness.send(claimSecond);
    const events = await harness.identityEventsOf(claimSecond.eventId, 2);
    expect(
      events.map(withoutSealed).map((e) => [e.kind, e.externalId, e.otherExternalId, e.identifier]),
    ).toEqual([
      ['contact_registered', second, null, null],
      ['identifier_reassigned', second, first, { kind: 'email', keyedHash: harness.hash('email', shared) }],
    ]);
    const owner: { external_id: string }[] = await db.query(
      `SELECT external_id FROM identity.identifiers WHERE kind = 'email' AND keyed_hash = $1`,
      [harness.hash('email', shared)],
    );
    expect(owner).toEqual([{ external_id: second }]);
  });

  it('(e) identity.v1 carries no plaintext email, and sealed values open with the contact key only', async () => {
    await harness.identityEventsOf(optOut.eventId, 2);
    const plaintext = Buffer.from(email, 'utf8');
    expect(harness.identity.messages.length).toBeGreaterThan(0);
    for (const m of harness.identity.messages) {
      expect(m.value?.includes(plaintext)).toBe(false);
      expect(m.key?.includes(plaintext)).toBe(false);
    }
    const [, linked] = await harness.identityEventsOf(optOut.eventId, 2);
    const identifier = linked?.identifier;
    if (!identifier) throw new Error('identifier_linked without identifier');
    const keys = new DataKeyStore(
      db,
      new LocalMasterKeyProvider({
        activeKeyId: MASTER_KEY_ID,
        keys: { [MASTER_KEY_ID]: harness.masterKeyBase64 },
      }),
    );
    const dataKey = await keys.keyById(identifier.dataKeyId);
    if (!dataKey) throw new Error(`data key ${identifier.dataKeyId} not stored`);
    expect(
      open(dataKey.key, identifier.sealedValue, identifierAssociatedData(provisional, 'email')).toString(
        'utf8',
      ),
    ).toBe(email);
    // Bound to the contact: the same bytes presented as another contact's email do not open.
    expect(() =>
      open(dataKey.key, identifier.sealedValue, identifierAssociatedData(survivor, 'email')),
    ).toThrow(/authenticated/);
  });

  it('serves health and Prometheus metrics', async () => {
    const url = harness.resolver?.url ?? '';
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${url}/health/ready`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(
      /identity_resolver_facts_total\{outcome="resolved",service="identity-resolver"\} [1-9]/,
    );
    expect((await fetch(`${url}/nope`)).status).toBe(404);
  });

  it('dead-letters a fact without a usable identifier, with its original bytes sealed under a key of its own', async () => {
    const bad = anonymousOptOut();
    const [bytes] = await harness.send(bad);
    const letter = await waitFor(async () => {
      const letters = await harness.decodeAll<DeadLetter>(harness.deadLetters.messages);
      return letters.find((l) =>
        l.originalHeaders.some((h) => h.key === 'optstream-event-id' && h.value?.toString() === bad.eventId),
      );
    });
    expect(letter).toEqual(
      expect.objectContaining({
        service: 'identity-resolver',
        originalTopic: harness.config.INBOUND_TOPIC,
        errorCode: 'NO_USABLE_IDENTIFIER',
        attempts: 1,
        sealedWithKeyId: expect.any(String),
      }),
    );
    expect(letter.originalValue?.equals(bytes ?? Buffer.alloc(0))).toBe(false);
    const keys = new DataKeyStore(
      db,
      new LocalMasterKeyProvider({
        activeKeyId: MASTER_KEY_ID,
        keys: { [MASTER_KEY_ID]: harness.masterKeyBase64 },
      }),
    );
    const key = await keys.keyById(letter.sealedWithKeyId ?? '');
    expect(open(key!.key, letter.originalValue!, deadLetterAssociatedData(letter))).toEqual(bytes);
  });

  it('(f) a restart mid-stream loses nothing and duplicates no identity change', async () => {
    const facts = Array.from({ length: 200 }, () => emailOptOut(uniqueEmail()));
    const ids = new Set(facts.map((f) => f.eventId));
    await harness.send(...facts.slice(0, 100));
    await harness.preferenceEvents((e) => ids.has(e.causationId), 3);
    await harness.stopResolver();
    // Sent while no resolver runs: the new instance must pick these up from the group's committed offsets.
    await harness.send(...facts.slice(100));
    await harness.startResolver();
    const prefs = await harness.preferenceEvents((e) => ids.has(e.causationId), facts.length);
    expect(new Set(prefs.map((p) => p.causationId))).toEqual(ids);
    expect(new Set(prefs.map((p) => p.eventId)).size).toBe(facts.length);
    // The identity topic and the resolutions' published marks trail the preference events a little:
    // wait for them (a condition with a deadline), then check nothing is missing or doubled.
    const identityIds = async () =>
      new Set(
        (await harness.decodeAll<IdentityEvent>(harness.identity.messages))
          .filter((e) => ids.has(e.causationId))
          .map((e) => e.eventId),
      );
    await waitFor(async () => (await identityIds()).size >= 2 * facts.length, {
      description: 'two identity events per fact',
    });
    expect((await identityIds()).size).toBe(2 * facts.length);
    const provisionalIds = facts.map((f) => deriveId(f.eventId, ID_SUFFIX.provisionalContact));
    const rows: { n: string }[] = await db.query(
      `SELECT count(*)::text AS n FROM identity.contacts WHERE external_id = ANY($1::text[])`,
      [provisionalIds],
    );
    expect(rows).toEqual([{ n: String(facts.length) }]);
    const published = async () =>
      (await db.query(
        `SELECT count(*)::text AS n FROM identity.resolutions
          WHERE inbound_event_id = ANY($1::text[]) AND published_at IS NOT NULL
            AND cardinality(identity_events) = 2 AND cardinality(preference_events) = 1`,
        [[...ids]],
      )) as { n: string }[];
    await waitFor(async () => Number((await published())[0]?.n) >= facts.length, {
      description: 'every resolution marked published',
    });
    expect(await published()).toEqual([{ n: String(facts.length) }]);
  });
});

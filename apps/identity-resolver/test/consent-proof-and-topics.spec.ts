import { randomUUID } from 'node:crypto';
import { erasureRequest } from '@optstream/erasure-requests';
import type { ContactInbound, MarketingPreferenceUpdated, SealedText } from '@optstream/contracts';
import { openIdentityDatabase } from '@optstream/identity-data-access';
import { ID_SUFFIX, reemittedEventId, uuidV5Ids } from '@optstream/identity-domain';
import { open, proofOfConsentAssociatedData } from '@optstream/pii-crypto';
import { testDatabaseUrl } from '@optstream/testing';
import type { DataSource } from 'typeorm';
import { consent, emailOptOut, identify, OCCURRED_AT, uniqueEmail } from './facts';
import { ResolverHarness } from './resolver-harness';

jest.setTimeout(120_000);

const deriveId = uuidV5Ids();
const harness = new ResolverHarness();
let db: DataSource;

beforeAll(async () => {
  await harness.start();
  db = await openIdentityDatabase(testDatabaseUrl(), 'identity-resolver-consent-test', 2);
});
afterAll(async () => {
  await harness.stop();
  await db?.destroy();
});

const keys = () => harness.dataKeys(db);

const IP = '203.0.113.77';
const USER_AGENT = `Mozilla/5.0 (proof-${randomUUID()})`;

/** A preference-center opt-in carrying the person's IP address and user agent as proof of consent. */
const withProof = (fact: ContactInbound): ContactInbound => ({
  ...fact,
  preferenceChange: fact.preferenceChange && {
    ...fact.preferenceChange,
    ipAddress: IP,
    userAgent: USER_AGENT,
  },
});

const opened = async (
  event: MarketingPreferenceUpdated,
  sealed: SealedText | null | undefined,
  field: 'ip_address' | 'user_agent',
) => {
  if (!sealed) throw new Error(`${field} was not sealed onto ${event.eventId}`);
  const key = await keys().keyById(sealed.dataKeyId);
  if (key === null) throw new Error(`unknown data key ${sealed.dataKeyId}`);
  return open(
    key.key,
    sealed.sealedValue,
    proofOfConsentAssociatedData(event.externalId, field, event.eventId),
  ).toString('utf8');
};

describe('consent facts on the real stack', () => {
  it("seals the proof of consent (IP address, user agent) with the contact's key, which erasure destroys", async () => {
    const externalId = randomUUID();
    const fact = withProof(consent({ externalId, email: uniqueEmail() }, 'email', 'subscribed'));
    await harness.send(fact);
    const [event] = await harness.preferenceEvents((e) => e.causationId === fact.eventId, 1);
    if (event === undefined) throw new Error('no preference event');
    // Neither the published message nor the outbox row holds them in the clear.
    const raw = harness.preferences.messages.map((m) => m.value ?? Buffer.alloc(0));
    expect(
      raw.some((bytes) => bytes.includes(Buffer.from(IP)) || bytes.includes(Buffer.from(USER_AGENT))),
    ).toBe(false);
    const outbox: { bytes: Buffer }[] = await db.query(
      `SELECT unnest(preference_events) AS bytes FROM identity.resolutions WHERE inbound_event_id = $1`,
      [fact.eventId],
    );
    expect(outbox).toHaveLength(1);
    expect(outbox.some((r) => r.bytes.includes(Buffer.from(IP)))).toBe(false);
    // Sealed with the contact's own key, bound to the event: they open while the key exists.
    const contactKey = (await keys().keysFor([externalId])).get(externalId);
    expect(event.sealedIpAddress?.dataKeyId).toBe(contactKey?.keyId);
    expect(await opened(event, event.sealedIpAddress, 'ip_address')).toBe(IP);
    expect(await opened(event, event.sealedUserAgent, 'user_agent')).toBe(USER_AGENT);

    const erasure = erasureRequest(externalId, OCCURRED_AT + 60_000, randomUUID());
    await harness.send(erasure);
    await harness.identityEventsOf(erasure.eventId, 1);
    await expect(opened(event, event.sealedIpAddress, 'ip_address')).rejects.toThrow(/destroyed/);
  });

  it('a fact without proof of consent carries none', async () => {
    const fact = consent({ externalId: randomUUID() }, 'sms', 'unsubscribed');
    await harness.send(fact);
    const [event] = await harness.preferenceEvents((e) => e.causationId === fact.eventId, 1);
    expect([event?.sealedIpAddress, event?.sealedUserAgent]).toEqual([null, null]);
  });

  it("a merge re-emits the absorbed contact's topic opt-out as a topic opt-out, beside its channel-wide choice", async () => {
    const email = uniqueEmail();
    const channelWide = emailOptOut(email);
    const provisional = deriveId(channelWide.eventId, ID_SUFFIX.provisionalContact);
    await harness.send(channelWide);
    await harness.preferenceEvents((e) => e.causationId === channelWide.eventId, 1);
    const topicOptOut: ContactInbound = {
      ...consent({ email }, 'email', 'unsubscribed', OCCURRED_AT + 500),
      preferenceChange: {
        channel: 'email',
        newStatus: 'unsubscribed',
        sourceOfChange: 'SendGrid Group Unsubscribe',
        topic: 'newsletter',
        evidence: {
          strength: 'explicit',
          kind: 'group_unsubscribe',
          trust: 'server',
          collectionPoint: null,
          consentTextId: null,
          consentTextVersion: null,
          actor: 'person',
          legalBasis: null,
          jurisdiction: null,
        },
      },
    };
    await harness.send(topicOptOut);
    const [topicEvent] = await harness.preferenceEvents((e) => e.causationId === topicOptOut.eventId, 1);
    expect(topicEvent).toMatchObject({ externalId: provisional, topic: 'newsletter' });

    const survivor = randomUUID();
    const link = identify(survivor, email, OCCURRED_AT + 1_000);
    await harness.send(link);
    const events = await harness.identityEventsOf(link.eventId, 2);
    const merge = events.find((e) => e.kind === 'contacts_merged');
    if (merge === undefined) throw new Error('no merge');
    const reemitted = await harness.preferenceEvents((e) => e.causationId === merge.eventId, 2);
    const decision = {
      type: 'reemit_preferences',
      from: provisional,
      to: survivor,
      causationId: merge.eventId,
      recordedAt: 0,
    } as const;
    expect(
      reemitted
        .map((e) => ({
          eventId: e.eventId,
          externalId: e.externalId,
          topic: e.topic,
          status: e.newStatus,
          kind: e.evidence?.kind ?? null,
          occurredAt: e.occurredAt,
        }))
        .sort((a, b) => String(a.topic).localeCompare(String(b.topic))),
    ).toEqual([
      {
        eventId: reemittedEventId(deriveId, decision, 'email', 'newsletter'),
        externalId: survivor,
        topic: 'newsletter',
        status: 'unsubscribed',
        kind: 'group_unsubscribe',
        occurredAt: OCCURRED_AT + 500,
      },
      {
        eventId: reemittedEventId(deriveId, decision, 'email'),
        externalId: survivor,
        topic: null,
        status: 'unsubscribed',
        kind: null,
        occurredAt: OCCURRED_AT,
      },
    ]);
  });
});

import { randomUUID } from 'node:crypto';
import { erasureRequest } from '@optstream/erasure-requests';
import type { ContactInbound, DeadLetter } from '@optstream/contracts';
import { DataKeyStore, openIdentityDatabase } from '@optstream/identity-data-access';
import { ID_SUFFIX, uuidV5Ids } from '@optstream/identity-domain';
import { testDatabaseUrl, waitFor } from '@optstream/testing';
import type { DataSource } from 'typeorm';
import { consent, emailOptOut, identify, OCCURRED_AT, uniqueEmail } from './facts';
import { MASTER_KEY_ID, ResolverHarness } from './resolver-harness';
import { deadLetterAssociatedData } from '@optstream/kafka';
import { LocalMasterKeyProvider, open } from '@optstream/pii-crypto';

jest.setTimeout(120_000);

const deriveId = uuidV5Ids();
// Topics of its own: a resolver on the shared ones would also resolve the facts other suites send.
const harness = new ResolverHarness({ ownTopics: true });
let db: DataSource;

beforeAll(async () => {
  await harness.start();
  db = await openIdentityDatabase(testDatabaseUrl(), 'identity-resolver-erasure-test', 2);
});
afterAll(async () => {
  await harness.stop();
  await db?.destroy();
});

const erasureCount = async (outcome: 'erased' | 'no_contact'): Promise<number> => {
  const metric = await harness.resolver?.metrics.erasures.get();
  return metric?.values.find((v) => v.labels['outcome'] === outcome)?.value ?? 0;
};

/** The request's resolution is committed: it was decided, whatever it decided. */
const decided = (inboundEventId: string): Promise<boolean> =>
  waitFor(
    async () =>
      (await db.query(`SELECT 1 FROM identity.resolutions WHERE inbound_event_id = $1`, [inboundEventId]))
        .length === 1,
    { timeoutMs: 30_000, description: `resolution of ${inboundEventId}` },
  );

/** The final state of an erasure: the contact marked erased and its data key destroyed. */
const erasedInGraph = (externalId: string): Promise<boolean> =>
  waitFor(
    async () => {
      const rows: { erased: boolean; wrapped: boolean | null }[] = await db.query(
        `SELECT c.erased, k.wrapped_key IS NOT NULL AS wrapped
           FROM identity.contacts c LEFT JOIN identity.data_keys k USING (external_id)
          WHERE c.external_id = $1`,
        [externalId],
      );
      return rows[0]?.erased === true && rows[0].wrapped !== true;
    },
    { timeoutMs: 30_000, description: `${externalId} erased with its data key destroyed` },
  );

describe('erasure requests on the real stack', () => {
  it('an erasure processed before the contact exists does not turn a later one into a no-op', async () => {
    const externalId = randomUUID();
    const early = erasureRequest(externalId, OCCURRED_AT, randomUUID());
    const before = await erasureCount('no_contact');
    await harness.send(early);
    await decided(early.eventId);
    // Counted after the resolution is committed and its outputs published: wait for the count itself.
    await waitFor(async () => (await erasureCount('no_contact')) >= before + 1, {
      description: 'the erasure counted as naming no contact',
    });
    expect(await erasureCount('no_contact')).toBe(before + 1);

    const registered = consent({ externalId, email: uniqueEmail() }, 'email', 'unsubscribed');
    await harness.send(registered);
    await harness.identityEventsOf(registered.eventId, 1);

    const later = erasureRequest(externalId, OCCURRED_AT + 60_000, randomUUID());
    await harness.send(later);
    const [erased] = await harness.identityEventsOf(later.eventId, 1);
    expect(erased).toMatchObject({ kind: 'contact_erased', externalId });
    expect(await erasedInGraph(externalId)).toBe(true);
  });

  it('an erasure while the person is still a provisional contact does not block the one after the merge', async () => {
    const email = uniqueEmail();
    const optOut = emailOptOut(email);
    const provisional = deriveId(optOut.eventId, ID_SUFFIX.provisionalContact);
    const externalId = randomUUID();
    await harness.send(optOut);
    await harness.identityEventsOf(optOut.eventId, 1);

    const early = erasureRequest(externalId, OCCURRED_AT + 500, randomUUID());
    await harness.send(early);
    await decided(early.eventId);

    const link = identify(externalId, email);
    await harness.send(link);
    const merge = await waitFor(
      async () =>
        (await harness.decodeAll<{ causationId: string; kind: string }>(harness.identity.messages)).find(
          (e) => e.causationId === link.eventId && e.kind === 'contacts_merged',
        ),
      { timeoutMs: 30_000, description: 'the provisional contact merged into the identified one' },
    );
    expect(merge).toBeDefined();

    const later = erasureRequest(externalId, OCCURRED_AT + 60_000, randomUUID());
    await harness.send(later);
    const [erased] = await harness.identityEventsOf(later.eventId, 1);
    expect(erased).toMatchObject({ kind: 'contact_erased', externalId });
    // The provisional contact's data key went with it: its sealed values moved with the merge.
    expect(await erasedInGraph(externalId)).toBe(true);
    const keys: { destroyed: boolean }[] = await db.query(
      `SELECT wrapped_key IS NULL AS destroyed FROM identity.data_keys WHERE external_id = $1`,
      [provisional],
    );
    expect(keys.every((k) => k.destroyed)).toBe(true);
  });

  const keys = () =>
    new DataKeyStore(
      db,
      new LocalMasterKeyProvider({
        activeKeyId: MASTER_KEY_ID,
        keys: { [MASTER_KEY_ID]: harness.masterKeyBase64 },
      }),
    );

  /** The dead letter of an inbound fact, by its event id, and the raw bytes it was published as. */
  const deadLetterOf = (eventId: string): Promise<{ letter: DeadLetter; raw: Buffer }> =>
    waitFor(
      async () => {
        for (const m of harness.deadLetters.messages) {
          const letter = await harness.codec.decode<DeadLetter>(m.value);
          const id = letter.originalHeaders.find((h) => h.key === 'optstream-event-id')?.value?.toString();
          if (id === eventId) return { letter, raw: m.value ?? Buffer.alloc(0) };
        }
        return undefined;
      },
      { timeoutMs: 30_000, description: `the dead letter of ${eventId}` },
    );

  /** A fact the decider rejects (no payload), naming the contact by the given identifiers. */
  const rejectable = (identifiers: Partial<ContactInbound['identifiers']>): ContactInbound => ({
    ...consent(identifiers, 'email', 'unsubscribed'),
    preferenceChange: null,
  });

  it("a dead-lettered fact about a live contact is sealed with the contact's key, which its erasure destroys", async () => {
    const externalId = randomUUID();
    const email = uniqueEmail();
    const registered = consent({ externalId, email }, 'email', 'unsubscribed');
    await harness.send(registered);
    await harness.identityEventsOf(registered.eventId, 1);

    const bad = rejectable({ externalId, email });
    const [bytes] = await harness.send(bad);
    const { letter, raw } = await deadLetterOf(bad.eventId);
    expect(letter.errorCode).toBe('MISSING_FACT_PAYLOAD');
    expect(raw.includes(Buffer.from(email))).toBe(false);
    const contactKey = (await keys().keysFor([externalId])).get(externalId);
    expect(letter.sealedWithKeyId).toBe(contactKey?.keyId);
    expect(open(contactKey!.key, letter.originalValue!, deadLetterAssociatedData(letter))).toEqual(bytes);

    const erasure = erasureRequest(externalId, OCCURRED_AT + 60_000, randomUUID());
    await harness.send(erasure);
    await harness.identityEventsOf(erasure.eventId, 1);
    expect(await erasedInGraph(externalId)).toBe(true);
    await expect(keys().keyById(letter.sealedWithKeyId!)).rejects.toThrow(/destroyed/);
  });

  it('a fact about an erased contact is dead-lettered without its bytes', async () => {
    const externalId = randomUUID();
    const email = uniqueEmail();
    const registered = consent({ externalId, email }, 'email', 'subscribed');
    await harness.send(registered);
    await harness.identityEventsOf(registered.eventId, 1);
    const erasure = erasureRequest(externalId, OCCURRED_AT + 60_000, randomUUID());
    await harness.send(erasure);
    await harness.identityEventsOf(erasure.eventId, 1);

    const after = consent({ externalId, email }, 'sms', 'subscribed', OCCURRED_AT + 120_000);
    await harness.send(after);
    const { letter, raw } = await deadLetterOf(after.eventId);
    expect(letter).toMatchObject({
      errorCode: 'DATA_KEY_DESTROYED',
      originalValue: null,
      sealedWithKeyId: null,
      redacted: expect.stringContaining('erased contact'),
    });
    expect(raw.includes(Buffer.from(email))).toBe(false);
  });

  it("an unknown person's dead letter has a key of its own, destroyed when the contact the address later belongs to is erased", async () => {
    const email = uniqueEmail();
    const bad = rejectable({ email });
    const [bytes] = await harness.send(bad);
    const { letter, raw } = await deadLetterOf(bad.eventId);
    expect(raw.includes(Buffer.from(email))).toBe(false);
    const own = await keys().keyById(letter.sealedWithKeyId!);
    expect(open(own!.key, letter.originalValue!, deadLetterAssociatedData(letter))).toEqual(bytes);

    const externalId = randomUUID();
    const link = identify(externalId, email);
    await harness.send(link);
    await harness.identityEventsOf(link.eventId, 1);
    const erasure = erasureRequest(externalId, OCCURRED_AT + 60_000, randomUUID());
    await harness.send(erasure);
    await harness.identityEventsOf(erasure.eventId, 1);
    expect(await erasedInGraph(externalId)).toBe(true);
    await expect(keys().keyById(letter.sealedWithKeyId!)).rejects.toThrow(/destroyed/);
  });
});

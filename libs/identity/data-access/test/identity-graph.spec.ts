import { randomBytes, randomUUID } from 'node:crypto';
import type { IdentityEvent, MarketingPreferenceUpdated } from '@optstream/contracts';
import { LocalMasterKeyProvider } from '@optstream/pii-crypto';
import { testDatabaseUrl } from '@optstream/testing';
import type { DataSource } from 'typeorm';
import {
  commitResolution,
  DataKeyDestroyedError,
  DataKeyStore,
  emittedPreferences,
  findResolution,
  IdentityConflictError,
  loadIdentityView,
  markPublished,
  openIdentityDatabase,
  type Resolution,
} from '../src';

jest.setTimeout(60_000);

let db: DataSource;
beforeAll(async () => {
  db = await openIdentityDatabase(testDatabaseUrl(), 'identity-data-access-test');
});
afterAll(async () => {
  await db?.destroy();
});

const AT = 1_767_225_600_000;
const hash = (): string => randomBytes(32).toString('base64url');

const identity = (
  kind: IdentityEvent['kind'],
  externalId: string,
  extra: Partial<IdentityEvent> = {},
): IdentityEvent => ({
  eventId: randomUUID(),
  externalId,
  kind,
  provisional: false,
  identifier: null,
  otherExternalId: null,
  occurredAt: AT,
  recordedAt: AT + 1,
  causationId: randomUUID(),
  ...extra,
});

const email = (keyedHash: string): IdentityEvent['identifier'] => ({
  kind: 'email',
  keyedHash,
  sealedValue: randomBytes(40),
  dataKeyId: 'dk-test',
});

const preference = (externalId: string, overrides: Partial<MarketingPreferenceUpdated> = {}) =>
  ({
    eventId: randomUUID(),
    externalId,
    channel: 'email',
    newStatus: 'unsubscribed',
    sourceOfChange: 'Email Unsubscribe Link',
    source: { system: 'sendgrid', providerEventRef: `sg-${randomUUID()}` },
    occurredAt: AT,
    recordedAt: AT + 1,
    causationId: randomUUID(),
    ...overrides,
  }) satisfies MarketingPreferenceUpdated;

const resolution = (
  identityEvents: IdentityEvent[],
  preferenceEvents: MarketingPreferenceUpdated[] = [],
): Resolution => ({ inboundEventId: randomUUID(), identityEvents, preferenceEvents });

const emptyRead = { view: { contacts: new Map(), owners: new Map() }, versions: new Map<string, string>() };

/** A provisional contact owning one email, committed. */
const provisionalWithEmail = async (emailHash: string): Promise<string> => {
  const p = randomUUID();
  await commitResolution(
    db,
    resolution([
      identity('contact_registered', p, { provisional: true }),
      identity('identifier_linked', p, { provisional: true, identifier: email(emailHash) }),
    ]),
    emptyRead,
  );
  return p;
};

describe('identity graph', () => {
  it('loads the owner of an identifier with its identifiers and version', async () => {
    const h = hash();
    const p = await provisionalWithEmail(h);
    const { view, versions } = await loadIdentityView(db, {
      externalId: null,
      identifiers: [{ kind: 'email', keyedHash: h }],
    });
    expect(view.contacts.get(p)).toEqual({
      externalId: p,
      provisional: true,
      mergedInto: null,
      identifiers: [{ kind: 'email', keyedHash: h }],
    });
    expect(view.owners.get(`email:${h}`)).toBe(p);
    // registered (1), then bumped by the link (2)
    expect(versions.get(p)).toBe('2');
  });

  it('refuses a second owner for one identifier, leaving nothing of the losing resolution', async () => {
    const h = hash();
    await provisionalWithEmail(h);
    const x = randomUUID();
    const losing = resolution([
      identity('contact_registered', x),
      identity('identifier_linked', x, { identifier: email(h) }),
    ]);
    await expect(commitResolution(db, losing, emptyRead)).rejects.toBeInstanceOf(IdentityConflictError);
    const after = await loadIdentityView(db, { externalId: x, identifiers: [] });
    expect(after.view.contacts.has(x)).toBe(false);
    expect(await findResolution(db, losing.inboundEventId)).toBeNull();
  });

  it('detects a decision made on a stale read of a contact', async () => {
    const h = hash();
    const p = await provisionalWithEmail(h);
    const stale = await loadIdentityView(db, { externalId: p, identifiers: [] });
    await commitResolution(db, resolution([], [preference(p)]), stale);
    await expect(commitResolution(db, resolution([], [preference(p)]), stale)).rejects.toMatchObject({
      code: 'IDENTITY_CONFLICT',
      retriable: true,
    });
  });

  it('merges a provisional contact: identifiers move, the pointer leads to the survivor', async () => {
    const h = hash();
    const p = await provisionalWithEmail(h);
    const x = randomUUID();
    const read = await loadIdentityView(db, {
      externalId: x,
      identifiers: [{ kind: 'email', keyedHash: h }],
    });
    await commitResolution(
      db,
      resolution([identity('contact_registered', x), identity('contacts_merged', x, { otherExternalId: p })]),
      read,
    );
    const { view } = await loadIdentityView(db, { externalId: p, identifiers: [] });
    expect(view.contacts.get(p)?.mergedInto).toBe(x);
    expect(view.contacts.get(x)?.identifiers).toEqual([{ kind: 'email', keyedHash: h }]);
    // A second merge of the same provisional contact (a racing replica) is a conflict.
    const y = randomUUID();
    await expect(
      commitResolution(
        db,
        resolution([
          identity('contact_registered', y),
          identity('contacts_merged', y, { otherExternalId: p }),
        ]),
        emptyRead,
      ),
    ).rejects.toBeInstanceOf(IdentityConflictError);
  });

  it('reassigns only from the owner the decision saw', async () => {
    const h = hash();
    const a = randomUUID();
    const b = randomUUID();
    await commitResolution(
      db,
      resolution([
        identity('contact_registered', a),
        identity('identifier_linked', a, { identifier: email(h) }),
      ]),
      emptyRead,
    );
    await commitResolution(db, resolution([identity('contact_registered', b)]), emptyRead);
    const wrongFrom = resolution([
      identity('identifier_reassigned', b, { identifier: email(h), otherExternalId: randomUUID() }),
    ]);
    await expect(commitResolution(db, wrongFrom, emptyRead)).rejects.toBeInstanceOf(IdentityConflictError);
    await commitResolution(
      db,
      resolution([identity('identifier_reassigned', b, { identifier: email(h), otherExternalId: a })]),
      emptyRead,
    );
    const { view } = await loadIdentityView(db, {
      externalId: a,
      identifiers: [{ kind: 'email', keyedHash: h }],
    });
    expect(view.owners.get(`email:${h}`)).toBe(b);
    expect(view.contacts.get(a)?.identifiers).toEqual([]);
  });

  it('keeps the latest emitted preference per channel by occurredAt, unsubscribed winning ties', async () => {
    const x = randomUUID();
    const newer = preference(x, { newStatus: 'subscribed', occurredAt: AT + 10 });
    await commitResolution(db, resolution([identity('contact_registered', x)], [newer]), emptyRead);
    const read = await loadIdentityView(db, { externalId: x, identifiers: [] });
    await commitResolution(db, resolution([], [preference(x, { occurredAt: AT })]), read);
    expect((await emittedPreferences(db, x)).map((p) => [p.eventId, p.newStatus])).toEqual([
      [newer.eventId, 'subscribed'],
    ]);
    const tie = preference(x, { newStatus: 'unsubscribed', occurredAt: AT + 10 });
    await commitResolution(
      db,
      resolution([], [tie]),
      await loadIdentityView(db, { externalId: x, identifiers: [] }),
    );
    expect((await emittedPreferences(db, x)).map((p) => p.eventId)).toEqual([tie.eventId]);
  });

  it('stores the outputs byte for byte and remembers that they were published', async () => {
    const h = hash();
    const p = randomUUID();
    const stored = resolution(
      [
        identity('contact_registered', p, { provisional: true }),
        identity('identifier_linked', p, { provisional: true, identifier: email(h) }),
      ],
      [preference(p)],
    );
    await commitResolution(db, stored, emptyRead);
    // Read back, the events also carry the defaults of the fields the writer may omit (topic, evidence…).
    expect(await findResolution(db, stored.inboundEventId)).toMatchObject({ ...stored, published: false });
    await markPublished(db, stored.inboundEventId);
    expect((await findResolution(db, stored.inboundEventId))?.published).toBe(true);
  });
});

describe('DataKeyStore', () => {
  const provider = new LocalMasterKeyProvider({
    activeKeyId: 'test-1',
    keys: { 'test-1': randomBytes(32).toString('base64') },
  });

  it('creates one key per contact, even when asked concurrently, and shreds it', async () => {
    const store = new DataKeyStore(db, provider);
    const x = randomUUID();
    const keys = await Promise.all([store.keyFor(x), store.keyFor(x), store.keyFor(x)]);
    expect(new Set(keys.map((k) => k.keyId)).size).toBe(1);
    expect(keys[1]?.key.equals(keys[0]?.key ?? Buffer.alloc(0))).toBe(true);
    expect((await store.keyById(keys[0]?.keyId ?? ''))?.key).toEqual(keys[0]?.key);
    expect(await store.destroy(x)).toBe(true);
    await expect(store.keyFor(x)).rejects.toBeInstanceOf(DataKeyDestroyedError);
    const rows: { wrapped_key: Buffer | null }[] = await db.query(
      `SELECT wrapped_key FROM identity.data_keys WHERE external_id = $1`,
      [x],
    );
    expect(rows).toEqual([{ wrapped_key: null }]);
  });

  it('cannot unwrap a key with another master key', async () => {
    const x = randomUUID();
    await new DataKeyStore(db, provider).keyFor(x);
    const other = new LocalMasterKeyProvider({
      activeKeyId: 'test-1',
      keys: { 'test-1': randomBytes(32).toString('base64') },
    });
    await expect(new DataKeyStore(db, other).keyFor(x)).rejects.toThrow(/authenticated/);
  });
});

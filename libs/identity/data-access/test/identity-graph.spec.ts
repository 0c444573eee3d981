import { randomBytes, randomUUID } from 'node:crypto';
import type { IdentityEvent, MarketingPreferenceUpdated } from '@optstream/contracts';
import { LocalMasterKeyProvider } from '@optstream/pii-crypto';
import { testDatabaseUrl } from '@optstream/testing';
import type { DataSource } from 'typeorm';
import {
  DataKeyDestroyedError,
  DataKeyStore,
  emittedPreferencesOf,
  findResolutions,
  GraphModel,
  IdentityConflictError,
  loadBatchView,
  markPublishedMany,
  openIdentityDatabase,
  withLockedView,
  writeBatch,
  type LoadedView,
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

/** The contacts and addresses a resolution names: what the resolver locks before deciding it. */
const namedBy = (r: Resolution) => ({
  externalIds: [
    ...r.identityEvents.flatMap((e) => [e.externalId, ...(e.otherExternalId ? [e.otherExternalId] : [])]),
    ...r.preferenceEvents.map((e) => e.externalId),
  ],
  identifiers: r.identityEvents.flatMap((e) =>
    e.identifier ? [{ kind: e.identifier.kind, keyedHash: e.identifier.keyedHash }] : [],
  ),
});

/**
 * The resolver's one write path for one resolution (a batch of one): the view it names, locked; the
 * events applied strictly; the rows written. `decidedOn` replaces the locked view with the one a
 * racing replica decided on.
 */
const commit = (r: Resolution, decidedOn?: (locked: LoadedView) => LoadedView) =>
  withLockedView(db, namedBy(r), async (q, locked) => {
    const readAt = decidedOn ? decidedOn(locked) : locked;
    const model = new GraphModel(readAt.view, readAt.erased);
    for (const e of r.identityEvents) model.apply(e, 'strict');
    for (const e of r.preferenceEvents) model.touchContact(e.externalId);
    await writeBatch(q, model.writes(), [r]);
  });

const unseen = (): LoadedView => ({
  view: { contacts: new Map(), owners: new Map() },
  versions: new Map(),
  erased: new Set(),
});

/** A provisional contact owning one email, committed. */
const provisionalWithEmail = async (emailHash: string): Promise<string> => {
  const p = randomUUID();
  await commit(
    resolution([
      identity('contact_registered', p, { provisional: true }),
      identity('identifier_linked', p, { provisional: true, identifier: email(emailHash) }),
    ]),
  );
  return p;
};

const latestOf = async (externalId: string) => (await emittedPreferencesOf(db, [externalId])).get(externalId);

describe('identity graph', () => {
  it('loads the owner of an identifier with its identifiers and version', async () => {
    const h = hash();
    const p = await provisionalWithEmail(h);
    const { view, versions } = await loadBatchView(db, {
      externalIds: [],
      identifiers: [{ kind: 'email', keyedHash: h }],
    });
    expect(view.contacts.get(p)).toEqual({
      externalId: p,
      provisional: true,
      mergedInto: null,
      identifiers: [{ kind: 'email', keyedHash: h }],
    });
    expect(view.owners.get(`email:${h}`)).toBe(p);
    // inserted by the batch that registered it, not bumped since
    expect(versions.get(p)).toBe('1');
    await commit(resolution([], [preference(p)]));
    expect((await loadBatchView(db, { externalIds: [p], identifiers: [] })).versions.get(p)).toBe('2');
  });

  it('refuses a second owner for one identifier, leaving nothing of the losing resolution', async () => {
    const h = hash();
    await provisionalWithEmail(h);
    const x = randomUUID();
    const losing = resolution([
      identity('contact_registered', x),
      identity('identifier_linked', x, { identifier: email(h) }),
    ]);
    await expect(commit(losing, unseen)).rejects.toBeInstanceOf(IdentityConflictError);
    const after = await loadBatchView(db, { externalIds: [x], identifiers: [] });
    expect(after.view.contacts.has(x)).toBe(false);
    expect((await findResolutions(db, [losing.inboundEventId])).size).toBe(0);
  });

  it('merges a provisional contact: identifiers move, the pointer leads to the survivor', async () => {
    const h = hash();
    const p = await provisionalWithEmail(h);
    const x = randomUUID();
    await commit(
      resolution([identity('contact_registered', x), identity('contacts_merged', x, { otherExternalId: p })]),
    );
    const { view } = await loadBatchView(db, { externalIds: [p], identifiers: [] });
    expect(view.contacts.get(p)?.mergedInto).toBe(x);
    expect(view.contacts.get(x)?.identifiers).toEqual([{ kind: 'email', keyedHash: h }]);
    // A second merge of the same provisional contact (a racing replica that did not see the first).
    const y = randomUUID();
    const second = resolution([
      identity('contact_registered', y),
      identity('contacts_merged', y, { otherExternalId: p }),
    ]);
    await expect(commit(second, unseen)).rejects.toBeInstanceOf(IdentityConflictError);
    // Decided on the graph as it is, the merge does not apply to it.
    await expect(commit(second)).rejects.toBeInstanceOf(IdentityConflictError);
  });

  it('reassigns only from the owner the decision saw', async () => {
    const h = hash();
    const a = randomUUID();
    const b = randomUUID();
    await commit(
      resolution([
        identity('contact_registered', a),
        identity('identifier_linked', a, { identifier: email(h) }),
      ]),
    );
    await commit(resolution([identity('contact_registered', b)]));
    const wrongFrom = resolution([
      identity('identifier_reassigned', b, { identifier: email(h), otherExternalId: randomUUID() }),
    ]);
    await expect(commit(wrongFrom)).rejects.toBeInstanceOf(IdentityConflictError);
    await commit(
      resolution([identity('identifier_reassigned', b, { identifier: email(h), otherExternalId: a })]),
    );
    const { view } = await loadBatchView(db, {
      externalIds: [a],
      identifiers: [{ kind: 'email', keyedHash: h }],
    });
    expect(view.owners.get(`email:${h}`)).toBe(b);
    expect(view.contacts.get(a)?.identifiers).toEqual([]);
  });

  it('keeps the latest emitted preference per channel by occurredAt, unsubscribed winning ties', async () => {
    const x = randomUUID();
    const newer = preference(x, { newStatus: 'subscribed', occurredAt: AT + 10 });
    await commit(resolution([identity('contact_registered', x)], [newer]));
    await commit(resolution([], [preference(x, { occurredAt: AT })]));
    expect((await latestOf(x))?.map((p) => [p.eventId, p.newStatus])).toEqual([
      [newer.eventId, 'subscribed'],
    ]);
    const tie = preference(x, { newStatus: 'unsubscribed', occurredAt: AT + 10 });
    await commit(resolution([], [tie]));
    expect((await latestOf(x))?.map((p) => p.eventId)).toEqual([tie.eventId]);
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
    await commit(stored);
    // Read back, the events also carry the defaults of the fields the writer may omit (topic, evidence…).
    const read = async () => (await findResolutions(db, [stored.inboundEventId])).get(stored.inboundEventId);
    expect(await read()).toMatchObject({ ...stored, published: false });
    await markPublishedMany(db, [stored.inboundEventId]);
    expect((await read())?.published).toBe(true);
  });

  it('erases a contact: its identifiers are released, remembered as hashes, and it is never registered again', async () => {
    const h = hash();
    const x = randomUUID();
    await commit(
      resolution([
        identity('contact_registered', x),
        identity('identifier_linked', x, { identifier: email(h) }),
      ]),
    );
    await commit(resolution([identity('contact_erased', x)]));
    const after = await loadBatchView(db, {
      externalIds: [x],
      identifiers: [{ kind: 'email', keyedHash: h }],
    });
    expect(after.view.contacts.size).toBe(0);
    expect(after.erased).toEqual(new Set([x]));
    const remembered: { external_id: string }[] = await db.query(
      `SELECT external_id FROM identity.erased_identifiers WHERE kind = 'email' AND keyed_hash = $1`,
      [h],
    );
    expect(remembered).toEqual([{ external_id: x }]);
    await expect(commit(resolution([identity('contact_registered', x)]))).rejects.toBeInstanceOf(
      DataKeyDestroyedError,
    );
    // The released address may belong to someone new.
    const y = randomUUID();
    await commit(
      resolution([
        identity('contact_registered', y),
        identity('identifier_linked', y, { identifier: email(h) }),
      ]),
    );
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

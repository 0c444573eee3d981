import { randomBytes, randomUUID } from 'node:crypto';
import type { IdentityEvent } from '@optstream/contracts';
import { testDatabaseUrl } from '@optstream/testing';
import type { DataSource } from 'typeorm';
import {
  findResolutions,
  GraphModel,
  IdentityConflictError,
  loadBatchView,
  openIdentityDatabase,
  withLockedView,
  writeBatch,
  type Resolution,
} from '../src';

jest.setTimeout(60_000);

let db: DataSource;
beforeAll(async () => {
  db = await openIdentityDatabase(testDatabaseUrl(), 'identity-data-access-batch-test');
});
afterAll(async () => {
  await db?.destroy();
});

const AT = 1_767_225_600_000;
const hash = (): string => randomBytes(32).toString('base64url');
const event = (kind: IdentityEvent['kind'], externalId: string, extra: Partial<IdentityEvent> = {}) =>
  ({
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
  }) satisfies IdentityEvent;
const email = (keyedHash: string) => ({
  kind: 'email' as const,
  keyedHash,
  sealedValue: randomBytes(40),
  dataKeyId: 'dk-test',
});

/** What the resolver does for a batch: lock the view, apply strictly, write in one statement. */
const commit = (externalIds: string[], hashes: string[], resolutions: Resolution[]) =>
  withLockedView(
    db,
    { externalIds, identifiers: hashes.map((keyedHash) => ({ kind: 'email', keyedHash })) },
    async (q, readAt) => {
      const model = new GraphModel(readAt.view);
      for (const r of resolutions) for (const e of r.identityEvents) model.apply(e, 'strict');
      await writeBatch(q, model.writes(), resolutions);
    },
  );

describe('batch writes', () => {
  it('applies a batch whose later facts build on earlier ones: register, link, merge, move', async () => {
    const [p, x, y] = [randomUUID(), randomUUID(), randomUUID()];
    const [h1, h2] = [hash(), hash()];
    const batch: Resolution[] = [
      {
        inboundEventId: randomUUID(),
        identityEvents: [
          event('contact_registered', p, { provisional: true }),
          event('identifier_linked', p, { provisional: true, identifier: email(h1) }),
        ],
        preferenceEvents: [],
      },
      {
        inboundEventId: randomUUID(),
        identityEvents: [event('contact_registered', x), event('contacts_merged', x, { otherExternalId: p })],
        preferenceEvents: [],
      },
      {
        inboundEventId: randomUUID(),
        identityEvents: [
          event('contact_registered', y),
          event('identifier_linked', y, { identifier: email(h2) }),
          event('identifier_reassigned', y, { identifier: email(h1), otherExternalId: x }),
        ],
        preferenceEvents: [],
      },
    ];
    await commit([p, x, y], [h1, h2], batch);
    const { view } = await loadBatchView(db, { externalIds: [p, x, y], identifiers: [] });
    expect(view.contacts.get(p)?.mergedInto).toBe(x);
    expect(view.owners.get(`email:${h1}`)).toBe(y);
    expect(view.owners.get(`email:${h2}`)).toBe(y);
    expect([
      ...(
        await findResolutions(
          db,
          batch.map((r) => r.inboundEventId),
        )
      ).keys(),
    ]).toHaveLength(3);
  });

  it('keeps nothing of a batch that collides with a row taken meanwhile', async () => {
    const h = hash();
    const owner = randomUUID();
    await commit(
      [owner],
      [h],
      [
        {
          inboundEventId: randomUUID(),
          identityEvents: [
            event('contact_registered', owner),
            event('identifier_linked', owner, { identifier: email(h) }),
          ],
          preferenceEvents: [],
        },
      ],
    );
    // Decided on a view that did not see the owner (as a racing replica would have).
    const late = randomUUID();
    const losing: Resolution = {
      inboundEventId: randomUUID(),
      identityEvents: [
        event('contact_registered', late),
        event('identifier_linked', late, { identifier: email(h) }),
      ],
      preferenceEvents: [],
    };
    await expect(
      withLockedView(db, { externalIds: [late], identifiers: [] }, async (q, readAt) => {
        const model = new GraphModel(readAt.view);
        for (const e of losing.identityEvents) model.apply(e, 'strict');
        await writeBatch(q, model.writes(), [losing]);
      }),
    ).rejects.toBeInstanceOf(IdentityConflictError);
    expect((await findResolutions(db, [losing.inboundEventId])).size).toBe(0);
    const { view } = await loadBatchView(db, { externalIds: [late], identifiers: [] });
    expect(view.contacts.has(late)).toBe(false);
  });
});

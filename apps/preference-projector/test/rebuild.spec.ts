import { randomUUID } from 'node:crypto';
import type { IdentityEvent, MarketingPreferenceUpdated } from '@optstream/contracts';
import { activeVersion, dropVersion } from '@optstream/preferences-data-access';
import { waitFor } from '@optstream/testing';
import type { DataSource } from 'typeorm';
import { openProjectorDatabase } from '../src/projector-runtime';
import { rebuildProjection, type RebuildProgress } from '../src/rebuild/rebuild-projection';
import { at, preference, ProjectorHarness, snapshot } from './projector-harness';

jest.setTimeout(120_000);

/** A pseudo-random but reproducible mix: late older events, ties, duplicates, several channels. */
function workload(contacts: readonly string[]): MarketingPreferenceUpdated[] {
  const events: MarketingPreferenceUpdated[] = [];
  const channels = ['email', 'sms', 'push'] as const;
  contacts.forEach((id, c) => {
    for (let i = 0; i < 12; i += 1) {
      const channel = channels[(c + i) % 3] ?? 'email';
      const status = (c * 7 + i * 3) % 5 < 2 ? 'unsubscribed' : 'subscribed';
      events.push(preference(id, channel, status, (c * 13 + i * 7) % 9));
    }
    const first = events[events.length - 12];
    if (first) events.push(first);
  });
  return events;
}

describe('rebuild: replay from offset 0 into a new version, swap atomically, identical rows', () => {
  const h = new ProjectorHarness();
  let db: DataSource;
  const contacts = Array.from({ length: 25 }, () => randomUUID());

  beforeAll(async () => {
    await h.prepare();
    await h.start();
    db = await openProjectorDatabase(h.config, 'rebuild-test');
  });
  afterAll(async () => {
    await h.stop();
    await db.destroy();
  });

  it('builds the same rows as the live model, and the live projector continues in the new version', async () => {
    const identity: IdentityEvent[] = contacts.map((id, i) => ({
      eventId: randomUUID(),
      externalId: id,
      kind: 'identifier_linked',
      provisional: false,
      identifier: {
        kind: 'email',
        keyedHash: `hash-${i}-${id}`,
        sealedValue: Buffer.from('x'),
        dataKeyId: 'dk',
      },
      otherExternalId: null,
      occurredAt: at(i),
      recordedAt: at(i),
      causationId: randomUUID(),
    }));
    const events = workload(contacts);
    await h.publishIdentity(identity);
    await h.publishPreferences(events);
    const distinct = new Set(events.map((e) => e.eventId)).size;
    await waitFor(
      async () => {
        const rows: { n: string }[] = await db.query(
          `SELECT count(*) AS n FROM preferences.history h JOIN preferences.projections p
             ON p.projection = $1 AND h.projection_version = p.active_version`,
          [h.config.PROJECTION_NAME],
        );
        // The identity topic is consumed beside the preferences topic, not before it: wait for both.
        const linked: { n: string }[] = await db.query(
          `SELECT count(*) AS n FROM preferences.identifiers i JOIN preferences.projections p
             ON p.projection = $1 AND i.projection_version = p.active_version`,
          [h.config.PROJECTION_NAME],
        );
        return Number(rows[0]?.n) === distinct && Number(linked[0]?.n) === identity.length;
      },
      { description: `${distinct} history rows and ${identity.length} identifiers in the live model` },
    );
    const live = await activeVersion(db, h.config.PROJECTION_NAME);
    expect(live).not.toBeNull();

    const progress: RebuildProgress[] = [];
    const result = await rebuildProjection(h.config, db, (p) => progress.push(p));
    expect(result.previousVersion).toBe(live);
    expect(await activeVersion(db, h.config.PROJECTION_NAME)).toBe(result.version);
    expect(result.records).toBe(events.length + identity.length);
    expect(progress[progress.length - 1]).toMatchObject({ applied: result.records });

    const before = await snapshot(db, live ?? -1);
    const after = await snapshot(db, result.version);
    expect(after['history']).toHaveLength(distinct);
    expect(after['identifiers']).toHaveLength(contacts.length);
    expect(after).toEqual(before);

    // The live projector notices the swap in its next batch and carries on in the new version.
    const id = contacts[0] ?? '';
    await h.publishPreferences([preference(id, 'email', 'unsubscribed', 100)]);
    await waitFor(async () => {
      const body = (await (await h.get(`/v1/contacts/${id}`)).json()) as {
        channels: { email: { status: string } };
      };
      return body.channels.email.status === 'unsubscribed';
    });
    expect(h.projector.runtime.consumer?.version).toBe(result.version);
    await dropVersion(db, live ?? -1);
  });
});

import { randomUUID } from 'node:crypto';
import type { ContactInbound, IdentityEvent, MarketingPreferenceUpdated } from '@optstream/contracts';
import { openIdentityDatabase } from '@optstream/identity-data-access';
import { testDatabaseUrl, waitFor } from '@optstream/testing';
import type { KafkaMessage } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { startResolver, type RunningResolver } from '../src/resolver-runtime';
import { consent, emailOptOut, identify, uniqueEmail } from './facts';
import { ResolverHarness } from './resolver-harness';

jest.setTimeout(240_000);

const harness = new ResolverHarness({ ownTopics: true, partitions: 6 });
const others: RunningResolver[] = [];
let db: DataSource;

beforeAll(async () => {
  await harness.start();
  db = await openIdentityDatabase(testDatabaseUrl(), 'identity-resolver-rebalance-test', 2);
});
afterAll(async () => {
  for (const r of others) await r.stop().catch(() => undefined);
  await harness.stop();
  await db?.destroy();
});

/** Opt-outs from unknown emails, identifies that merge some of them, consent for identified people. */
const facts = (count: number): ContactInbound[] => {
  const out: ContactInbound[] = [];
  for (let i = 0; out.length < count; i += 1) {
    const email = uniqueEmail();
    const externalId = randomUUID();
    out.push(emailOptOut(email));
    if (i % 3 === 0) {
      out.push(identify(externalId, email));
      out.push(consent({ externalId }, 'sms', 'subscribed'));
    }
  }
  return out.slice(0, count);
};

const published = async (ids: readonly string[]): Promise<number> => {
  const rows: { n: string }[] = await db.query(
    `SELECT count(*)::text AS n FROM identity.resolutions
      WHERE inbound_event_id = ANY($1::text[]) AND published_at IS NOT NULL`,
    [ids],
  );
  return Number(rows[0]?.n);
};

/** Output eventId → every copy's bytes; a copy must equal the first one. */
const copiesById = (messages: readonly KafkaMessage[]): Map<string, Buffer[]> => {
  const byId = new Map<string, Buffer[]>();
  for (const m of messages) {
    const id = m.headers?.['optstream-event-id']?.toString() ?? '';
    byId.set(id, [...(byId.get(id) ?? []), m.value ?? Buffer.alloc(0)]);
  }
  return byId;
};

it('a replica leaving and another joining mid-stream lose nothing and duplicate nothing', async () => {
  const second = await startResolver(harness.config);
  others.push(second);
  const first = facts(600);
  const later = facts(400);
  const all = [...first, ...later];
  const ids = [...new Set(all.map((f) => f.eventId))];
  await harness.send(...first);
  // Mid-stream: some outputs are out, most facts are not resolved yet.
  await waitFor(async () => (await published(ids)) >= 50, { description: 'the stream under way' });
  await second.stop();
  const third = await startResolver(harness.config);
  others.push(third);
  await harness.send(...later);
  await waitFor(async () => (await published(ids)) === ids.length, {
    timeoutMs: 180_000,
    description: 'every inbound fact resolved and published',
  });
  // Published means acknowledged by Kafka; the tails may still be fetching it: read them to the end.
  await harness.identity.readToEnd();
  await harness.preferences.readToEnd();

  const identityCopies = copiesById(harness.identity.messages);
  const preferenceCopies = copiesById(harness.preferences.messages);
  // Nothing duplicated: an output published twice (a redelivered batch) is byte-for-byte the same.
  for (const copies of [...identityCopies.values(), ...preferenceCopies.values()]) {
    for (const copy of copies) expect(copy.equals(copies[0] ?? Buffer.alloc(0))).toBe(true);
  }
  // Nothing lost: every consent fact has exactly one preference event of its own, every identity
  // event caused by these facts is in the log once (by id), and the log agrees with the outbox.
  const prefs = await harness.decodeAll<MarketingPreferenceUpdated>(
    [...preferenceCopies.values()].map((c) => ({ value: c[0] ?? null }) as KafkaMessage),
  );
  const ownPrefs = prefs.filter((p) => ids.includes(p.causationId));
  expect(new Set(ownPrefs.map((p) => p.causationId))).toEqual(
    new Set(all.filter((f) => f.kind === 'preference_change').map((f) => f.eventId)),
  );
  const identity = await harness.decodeAll<IdentityEvent>(
    [...identityCopies.values()].map((c) => ({ value: c[0] ?? null }) as KafkaMessage),
  );
  const stored: { n: string }[] = await db.query(
    `SELECT coalesce(sum(cardinality(identity_events)), 0)::text AS n FROM identity.resolutions
      WHERE inbound_event_id = ANY($1::text[])`,
    [ids],
  );
  expect(identity.filter((e) => ids.includes(e.causationId))).toHaveLength(Number(stored[0]?.n));
  expect(await harness.factCount('rejected')).toBe(0);
  expect(harness.deadLetters.messages).toHaveLength(0);
});

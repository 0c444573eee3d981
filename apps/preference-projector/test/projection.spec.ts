import { randomUUID } from 'node:crypto';
import type { DeadLetter, IdentityEvent } from '@optstream/contracts';
import {
  applyIdentityBatch,
  applyPreferenceBatch,
  ensureActiveVersion,
  loadStates,
  type ProjectionTarget,
} from '@optstream/preferences-data-access';
import { tailTopic, waitFor } from '@optstream/testing';
import { StatePublisher } from '../src/projection/state-publisher';
import { at, preference, ProjectorHarness } from './projector-harness';

jest.setTimeout(90_000);

const statusOf = (state: { channels: readonly { channel: string; status: string }[] }, channel: string) =>
  state.channels.find((c) => c.channel === channel)?.status;

describe('preference-projector: latest change wins, per contact and channel, against the real stack', () => {
  const h = new ProjectorHarness();
  beforeAll(async () => {
    await h.prepare();
    await h.start();
  });
  afterAll(() => h.stop());

  /** The running projector's database, active version and a state publisher, for driving steps by hand. */
  const directly = async ({ useOutbox }: { useOutbox: boolean }) => {
    const { db, publisher, metrics, config } = h.projector.runtime;
    const version = await ensureActiveVersion(db, config.PROJECTION_NAME);
    const target: ProjectionTarget = {
      projection: config.PROJECTION_NAME,
      version,
      fenceActiveVersion: false,
      useOutbox,
    };
    return {
      db,
      config,
      version,
      target,
      states: new StatePublisher(publisher, db, config.STATE_TOPIC, metrics),
    };
  };

  it('a newer change wins; a late older one enters the history only and publishes nothing', async () => {
    const id = randomUUID();
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await h.publishPreferences([preference(id, 'email', 'subscribed', 20)], traceparent);
    expect((await h.waitForStates(id, 1)).map((s) => statusOf(s, 'email'))).toEqual(['subscribed']);
    // The state message continues the trace of the preference event that caused it.
    expect(h.traceparentsOf(id)).toEqual([traceparent]);

    await h.publishPreferences([preference(id, 'email', 'unsubscribed', 10)]);
    await h.waitForHistory(id, 2);
    // Barrier: an effective change on another channel of the same contact (same partition, later offset).
    await h.publishPreferences([preference(id, 'sms', 'unsubscribed', 30)]);
    const states = await h.waitForStates(id, 2);
    expect(states).toHaveLength(2);
    expect(statusOf(states[1]!, 'email')).toBe('subscribed');
    expect(statusOf(states[1]!, 'sms')).toBe('unsubscribed');

    const history = (await (await h.get(`/v1/contacts/${id}/history`)).json()) as {
      events: { status: string; channel: string; effect: string }[];
    };
    expect(history.events.map((e) => [e.channel, e.status, e.effect])).toEqual([
      ['email', 'unsubscribed', 'older'],
      ['email', 'subscribed', 'changed'],
      ['sms', 'unsubscribed', 'changed'],
    ]);
  });

  it('an erasure and a state in flight never cross: the state held back by the erasure is dropped, the tombstone is last', async () => {
    const id = randomUUID();
    await h.publishPreferences([preference(id, 'email', 'subscribed', 1)]);
    await h.waitForStates(id, 1);
    const { db, config, version, target, states } = await directly({ useOutbox: false });
    const current = (await db.transaction((tx) => loadStates(tx, version, [id]))).get(id);
    expect(current).toBeDefined();

    // The erasure stops inside its transaction, holding the contact's state lock, before its tombstone.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let holding = false;
    const erased: IdentityEvent = {
      eventId: randomUUID(),
      externalId: id,
      kind: 'contact_erased',
      provisional: false,
      identifier: null,
      otherExternalId: null,
      occurredAt: at(2),
      recordedAt: at(2),
      causationId: randomUUID(),
    };
    const erasure = applyIdentityBatch(
      db,
      target,
      {
        topic: `${config.IDENTITY_TOPIC}.race`,
        partition: 0,
        events: [{ offset: '0', value: erased }],
        lastOffset: '0',
      },
      {
        onErased: async (ids) => {
          holding = true;
          await gate;
          await states.tombstone(ids);
        },
      },
    );
    await waitFor(() => holding, { description: 'the erasure holds the state lock' });
    // A state of the same contact, resolved before the erasure, is sent now: it must wait for the lock.
    const sending = states.publish(target, [{ state: current!, causationId: randomUUID() }]);
    await waitFor(
      async () => {
        const rows: { waiting: string }[] = await db.query(
          `SELECT count(*) AS waiting FROM pg_locks l
            WHERE l.locktype = 'advisory' AND NOT l.granted AND l.objsubid = 1
              AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended($1, 0)`,
          [`optstream.state:${id}`],
        );
        return Number(rows[0]?.waiting) > 0;
      },
      { description: 'the state publisher waits for the erasure' },
    );
    release();
    await erasure;
    // It then finds the contact erased and sends nothing: the tombstone stays the key's last message.
    expect(await sending).toBe(0);
    await h.states.until((m) => m.key?.toString() === id && m.value === null, 1);
    const mine = h.states.messages.filter((m) => m.key?.toString() === id);
    expect(mine.map((m) => (m.value === null ? 'tombstone' : 'state'))).toEqual(['state', 'tombstone']);
  });

  it('a state left in the outbox by a crash is published by the next owner, in the trace of its cause', async () => {
    const id = randomUUID();
    const { db, config, target, states } = await directly({ useOutbox: true });
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const topic = `${config.PREFERENCES_TOPIC}.crashed`;
    // Applied and committed with its outbox entry; the process then "dies" before publishing.
    const outcome = await applyPreferenceBatch(db, target, {
      topic,
      partition: 0,
      events: [{ offset: '0', value: preference(id, 'sms', 'unsubscribed', 3), traceparent }],
      lastOffset: '0',
    });
    expect(outcome.changed).toHaveLength(1);
    expect(await states.flushPending(target, topic, 0)).toBe(1);
    await h.waitForStates(id, 1);
    expect(h.traceparentsOf(id)).toEqual([traceparent]);
    expect(await states.flushPending(target, topic, 0)).toBe(0); // published once, outbox cleared
  });

  it('an exact tie goes to unsubscribed, whatever the arrival order', async () => {
    const id = randomUUID();
    await h.publishPreferences([
      preference(id, 'push', 'unsubscribed', 5),
      preference(id, 'push', 'subscribed', 5),
    ]);
    await h.waitForHistory(id, 2);
    await h.publishPreferences([preference(id, 'email', 'subscribed', 6)]);
    const states = await h.waitForStates(id, 2);
    // The subscribe that lost the tie changed nothing; whether the two arrived in one batch or two,
    // no state ever showed push subscribed.
    expect(states.map((s) => statusOf(s, 'push'))).toEqual(['unsubscribed', 'unsubscribed']);
    expect(states[states.length - 1]?.version).toBe(3);
  });

  it('the same eventId twice is one history row and one state message', async () => {
    const id = randomUUID();
    const event = preference(id, 'email', 'unsubscribed', 1);
    await h.publishPreferences([event]);
    await h.publishPreferences([event]);
    await h.publishPreferences([preference(id, 'sms', 'subscribed', 2)]);
    const states = await h.waitForStates(id, 2);
    expect(await h.historyCount(id)).toBe(2);
    expect(states.map((s) => s.causationId)).toEqual([event.eventId, expect.any(String)]);
    expect(states.map((s) => s.version)).toEqual([1, 2]);
  });

  it('an undecodable record goes to the dead-letter topic with its bytes; the contact keeps flowing', async () => {
    const id = randomUUID();
    const dlq = await tailTopic(h.config.KAFKA_BROKERS, h.config.DEAD_LETTER_TOPIC);
    try {
      const garbage = Buffer.from('{"not":"avro"}');
      await h.publishRaw(id, garbage);
      await h.publishPreferences([preference(id, 'email', 'unsubscribed', 1)]);
      await h.waitForStates(id, 1);
      const [message] = await dlq.until((m) => m.key?.toString() === id);
      const letter = await h.codec.decode<DeadLetter>(message?.value ?? null);
      expect(letter).toMatchObject({
        service: 'preference-projector',
        originalTopic: h.config.PREFERENCES_TOPIC,
        originalValue: garbage,
        errorCode: 'DECODE_FAILED',
      });
    } finally {
      await dlq.stop();
    }
  });

  it('a restart resumes from the offsets stored in Postgres: nothing re-applied, nothing republished', async () => {
    const id = randomUUID();
    await h.publishPreferences([preference(id, 'email', 'subscribed', 1)]);
    await h.waitForStates(id, 1);
    await h.publishPreferences([preference(id, 'sms', 'subscribed', 2)]);
    await h.waitForStates(id, 2);
    const before = await (await h.get(`/v1/contacts/${id}`)).json();
    await h.stopProjector();

    // Written while the projector is down: one effective change and one older event.
    await h.publishPreferences([
      preference(id, 'email', 'unsubscribed', 3),
      preference(id, 'sms', 'unsubscribed', 0),
    ]);
    await h.start();
    await h.waitForHistory(id, 4);
    const states = await h.waitForStates(id, 3);
    expect(states.map((s) => statusOf(s, 'email'))).toEqual(['subscribed', 'subscribed', 'unsubscribed']);
    expect(await h.historyCount(id)).toBe(4);

    const metrics = await (await h.get('/metrics', null)).text();
    // The new instance saw no record below the checkpoint: it started AT the stored offsets.
    expect(metrics).not.toMatch(/projector_events_total\{[^}]*outcome="already_applied"[^}]*\} [1-9]/);
    const after = (await (await h.get(`/v1/contacts/${id}`)).json()) as {
      channels: { sms: { status: string } };
    };
    expect(after.channels.sms.status).toBe('subscribed');
    expect(before).toMatchObject({ channels: { sms: { status: 'subscribed' } } });

    // A barrier again: nothing else for this contact was published after the restart.
    await h.publishPreferences([preference(id, 'push', 'subscribed', 4)]);
    expect(await h.waitForStates(id, 4)).toHaveLength(4);
    expect(at(4)).toBeGreaterThan(at(3));
  });
});

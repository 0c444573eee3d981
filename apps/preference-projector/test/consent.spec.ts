import { randomUUID } from 'node:crypto';
import { preference, ProjectorHarness } from './projector-harness';

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
});

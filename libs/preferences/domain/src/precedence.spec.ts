import type { Evidence, MarketingPreferenceUpdated } from '@optstream/contracts';
import { foldEvents } from './fold';
import { effectiveTopicStatus, orderingTime } from './precedence';
import { toStateMessage } from './state-message';
import { preferenceEvent } from './testing/events';

/** The truth table of docs/consent-model.md ("Precedence"), one row per case. */

const explicit: Evidence = { strength: 'explicit', kind: 'unsubscribe_link', trust: 'server' };
const snapshot: Evidence = { strength: 'snapshot', kind: 'identify_traits', trust: 'server' };
const client: Evidence = { strength: 'explicit', kind: 'api_call', trust: 'client' };

let seq = 0;
const ev = (o: Partial<MarketingPreferenceUpdated>): MarketingPreferenceUpdated =>
  preferenceEvent({ eventId: `e${String(++seq).padStart(3, '0')}`, evidence: explicit, ...o });

/** The email channel of the state message after folding `events` in order. */
const emailAfter = (events: readonly MarketingPreferenceUpdated[]) => {
  const { state } = foldEvents(events);
  if (state === null) throw new Error('no state');
  return toStateMessage(state, 0, 'c').channels.find((c) => c.channel === 'email');
};

const T = Date.UTC(2026, 11, 4, 10, 26, 7);

interface Row {
  readonly name: string;
  readonly events: readonly MarketingPreferenceUpdated[];
  readonly channel: string;
  readonly topics: readonly (readonly [string, string, string])[];
}

const rows: Row[] = [
  {
    name: '1. global unsubscribe, later group resubscribe: channel stays unsubscribed, topic recorded',
    events: [
      ev({ newStatus: 'unsubscribed', occurredAt: 10 }),
      ev({
        newStatus: 'subscribed',
        occurredAt: 20,
        topic: 'newsletter',
        evidence: { ...explicit, kind: 'group_resubscribe' },
      }),
    ],
    channel: 'unsubscribed',
    topics: [['newsletter', 'subscribed', 'unsubscribed']],
  },
  {
    name: '1b. spam report, later group resubscribe: the same',
    events: [
      ev({ newStatus: 'unsubscribed', occurredAt: 10, evidence: { ...explicit, kind: 'spam_report' } }),
      ev({ newStatus: 'subscribed', occurredAt: 20, topic: 'newsletter' }),
    ],
    channel: 'unsubscribed',
    topics: [['newsletter', 'subscribed', 'unsubscribed']],
  },
  {
    name: '1c. only a channel-wide opt-in lifts a channel-wide opt-out',
    events: [
      ev({ newStatus: 'unsubscribed', occurredAt: 10 }),
      ev({ newStatus: 'subscribed', occurredAt: 20, topic: 'newsletter' }),
      ev({ newStatus: 'subscribed', occurredAt: 30 }),
    ],
    channel: 'subscribed',
    topics: [['newsletter', 'subscribed', 'subscribed']],
  },
  {
    name: '2. group unsubscribe is about that topic only',
    events: [
      ev({ newStatus: 'subscribed', occurredAt: 10 }),
      ev({ newStatus: 'unsubscribed', occurredAt: 20, topic: 'newsletter' }),
    ],
    channel: 'subscribed',
    topics: [['newsletter', 'unsubscribed', 'unsubscribed']],
  },
  {
    name: '2b. a topic choice alone leaves the channel without a channel-wide choice',
    events: [ev({ newStatus: 'unsubscribed', occurredAt: 20, topic: 'newsletter' })],
    channel: 'unknown',
    topics: [['newsletter', 'unsubscribed', 'unsubscribed']],
  },
  {
    name: '3. newer identify traits (snapshot) do not reverse an explicit opt-out',
    events: [
      ev({ newStatus: 'unsubscribed', occurredAt: 10 }),
      ev({ newStatus: 'subscribed', occurredAt: 20, evidence: snapshot }),
    ],
    channel: 'unsubscribed',
    topics: [],
  },
  {
    name: '3b. ... whatever the arrival order',
    events: [
      ev({ newStatus: 'subscribed', occurredAt: 20, evidence: snapshot }),
      ev({ newStatus: 'unsubscribed', occurredAt: 10 }),
    ],
    channel: 'unsubscribed',
    topics: [],
  },
  {
    name: '3c. a snapshot may set a state nobody chose explicitly',
    events: [ev({ newStatus: 'subscribed', occurredAt: 20, evidence: snapshot })],
    channel: 'subscribed',
    topics: [],
  },
  {
    name: '3d. a snapshot may opt out over an explicit opt-in',
    events: [
      ev({ newStatus: 'subscribed', occurredAt: 10 }),
      ev({ newStatus: 'unsubscribed', occurredAt: 20, evidence: snapshot }),
    ],
    channel: 'unsubscribed',
    topics: [],
  },
  {
    name: '3e. a later explicit opt-in lifts the opt-out, then snapshots count again',
    events: [
      ev({ newStatus: 'unsubscribed', occurredAt: 10 }),
      ev({ newStatus: 'subscribed', occurredAt: 30 }),
      ev({ newStatus: 'unsubscribed', occurredAt: 40, evidence: snapshot }),
    ],
    channel: 'unsubscribed',
    topics: [],
  },
  {
    name: '5. a client-side (public write key) source may opt out ...',
    events: [
      ev({ newStatus: 'subscribed', occurredAt: 10 }),
      ev({ newStatus: 'unsubscribed', occurredAt: 20, evidence: client }),
    ],
    channel: 'unsubscribed',
    topics: [],
  },
  {
    name: '5b. ... but never opt in',
    events: [
      ev({ newStatus: 'unsubscribed', occurredAt: 10 }),
      ev({ newStatus: 'subscribed', occurredAt: 20, evidence: client }),
    ],
    channel: 'unsubscribed',
    topics: [],
  },
  {
    name: '7. identify at .266 ms, SendGrid unsubscribe stamped to the same whole second: the opt-out wins',
    events: [
      ev({ newStatus: 'subscribed', occurredAt: T + 266, evidence: snapshot }),
      ev({ newStatus: 'unsubscribed', occurredAt: T, occurredAtPrecision: 'second' }),
    ],
    channel: 'unsubscribed',
    topics: [],
  },
  {
    name: '7b. an opt-in stamped to the second loses to a millisecond opt-out inside that second',
    events: [
      ev({ newStatus: 'unsubscribed', occurredAt: T + 266 }),
      ev({ newStatus: 'subscribed', occurredAt: T, occurredAtPrecision: 'second' }),
    ],
    channel: 'unsubscribed',
    topics: [],
  },
  {
    name: '7c. in different seconds the later change wins as before',
    events: [
      ev({ newStatus: 'unsubscribed', occurredAt: T - 1_000, occurredAtPrecision: 'second' }),
      ev({ newStatus: 'subscribed', occurredAt: T + 1 }),
    ],
    channel: 'subscribed',
    topics: [],
  },
  {
    name: 'pending: a double opt-in request is not consent, its confirmation is',
    events: [
      ev({ newStatus: 'unsubscribed', occurredAt: 10 }),
      ev({
        newStatus: 'pending',
        occurredAt: 20,
        pendingExpiresAt: 1_000,
        evidence: { ...explicit, kind: 'signup_form' },
      }),
    ],
    channel: 'pending',
    topics: [],
  },
  {
    name: 'pending confirmed',
    events: [
      ev({ newStatus: 'pending', occurredAt: 20, pendingExpiresAt: 1_000 }),
      ev({
        newStatus: 'subscribed',
        occurredAt: 30,
        evidence: { ...explicit, kind: 'double_opt_in_confirmation' },
      }),
    ],
    channel: 'subscribed',
    topics: [],
  },
  {
    name: 'a subscribed topic of a pending channel is pending',
    events: [
      ev({ newStatus: 'pending', occurredAt: 20 }),
      ev({ newStatus: 'subscribed', occurredAt: 10, topic: 'promotions' }),
    ],
    channel: 'pending',
    topics: [['promotions', 'subscribed', 'pending']],
  },
];

describe('precedence truth table', () => {
  it.each(rows)('$name', ({ events, channel, topics }) => {
    const email = emailAfter(events);
    expect(email?.status).toBe(channel);
    expect(email?.topics?.map((t) => [t.topic, t.status, t.effectiveStatus])).toEqual(topics);
  });

  it('refused and older changes stay in the history; only effective changes publish', () => {
    const optOut = ev({ newStatus: 'unsubscribed', occurredAt: 10 });
    const { state } = foldEvents([optOut]);
    const clientOptIn = foldEvents(
      [ev({ newStatus: 'subscribed', occurredAt: 20, evidence: client })],
      state,
    );
    expect(clientOptIn.state?.channels.email?.eventId).toBe(optOut.eventId);
    expect(clientOptIn.state?.version).toBe(2);
  });
});

describe('orderingTime', () => {
  it('millisecond times are unchanged (events written before precision existed decide as before)', () => {
    expect(
      orderingTime({
        occurredAt: T + 266,
        status: 'unsubscribed',
        eventId: 'a',
        precision: 'millisecond',
        strength: 'explicit',
      }),
    ).toBe(T + 266);
  });

  it('a coarse opt-out counts from the end of its tick, a coarse opt-in from its start', () => {
    const at = { occurredAt: T + 500, eventId: 'a', precision: 'second', strength: 'explicit' } as const;
    expect(orderingTime({ ...at, status: 'unsubscribed' })).toBe(T + 999);
    expect(orderingTime({ ...at, status: 'subscribed' })).toBe(T);
    expect(orderingTime({ ...at, status: 'pending', precision: 'day' })).toBe(Date.UTC(2026, 11, 4));
  });
});

describe('effectiveTopicStatus', () => {
  it.each([
    [undefined, 'subscribed', 'subscribed'],
    ['subscribed', 'unsubscribed', 'unsubscribed'],
    ['unsubscribed', 'subscribed', 'unsubscribed'],
    ['unsubscribed', 'pending', 'unsubscribed'],
    ['pending', 'subscribed', 'pending'],
    ['pending', 'unsubscribed', 'unsubscribed'],
  ] as const)('channel %s, topic %s → %s', (channel, topic, effective) => {
    expect(effectiveTopicStatus(channel, topic)).toBe(effective);
  });
});

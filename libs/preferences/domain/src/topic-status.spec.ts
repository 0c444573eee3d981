import { foldEvents } from './fold';
import { preferenceEvent as ev } from './testing/events';
import { topicStatusOf } from './topic-status';

const emailConsent = (...events: Parameters<typeof ev>[0][]) =>
  foldEvents(events.map((e) => ev({ channel: 'email', ...e }))).state?.consent.email;

describe('topicStatusOf', () => {
  it('a topic without a choice follows the channel; nothing on record is undefined', () => {
    expect(topicStatusOf(undefined, 'newsletter')).toBeUndefined();
    expect(
      topicStatusOf(emailConsent({ eventId: 'a', newStatus: 'subscribed', occurredAt: 1 }), 'newsletter'),
    ).toBe('subscribed');
    expect(
      topicStatusOf(
        emailConsent({ eventId: 'a', newStatus: 'subscribed', occurredAt: 1, topic: 'promotions' }),
        'newsletter',
      ),
    ).toBeUndefined();
  });

  it("a topic's own choice counts while the channel is not opted out", () => {
    const consent = emailConsent(
      { eventId: 'a', newStatus: 'subscribed', occurredAt: 1 },
      { eventId: 'b', newStatus: 'unsubscribed', occurredAt: 2, topic: 'newsletter' },
    );
    expect(topicStatusOf(consent, 'newsletter')).toBe('unsubscribed');
    expect(topicStatusOf(consent, 'promotions')).toBe('subscribed');
  });

  it('a channel-wide opt-out beats a later topic resubscribe (docs/consent-model.md, case 1)', () => {
    const consent = emailConsent(
      { eventId: 'a', newStatus: 'unsubscribed', occurredAt: 1 },
      { eventId: 'b', newStatus: 'subscribed', occurredAt: 2, topic: 'newsletter' },
    );
    expect(topicStatusOf(consent, 'newsletter')).toBe('unsubscribed');
  });

  it('a subscribed topic of a pending channel is pending', () => {
    const consent = emailConsent(
      { eventId: 'a', newStatus: 'pending', occurredAt: 1 },
      { eventId: 'b', newStatus: 'subscribed', occurredAt: 2, topic: 'promotions' },
    );
    expect(topicStatusOf(consent, 'promotions')).toBe('pending');
  });
});

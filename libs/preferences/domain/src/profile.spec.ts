import { foldEvents } from './fold';
import { profileTraits } from './profile';
import { preferenceEvent as ev } from './testing/events';

const at = (iso: string): number => Date.parse(iso);

describe('profileTraits', () => {
  it('no state: every trait is null (no choice on record, not an opt-out)', () => {
    expect(profileTraits(null)).toEqual({
      email_subscribed_status: null,
      sms_subscribed_status: null,
      push_notification_enabled: null,
      sms_opt_in_date: null,
    });
  });

  it('maps each channel; sms_opt_in_date is the winning subscribe in ISO 8601', () => {
    const { state } = foldEvents([
      ev({
        eventId: '1',
        channel: 'email',
        newStatus: 'unsubscribed',
        occurredAt: at('2024-03-01T09:00:00Z'),
      }),
      ev({
        eventId: '2',
        channel: 'sms',
        newStatus: 'subscribed',
        occurredAt: at('2024-03-01T10:00:00.123Z'),
      }),
      ev({ eventId: '3', channel: 'push', newStatus: 'subscribed', occurredAt: at('2024-03-02T00:00:00Z') }),
    ]);
    expect(profileTraits(state)).toEqual({
      email_subscribed_status: 'unsubscribed',
      sms_subscribed_status: 'subscribed',
      push_notification_enabled: true,
      sms_opt_in_date: '2024-03-01T10:00:00.123Z',
    });
  });

  it('a later re-subscribe moves sms_opt_in_date forward', () => {
    const { state } = foldEvents([
      ev({ eventId: '1', channel: 'sms', newStatus: 'subscribed', occurredAt: at('2024-01-01T00:00:00Z') }),
      ev({ eventId: '2', channel: 'sms', newStatus: 'unsubscribed', occurredAt: at('2024-02-01T00:00:00Z') }),
      ev({ eventId: '3', channel: 'sms', newStatus: 'subscribed', occurredAt: at('2024-03-01T00:00:00Z') }),
    ]);
    expect(profileTraits(state).sms_opt_in_date).toBe('2024-03-01T00:00:00.000Z');
  });

  it('after SMS STOP there is no opt-in date, and push off reads as false', () => {
    const { state } = foldEvents([
      ev({ eventId: '1', channel: 'sms', newStatus: 'subscribed', occurredAt: 1 }),
      ev({
        eventId: '2',
        channel: 'sms',
        newStatus: 'unsubscribed',
        occurredAt: 2,
        sourceOfChange: 'SMS STOP Reply',
      }),
      ev({ eventId: '3', channel: 'push', newStatus: 'unsubscribed', occurredAt: 2 }),
    ]);
    expect(profileTraits(state)).toEqual({
      email_subscribed_status: null,
      sms_subscribed_status: 'unsubscribed',
      push_notification_enabled: false,
      sms_opt_in_date: null,
    });
  });
});

import { foldEvents } from './fold';
import { toStateMessage } from './state-message';
import { preferenceEvent as ev } from './testing/events';

describe('toStateMessage', () => {
  it('lists known channels in the fixed order, with the winners, the version and the given time', () => {
    const { state } = foldEvents([
      ev({
        eventId: 'p',
        channel: 'push',
        newStatus: 'unsubscribed',
        occurredAt: 3,
        sourceOfChange: 'Mobile App Settings',
      }),
      ev({ eventId: 'e', channel: 'email', newStatus: 'subscribed', occurredAt: 1 }),
      ev({ eventId: 'x', channel: 'unknown', occurredAt: 2 }), // rejected, so never listed
    ]);
    if (state === null) throw new Error('expected a state');

    expect(toStateMessage(state, 99_000, 'e')).toEqual({
      externalId: 'contact-1',
      channels: [
        {
          channel: 'email',
          status: 'subscribed',
          occurredAt: 1,
          eventId: 'e',
          sourceOfChange: 'Signup Form',
          pendingExpiresAt: null,
          topics: [],
        },
        {
          channel: 'push',
          status: 'unsubscribed',
          occurredAt: 3,
          eventId: 'p',
          sourceOfChange: 'Mobile App Settings',
          pendingExpiresAt: null,
          topics: [],
        },
      ],
      version: 2,
      updatedAt: 99_000,
      causationId: 'e',
    });
  });

  it('equal states give equal messages whatever the order the channels were first seen in', () => {
    const a = foldEvents([
      ev({ eventId: '1', channel: 'sms' }),
      ev({ eventId: '2', channel: 'email' }),
    ]).state;
    const b = foldEvents([
      ev({ eventId: '2', channel: 'email' }),
      ev({ eventId: '1', channel: 'sms' }),
    ]).state;
    if (a === null || b === null) throw new Error('expected states');
    expect(JSON.stringify(toStateMessage(a, 0, 'c'))).toBe(JSON.stringify(toStateMessage(b, 0, 'c')));
  });
});

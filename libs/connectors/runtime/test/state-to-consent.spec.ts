import type { ChannelPreference } from '@optstream/contracts';
import { consentFromState } from '../src';

const channel = (overrides: Partial<ChannelPreference> & Pick<ChannelPreference, 'channel' | 'status'>) => ({
  occurredAt: 1,
  eventId: 'e',
  sourceOfChange: 'Test',
  ...overrides,
});
const topic = (name: string, status: string, effectiveStatus: string) =>
  ({
    topic: name,
    status,
    effectiveStatus,
    occurredAt: 1,
    eventId: 't',
    sourceOfChange: 'Test',
  }) as NonNullable<ChannelPreference['topics']>[number];

describe('consentFromState', () => {
  it('carries topics per channel with own and effective status; pending and unknown are not consent', () => {
    const consent = consentFromState({
      externalId: 'x',
      version: 3,
      updatedAt: 1,
      causationId: 'c',
      channels: [
        channel({
          channel: 'email',
          status: 'unsubscribed',
          topics: [topic('newsletter', 'subscribed', 'unsubscribed')],
        }),
        channel({
          channel: 'sms',
          status: 'pending',
          eventId: 'sms-request',
          pendingExpiresAt: 5_000,
          topics: [
            topic('promotions', 'subscribed', 'pending'),
            topic('alerts', 'unsubscribed', 'unsubscribed'),
          ],
        }),
        channel({ channel: 'push', status: 'unknown' }),
      ],
    });
    expect(consent.channels).toEqual({ email: 'unsubscribed' });
    expect(consent.topics).toEqual({
      email: [{ topic: 'newsletter', status: 'subscribed', effective: 'unsubscribed' }],
      sms: [{ topic: 'alerts', status: 'unsubscribed', effective: 'unsubscribed' }],
    });
    // The pending channel is named apart, for the double opt-in confirmation mail.
    expect(consent.pending).toEqual({ sms: { eventId: 'sms-request', expiresAt: 5_000 } });
  });

  it('a state written before topics existed has no topics at all (its fingerprints stay the same)', () => {
    const consent = consentFromState({
      externalId: 'y',
      version: 1,
      updatedAt: 1,
      causationId: 'c',
      channels: [channel({ channel: 'email', status: 'subscribed' })],
    });
    expect(consent).toEqual({
      externalId: 'y',
      version: 1,
      channels: { email: 'subscribed' },
      causationId: 'c',
    });
  });
});

import type { MarketingPreferenceUpdated } from '@optstream/contracts';
import { CHANNEL_ORDER } from './channels';
import type { ContactState } from './contact-state';
import { foldEvents } from './fold';
import { absorbReemitted } from './merge';
import { preferenceEvent } from './testing/events';

const survivorEvent = (o: Partial<MarketingPreferenceUpdated>) =>
  preferenceEvent({ externalId: 'survivor', ...o });
const provisionalEvent = (o: Partial<MarketingPreferenceUpdated>) =>
  preferenceEvent({ externalId: 'prov', ...o });

/**
 * What the identity resolver publishes after `contacts_merged` (identity-domain `ReemitPreferences`):
 * the provisional contact's current winner per channel, re-keyed to the survivor, with an id derived
 * from (merge event, channel) and the ORIGINAL occurredAt.
 */
const reemit = (provisional: ContactState, mergeEventId: string): MarketingPreferenceUpdated[] =>
  CHANNEL_ORDER.flatMap((channel) => {
    const entry = provisional.channels[channel];
    if (entry === undefined) return [];
    return [
      preferenceEvent({
        eventId: `${mergeEventId}:reemit:${channel}`,
        externalId: 'survivor',
        channel,
        newStatus: entry.status,
        sourceOfChange: entry.sourceOfChange,
        source: { system: entry.sourceSystem, providerEventRef: entry.providerEventRef },
        occurredAt: entry.occurredAt,
        recordedAt: 10_000,
        causationId: mergeEventId,
      }),
    ];
  });

const survivorHistory = [
  survivorEvent({ eventId: 's-sms', channel: 'sms', newStatus: 'subscribed', occurredAt: 100 }),
  survivorEvent({ eventId: 's-email', channel: 'email', newStatus: 'subscribed', occurredAt: 100 }),
];
const survivor = foldEvents(survivorHistory).state;
const provisional = foldEvents([
  // STOP texted from an unknown number BEFORE the person re-subscribed on their known profile
  provisionalEvent({ eventId: 'p-sms', channel: 'sms', newStatus: 'unsubscribed', occurredAt: 50 }),
  // unsubscribe link clicked AFTER the survivor's last email choice
  provisionalEvent({ eventId: 'p-email', channel: 'email', newStatus: 'unsubscribed', occurredAt: 200 }),
  // a channel the survivor never had
  provisionalEvent({ eventId: 'p-push', channel: 'push', newStatus: 'unsubscribed', occurredAt: 10 }),
]).state as ContactState;

describe('absorbReemitted (provisional contact merged into a survivor)', () => {
  it('newer survivor state keeps winning, a newer provisional opt-out takes over, new channels arrive', () => {
    const { state, rejected } = absorbReemitted(survivor, reemit(provisional, 'm1'));
    expect(rejected).toEqual([]);
    expect(state?.channels).toMatchObject({
      sms: { status: 'subscribed', eventId: 's-sms' },
      email: { status: 'unsubscribed', eventId: 'm1:reemit:email', occurredAt: 200 },
      push: { status: 'unsubscribed', eventId: 'm1:reemit:push' },
    });
  });

  it('equals folding both histories together, in any order: nothing merge-specific is needed', () => {
    const union = [...reemit(provisional, 'm1'), ...survivorHistory].reverse();
    expect(absorbReemitted(survivor, reemit(provisional, 'm1')).state).toEqual(foldEvents(union).state);
  });

  it('a replayed merge re-emits the same ids, which are duplicates the second time', () => {
    const events = reemit(provisional, 'm1');
    const history = new Set([...survivorHistory, ...events].map((e) => e.eventId));
    const once = absorbReemitted(survivor, events).state;
    expect(absorbReemitted(once, events, (id) => history.has(id)).state).toBe(once);
    // Without the history only the losing sms re-emit is not recognised: channels hold, version moves.
    const blind = absorbReemitted(once, events).state;
    expect(blind?.channels).toEqual(once?.channels);
    expect(blind?.version).toBe((once?.version ?? 0) + 1);
  });

  it('an event still keyed to the provisional contact is rejected, not applied to the survivor', () => {
    const stray = provisionalEvent({
      eventId: 'late',
      channel: 'sms',
      newStatus: 'unsubscribed',
      occurredAt: 999,
    });
    const { state, rejected } = absorbReemitted(survivor, [stray]);
    expect(rejected).toMatchObject([{ code: 'WRONG_CONTACT', eventId: 'late' }]);
    expect(state).toBe(survivor);
  });
});

import { stateAsOf } from './as-of';
import { preferenceEvent as ev } from './testing/events';

// One person's SMS consent around 1 March: subscribed, a STOP made at 09:00 that reached us at 09:30,
// then re-subscribed at 12:00.
const T = (hhmm: string): number => Date.parse(`2024-03-01T${hhmm}:00Z`);
const history = [
  ev({
    eventId: 'sub',
    channel: 'sms',
    newStatus: 'subscribed',
    occurredAt: T('08:00'),
    recordedAt: T('08:00'),
  }),
  ev({
    eventId: 'stop',
    channel: 'sms',
    newStatus: 'unsubscribed',
    occurredAt: T('09:00'),
    recordedAt: T('09:30'),
  }),
  ev({
    eventId: 'resub',
    channel: 'sms',
    newStatus: 'subscribed',
    occurredAt: T('12:00'),
    recordedAt: T('12:00'),
  }),
];

const smsAsOf = (...args: Parameters<typeof stateAsOf>) => stateAsOf(...args).state?.channels.sms;

describe('stateAsOf', () => {
  it('before anything happened there is no state', () => {
    expect(stateAsOf(history, { at: T('07:59') }).state).toBeNull();
  });

  it('"what was true at t" by occurredAt, inclusive', () => {
    expect(smsAsOf(history, { at: T('08:59') })).toMatchObject({ status: 'subscribed', eventId: 'sub' });
    expect(smsAsOf(history, { at: T('09:00') })).toMatchObject({ status: 'unsubscribed', eventId: 'stop' });
    expect(smsAsOf(history, { at: T('12:00') })).toMatchObject({ status: 'subscribed', eventId: 'resub' });
  });

  it('"what did we know at t" also drops events recorded after knownAt', () => {
    expect(smsAsOf(history, { at: T('09:10'), knownAt: T('09:10') })).toMatchObject({ status: 'subscribed' });
    expect(smsAsOf(history, { at: T('09:10'), knownAt: T('09:30') })).toMatchObject({
      status: 'unsubscribed',
    });
  });

  it('does not depend on history order or duplicates', () => {
    const shuffled = [history[2], history[0], history[1], history[0]].flatMap((e) => (e ? [e] : []));
    expect(stateAsOf(shuffled, { at: T('10:00') })).toEqual(stateAsOf(history, { at: T('10:00') }));
  });

  it('reports rejected events without applying them', () => {
    const withBad = [...history, ev({ eventId: 'bad', channel: 'unknown', occurredAt: T('08:30') })];
    const result = stateAsOf(withBad, { at: T('08:45') });
    expect(result.rejected).toMatchObject([{ code: 'UNKNOWN_CHANNEL', eventId: 'bad' }]);
    expect(result.state?.channels).toEqual(stateAsOf(history, { at: T('08:45') }).state?.channels);
  });
});

import { ownerOf } from '../view';
import { keyedHash, provisionalId, summarize } from '../testing/builders';
import { finalView, replay } from '../testing/replay';

// Whole stories, folded through decide + evolve the way the resolver runs them.
const ANN = 'ann@example.com';
const PHONE = '+14155550101';
const phoneOwner = (steps: ReturnType<typeof replay>): string | undefined =>
  ownerOf(finalView(steps), { kind: 'phone', keyedHash: keyedHash('phone', PHONE) })?.externalId;

describe('scenarios', () => {
  it('opt-out from an unknown email, then identify: suppression holds first, then moves to the real contact', () => {
    const steps = replay([
      { eventId: 'e1', kind: 'preference_change', email: ANN, channel: 'email', status: 'unsubscribed' },
      { eventId: 'e2', kind: 'identify', externalId: 'ext-ann', email: ANN },
      { eventId: 'e3', kind: 'preference_change', email: ANN, channel: 'sms', status: 'unsubscribed' },
    ]);
    const p = provisionalId('e1');
    expect(steps.map((s) => summarize(s.decisions))).toEqual([
      [
        `contact_registered ${p} provisional=true`,
        `identifier_linked ${p} email=${ANN}`,
        `preference ${p} email=unsubscribed`,
      ],
      [
        'contact_registered ext-ann provisional=false',
        `contacts_merged ext-ann from=${p}`,
        `reemit ${p} -> ext-ann`,
      ],
      ['preference ext-ann sms=unsubscribed'],
    ]);
    expect(finalView(steps).contacts.get(p)).toEqual({
      externalId: p,
      provisional: true,
      mergedInto: 'ext-ann',
      identifiers: [],
    });
  });

  it('recycled phone: it stays with its owner until an identify moves it, then STOP goes to the new owner', () => {
    const steps = replay([
      { eventId: 'e1', kind: 'identify', externalId: 'ext-old', phone: PHONE },
      {
        eventId: 'e2',
        kind: 'preference_change',
        externalId: 'ext-new',
        channel: 'sms',
        status: 'subscribed',
        phone: PHONE,
      },
      { eventId: 'e3', kind: 'preference_change', phone: PHONE, channel: 'sms', status: 'unsubscribed' },
      { eventId: 'e4', kind: 'identify', externalId: 'ext-new', phone: PHONE },
      { eventId: 'e5', kind: 'preference_change', phone: PHONE, channel: 'sms', status: 'unsubscribed' },
    ]);
    expect(summarize(steps[1]?.decisions ?? [])).toEqual([
      'contact_registered ext-new provisional=false',
      'preference ext-new sms=subscribed',
    ]);
    expect(summarize(steps[2]?.decisions ?? [])).toEqual(['preference ext-old sms=unsubscribed']);
    expect(summarize(steps[3]?.decisions ?? [])).toEqual([
      `identifier_reassigned ext-new phone=${PHONE} from=ext-old`,
    ]);
    expect(summarize(steps[4]?.decisions ?? [])).toEqual(['preference ext-new sms=unsubscribed']);
    expect(phoneOwner(steps)).toBe('ext-new');
  });

  it('shared phone: two people naming one number never merge; it belongs to whoever identified last', () => {
    const steps = replay([
      { eventId: 'e1', kind: 'identify', externalId: 'ext-a', email: 'a@example.com', phone: PHONE },
      { eventId: 'e2', kind: 'identify', externalId: 'ext-b', email: 'b@example.com', phone: PHONE },
      {
        eventId: 'e3',
        kind: 'preference_change',
        email: 'a@example.com',
        phone: PHONE,
        channel: 'sms',
        status: 'unsubscribed',
      },
    ]);
    expect(summarize(steps[2]?.decisions ?? [])).toEqual(['preference ext-a sms=unsubscribed']);
    expect(phoneOwner(steps)).toBe('ext-b');
    const view = finalView(steps);
    expect([...view.contacts.values()].every((c) => c.mergedInto === null)).toBe(true);
  });
});

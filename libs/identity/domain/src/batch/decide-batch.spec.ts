import fc from 'fast-check';
import { identifierKey } from '../identifiers';
import { command, type FactSpec } from '../testing/builders';
import { finalView, replay } from '../testing/replay';
import { emptyIdentityView, type IdentityView } from '../view';
import { decideBatch } from './decide-batch';

// Small pools so facts of one batch collide: shared phones, contested emails, blocked placeholders.
const factArb: fc.Arbitrary<Omit<FactSpec, 'eventId'>> = fc.record({
  kind: fc.constantFrom('identify', 'preference_change', 'push_permission_change' as const),
  externalId: fc.constantFrom(null, 'ext-a', 'ext-b', 'ext-c', 'null'),
  email: fc.constantFrom(null, 'a@example.com', 'b@example.com', 'c@example.com', 'anonymous'),
  phone: fc.constantFrom(null, '+14155550101', '+14155550102', '0'),
  channel: fc.constantFrom('email', 'sms', 'push' as const),
  status: fc.constantFrom('subscribed', 'unsubscribed' as const),
  pushEnabled: fc.boolean(),
});

const logArb = (prefix: string) =>
  fc
    .array(factArb, { minLength: 0, maxLength: 20 })
    .map((facts) => facts.map((f, i): FactSpec => ({ ...f, eventId: `${prefix}-${i}` })));

/** Views compare by content: map insertion order is irrelevant. */
const canonical = (view: IdentityView) => ({
  contacts: [...view.contacts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
  owners: [...view.owners.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
});

describe('decideBatch', () => {
  it('gives exactly the decisions and the view of deciding the facts one at a time', () => {
    fc.assert(
      fc.property(logArb('before'), logArb('batch'), (history, batch) => {
        const start = finalView(replay(history));
        const oneByOne = replay(batch, start);
        const batched = decideBatch(batch.map(command), start);
        expect(batched.decisions).toEqual(oneByOne.map((s) => s.decisions));
        expect(canonical(batched.view)).toEqual(canonical(oneByOne.at(-1)?.view ?? start));
      }),
      { numRuns: 300 },
    );
  });

  it('lets a later fact of the batch see an earlier one: opt-out, then identify merges it', () => {
    const { decisions, view } = decideBatch(
      [
        command({ eventId: 'opt-out', kind: 'preference_change', email: 'a@example.com' }),
        command({ eventId: 'identify', kind: 'identify', externalId: 'ext-a', email: 'a@example.com' }),
      ],
      emptyIdentityView(),
    );
    expect(decisions[1]?.map((d) => d.type)).toEqual([
      'publish_identity',
      'publish_identity',
      'reemit_preferences',
    ]);
    const keyedHash = command({ kind: 'identify', email: 'a@example.com' }).emailHash ?? '';
    const owner = view.owners.get(identifierKey({ kind: 'email', keyedHash }));
    expect(owner).toBe('ext-a');
  });

  it('does not touch the view it was given', () => {
    const start = emptyIdentityView();
    decideBatch([command({ eventId: 'e', kind: 'preference_change', email: 'a@example.com' })], start);
    expect(start.contacts.size).toBe(0);
  });
});

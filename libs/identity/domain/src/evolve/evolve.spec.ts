import fc from 'fast-check';
import type { IdentityEventKind } from '@optstream/contracts';
import type { PlainIdentifier } from '../identifiers';
import { emptyIdentityView, identityView } from '../view';
import { contact, keyedHash, type FactSpec } from '../testing/builders';
import { replay } from '../testing/replay';
import { evolve, type IdentityChange } from './evolve';

const email = (value: string) => ({ kind: 'email' as const, keyedHash: keyedHash('email', value) });
const change = (
  kind: IdentityEventKind,
  externalId: string,
  more: Partial<IdentityChange> = {},
): IdentityChange => ({
  kind,
  externalId,
  provisional: false,
  identifier: null,
  otherExternalId: null,
  ...more,
});
const fold = (events: readonly IdentityChange[]) => events.reduce(evolve, emptyIdentityView());

describe('evolve', () => {
  it('registers a contact once; a repeated registration changes nothing', () => {
    const once = fold([change('contact_registered', 'ext-a')]);
    expect(evolve(once, change('contact_registered', 'ext-a', { provisional: true }))).toBe(once);
    expect(once).toEqual(identityView([contact('ext-a')]));
  });

  it('link and reassign both leave the identifier with the event’s contact, and only there', () => {
    const view = fold([
      change('contact_registered', 'ext-a'),
      change('contact_registered', 'ext-b'),
      change('identifier_linked', 'ext-a', { identifier: email('x@example.com') }),
      change('identifier_reassigned', 'ext-b', {
        identifier: email('x@example.com'),
        otherExternalId: 'ext-a',
      }),
    ]);
    expect(view).toEqual(identityView([contact('ext-a'), contact('ext-b', { emails: ['x@example.com'] })]));
  });

  it('never stores plaintext, even when folding a decision that carries it', () => {
    const plain: PlainIdentifier = { ...email('x@example.com'), plaintext: 'x@example.com' };
    const view = fold([change('identifier_linked', 'ext-a', { identifier: plain })]);
    expect(JSON.stringify([...view.contacts.values()])).not.toContain('x@example.com');
  });

  it('a merge moves every identifier to the survivor and leaves a pointer behind', () => {
    const view = fold([
      change('contact_registered', 'prov', { provisional: true }),
      change('identifier_linked', 'prov', { provisional: true, identifier: email('x@example.com') }),
      change('identifier_linked', 'prov', {
        provisional: true,
        identifier: { kind: 'phone', keyedHash: 'h-phone' },
      }),
      change('contacts_merged', 'ext-a', { otherExternalId: 'prov' }),
    ]);
    expect(view.contacts.get('prov')).toEqual({
      externalId: 'prov',
      provisional: true,
      mergedInto: 'ext-a',
      identifiers: [],
    });
    expect(view.contacts.get('ext-a')?.identifiers).toEqual([
      email('x@example.com'),
      { kind: 'phone', keyedHash: 'h-phone' },
    ]);
    expect(view.owners.get(`email:${keyedHash('email', 'x@example.com')}`)).toBe('ext-a');
  });

  it('erasure removes the contact and frees its identifiers', () => {
    const view = fold([
      change('identifier_linked', 'ext-a', { identifier: email('x@example.com') }),
      change('contact_erased', 'ext-a'),
    ]);
    expect(view).toEqual(emptyIdentityView());
  });

  it('an unknown (newer) event kind is skipped, not fatal', () => {
    const before = fold([change('contact_registered', 'ext-a')]);
    expect(evolve(before, change('unknown', 'ext-a'))).toBe(before);
  });

  it.each<IdentityEventKind>([
    'contact_registered',
    'identifier_linked',
    'identifier_reassigned',
    'contacts_merged',
    'contact_erased',
    'unknown',
  ])('re-applying a %s event leaves the view unchanged (redelivery is harmless)', (kind) => {
    const base = fold([
      change('contact_registered', 'prov', { provisional: true }),
      change('identifier_linked', 'prov', { provisional: true, identifier: email('p@example.com') }),
      change('identifier_linked', 'ext-b', { identifier: email('x@example.com') }),
    ]);
    const event = change(kind, 'ext-a', { identifier: email('x@example.com'), otherExternalId: 'prov' });
    const once = evolve(base, event);
    expect(evolve(once, event)).toEqual(once);
  });
});

describe('evolve: fold order', () => {
  // Independent stories over disjoint identifiers (as different contacts are); each is turned into
  // identity events by the real decider, covering registrations, links, reassignments and merges.
  const story = (k: number): fc.Arbitrary<readonly FactSpec[]> => {
    const ext = [null, `ext-${k}-a`, `ext-${k}-b`];
    const mail = [null, `a${k}@example.com`, `b${k}@example.com`];
    const tel = [null, `+1415555${k}001`, `+1415555${k}002`];
    return fc
      .array(
        fc.record({
          kind: fc.constantFrom('identify', 'preference_change' as const),
          externalId: fc.constantFrom(...ext),
          email: fc.constantFrom(...mail),
          phone: fc.constantFrom(...tel),
        }),
        { minLength: 1, maxLength: 6 },
      )
      .map((facts) => facts.map((f, i) => ({ ...f, eventId: `s${k}-${i}` })));
  };

  const storiesArb = fc.tuple(story(1), story(2), story(3)).chain((stories) => {
    const events = stories.map((facts) =>
      replay(facts).flatMap((s) =>
        s.decisions.flatMap((d) => (d.type === 'publish_identity' ? [d.event] : [])),
      ),
    );
    const slots = events.flatMap((evs, k) => evs.map(() => k));
    return fc
      .shuffledSubarray(slots, { minLength: slots.length, maxLength: slots.length })
      .map((order) => ({ events, order }));
  });

  it('any interleaving of different contacts’ event streams folds to the same view', () => {
    fc.assert(
      fc.property(storiesArb, ({ events, order }) => {
        const sequential = events.flat().reduce(evolve, emptyIdentityView());
        const cursors = events.map(() => 0);
        const interleaved = order.map((k) => {
          const event = events[k]?.[cursors[k] ?? 0];
          cursors[k] = (cursors[k] ?? 0) + 1;
          if (event === undefined) throw new Error('interleaving ran past a stream');
          return event;
        });
        expect(interleaved.reduce(evolve, emptyIdentityView())).toEqual(sequential);
      }),
    );
  });

  it('registrations and links of different contacts commute in any permutation', () => {
    const events = [1, 2, 3, 4].flatMap((k) => [
      change('contact_registered', `c${k}`, { provisional: k % 2 === 0 }),
      change('identifier_linked', `c${k}`, {
        provisional: k % 2 === 0,
        identifier: email(`${k}@example.com`),
      }),
      change('identifier_linked', `c${k}`, {
        provisional: k % 2 === 0,
        identifier: { kind: 'phone', keyedHash: `p${k}` },
      }),
    ]);
    const expected = fold(events);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
        (perm) => {
          expect(fold(perm)).toEqual(expected);
        },
      ),
    );
  });
});

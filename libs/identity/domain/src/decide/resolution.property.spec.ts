import fc from 'fast-check';
import type { ProtectedIdentifier } from '@optstream/contracts';
import { identifierKey } from '../identifiers';
import { uuidV5Ids } from '../ids';
import { evolve, evolveAll } from '../evolve';
import { emptyIdentityView, type IdentityView } from '../view';
import { command, type FactSpec } from '../testing/builders';
import { replay } from '../testing/replay';
import { decide } from './decide';
import type { Decision } from './decision';

// Small pools so facts collide often: shared phones, contested emails, blocked placeholders.
const externalIds = [null, 'ext-a', 'ext-b', 'ext-c', 'null', '00000000-0000-0000-0000-000000000000'];
const emails = [null, 'a@example.com', 'b@example.com', 'c@example.com', 'anonymous', ' '];
const phones = [null, '+14155550101', '+14155550102', '0', '-1'];

const factArb: fc.Arbitrary<Omit<FactSpec, 'eventId'>> = fc.record({
  kind: fc.constantFrom('identify', 'preference_change', 'push_permission_change' as const),
  externalId: fc.constantFrom(...externalIds),
  email: fc.constantFrom(...emails),
  phone: fc.constantFrom(...phones),
  channel: fc.constantFrom('email', 'sms', 'push' as const),
  status: fc.constantFrom('subscribed', 'unsubscribed' as const),
  pushEnabled: fc.boolean(),
});

/** A log of facts with distinct eventIds, as the gateway would publish them. */
const logArb = fc
  .array(factArb, { minLength: 1, maxLength: 25 })
  .map((facts) => facts.map((f, i): FactSpec => ({ ...f, eventId: `evt-${i}` })));

const identityOnly = (decisions: readonly Decision[]): readonly Decision[] =>
  decisions.filter((d) => d.type === 'publish_identity' || d.type === 'reemit_preferences');

const checkInvariants = (view: IdentityView): void => {
  for (const [key, owner] of view.owners) {
    const node = view.contacts.get(owner);
    expect(node?.mergedInto).toBeNull();
    expect(node?.identifiers.map(identifierKey)).toContain(key);
  }
  for (const node of view.contacts.values()) {
    // Two real contacts are never merged automatically.
    if (node.mergedInto !== null) expect(node.provisional).toBe(true);
    for (const ref of node.identifiers) expect(view.owners.get(identifierKey(ref))).toBe(node.externalId);
    // The view holds keyed hashes only.
    for (const ref of node.identifiers) expect(Object.keys(ref).sort()).toEqual(['keyedHash', 'kind']);
  }
};

describe('resolution properties', () => {
  it('replay determinism: the same fact against the same view gives identical decisions and ids', () => {
    fc.assert(
      fc.property(logArb, factArb, (log, last) => {
        const view = replay(log).at(-1)?.view ?? emptyIdentityView();
        const spec = { ...last, eventId: 'evt-last' };
        const first = decide(command(spec), view);
        // A fresh id source stands in for a restarted process.
        const second = decide({ ...command(spec), deriveId: uuidV5Ids() }, view);
        expect(second).toEqual(first);
      }),
    );
  });

  it('idempotency: after applying a decision, re-deciding the same fact yields no identity events', () => {
    fc.assert(
      fc.property(logArb, (log) => {
        for (const [i, step] of replay(log).entries()) {
          const again = decide(command(log[i] as FactSpec), step.view);
          expect(identityOnly(again)).toEqual([]);
          // ...and the same preference outcome (same target, same eventId) or the same rejection.
          expect(again).toEqual(
            step.decisions.filter((d) => d.type === 'publish_preference' || d.type === 'rejected'),
          );
        }
      }),
    );
  });

  it('the graph stays well formed after every step', () => {
    fc.assert(
      fc.property(logArb, (log) => {
        for (const step of replay(log)) checkInvariants(step.view);
      }),
    );
  });

  it('only an identify moves or merges; consent facts at most register and link', () => {
    fc.assert(
      fc.property(logArb, (log) => {
        for (const [i, step] of replay(log).entries()) {
          if (log[i]?.kind === 'identify') continue;
          for (const d of step.decisions) {
            if (d.type === 'publish_identity')
              expect(['contact_registered', 'identifier_linked']).toContain(d.event.kind);
            expect(d.type).not.toBe('reemit_preferences');
          }
        }
      }),
    );
  });

  it('every preference goes to a live contact of the resulting view', () => {
    fc.assert(
      fc.property(logArb, (log) => {
        for (const step of replay(log)) {
          for (const d of step.decisions) {
            if (d.type !== 'publish_preference') continue;
            expect(step.view.contacts.get(d.event.externalId)?.mergedInto).toBeNull();
          }
        }
      }),
    );
  });

  it('rebuild: folding the sealed identity.v1 log gives the same view as folding the decisions', () => {
    fc.assert(
      fc.property(logArb, (log) => {
        const steps = replay(log);
        const decisions = steps.flatMap((s) => s.decisions);
        const sealedLog = decisions.flatMap((d) =>
          d.type === 'publish_identity'
            ? [{ ...d.event, identifier: d.event.identifier === null ? null : seal(d.event.identifier) }]
            : [],
        );
        expect(sealedLog.reduce(evolve, emptyIdentityView())).toEqual(
          evolveAll(emptyIdentityView(), decisions),
        );
      }),
    );
  });
});

/** What the service publishes in place of the plaintext (the cipher is irrelevant to the fold). */
const seal = (identifier: { kind: 'email' | 'phone'; keyedHash: string }): ProtectedIdentifier => ({
  kind: identifier.kind,
  keyedHash: identifier.keyedHash,
  sealedValue: Buffer.from('sealed'),
  dataKeyId: 'key-1',
});

import fc from 'fast-check';
import { compareChanges, wins, type Change } from './latest-wins';

const change = (occurredAt: number, status: Change['status'], eventId: string): Change => ({
  occurredAt,
  status,
  eventId,
});

describe('compareChanges', () => {
  it('later occurredAt wins, whatever the status or eventId', () => {
    const older = change(1, 'unsubscribed', 'z');
    const newer = change(2, 'subscribed', 'a');
    expect(compareChanges(newer, older)).toBeGreaterThan(0);
    expect(compareChanges(older, newer)).toBeLessThan(0);
  });

  it('exact tie: unsubscribed beats subscribed, even against a greater eventId', () => {
    const unsubscribe = change(5, 'unsubscribed', 'a');
    const subscribe = change(5, 'subscribed', 'z');
    expect(compareChanges(unsubscribe, subscribe)).toBeGreaterThan(0);
    expect(compareChanges(subscribe, unsubscribe)).toBeLessThan(0);
  });

  it('exact tie with the same status: the greater eventId wins (code-unit order)', () => {
    const a = change(5, 'subscribed', 'evt-A');
    const b = change(5, 'subscribed', 'evt-a'); // 'a' (0x61) > 'A' (0x41), whatever the locale says
    expect(compareChanges(b, a)).toBeGreaterThan(0);
    expect(compareChanges(a, b)).toBeLessThan(0);
  });

  it('is 0 only for the same eventId', () => {
    expect(compareChanges(change(5, 'subscribed', 'x'), change(5, 'subscribed', 'x'))).toBe(0);
  });

  it('is a total order: antisymmetric and transitive over arbitrary changes', () => {
    const arbChange = fc.record({
      occurredAt: fc.integer({ min: 0, max: 3 }),
      status: fc.constantFrom('subscribed' as const, 'unsubscribed' as const),
      eventId: fc.constantFrom('a', 'b', 'c'),
    });
    fc.assert(
      fc.property(arbChange, arbChange, arbChange, (a, b, c) => {
        expect(Math.sign(compareChanges(a, b)) + Math.sign(compareChanges(b, a))).toBe(0);
        if (compareChanges(a, b) > 0 && compareChanges(b, c) > 0)
          expect(compareChanges(a, c)).toBeGreaterThan(0);
      }),
    );
  });
});

describe('wins', () => {
  it('anything wins over no current change', () => {
    expect(wins(change(0, 'subscribed', 'a'), null)).toBe(true);
    expect(wins(change(0, 'subscribed', 'a'), undefined)).toBe(true);
  });

  it('the same change does not win over itself (a redelivery is not a change)', () => {
    const c = change(1, 'unsubscribed', 'a');
    expect(wins(c, c)).toBe(false);
  });
});

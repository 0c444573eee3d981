import { preferenceChangeFact } from '../mappers/facts';
import { withTimeSanity } from './time-sanity';

const receivedAt = Date.UTC(2026, 11, 4, 10, 0, 0);
const factAt = (occurredAt: number) =>
  preferenceChangeFact(
    {
      system: 'optstream_api',
      providerEventRef: 'r1',
      occurredAt,
      receivedAt,
      identifiers: { externalId: 'c1', email: null, phone: null, anonymousId: null },
    },
    'email',
    'subscribed',
    'Signup Form',
  );

describe('withTimeSanity', () => {
  const FIVE_MINUTES = 300_000;

  it('clamps a time in the future beyond the allowed skew to the receive time, keeping the original', () => {
    const year2099 = Date.UTC(2099, 0, 1);
    expect(withTimeSanity(factAt(year2099), FIVE_MINUTES)).toMatchObject({
      occurredAt: receivedAt,
      originalOccurredAt: year2099,
      sourceTrust: 'server',
    });
  });

  it('leaves a time within the skew (or in the past) alone', () => {
    const sane = withTimeSanity(factAt(receivedAt + FIVE_MINUTES), FIVE_MINUTES, 'client');
    expect(sane.occurredAt).toBe(receivedAt + FIVE_MINUTES);
    expect(sane.originalOccurredAt).toBeUndefined();
    expect(sane.sourceTrust).toBe('client');
    expect(withTimeSanity(factAt(receivedAt - 86_400_000), FIVE_MINUTES).occurredAt).toBe(
      receivedAt - 86_400_000,
    );
  });

  it('clamps one millisecond past the skew', () => {
    expect(withTimeSanity(factAt(receivedAt + FIVE_MINUTES + 1), FIVE_MINUTES).occurredAt).toBe(receivedAt);
  });
});

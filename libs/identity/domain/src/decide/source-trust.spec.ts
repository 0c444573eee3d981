import type { ContactInbound, MarketingPreferenceUpdated } from '@optstream/contracts';
import { commandFor, contact, fact, summarize, viewOf } from '../testing/builders';
import { decide } from './decide';

const ANN = 'ann@example.com';

const clientIdentify = (externalId: string): ContactInbound => ({
  ...fact({ kind: 'identify', externalId, email: ANN }),
  sourceTrust: 'client',
});

const published = (inbound: ContactInbound): MarketingPreferenceUpdated => {
  const decision = decide(commandFor(inbound), viewOf(contact('ext-ann', { emails: [ANN] }))).find(
    (d) => d.type === 'publish_preference',
  );
  if (decision?.type !== 'publish_preference') throw new Error('no preference published');
  return decision.event;
};

describe('decide: source trust and consent fields', () => {
  it('a client-side identify never takes an email from another real contact', () => {
    const view = viewOf(contact('ext-ann', { emails: [ANN] }), contact('ext-eve', {}));
    expect(summarize(decide(commandFor(clientIdentify('ext-eve')), view))).toEqual([]);
  });

  it('a client-side identify never merges the provisional owner of an email', () => {
    const view = viewOf(contact('prov-ann', { provisional: true, emails: [ANN] }), contact('ext-eve', {}));
    expect(summarize(decide(commandFor(clientIdentify('ext-eve')), view))).toEqual([]);
  });

  it('the same identify from a server source moves it, as before', () => {
    const view = viewOf(contact('ext-ann', { emails: [ANN] }), contact('ext-eve', {}));
    const server = { ...clientIdentify('ext-eve'), sourceTrust: 'server' as const };
    expect(summarize(decide(commandFor(server), view))).toEqual([
      `identifier_reassigned ext-eve email=${ANN} from=ext-ann`,
    ]);
  });

  it('a preference change carries topic, evidence (with the source trust), precision and the clamped time', () => {
    const base = fact({ kind: 'preference_change', email: ANN, status: 'subscribed' });
    const event = published({
      ...base,
      sourceTrust: 'client',
      occurredAtPrecision: 'second',
      originalOccurredAt: 4_102_444_800_000,
      preferenceChange: {
        channel: 'email',
        newStatus: 'subscribed',
        sourceOfChange: 'Group Resubscribe',
        topic: 'newsletter',
        evidence: {
          strength: 'explicit',
          kind: 'group_resubscribe',
          trust: 'unknown',
          legalBasis: 'consent',
        },
      },
    });
    expect(event).toMatchObject({
      topic: 'newsletter',
      evidence: { strength: 'explicit', kind: 'group_resubscribe', trust: 'client', legalBasis: 'consent' },
      occurredAtPrecision: 'second',
      originalOccurredAt: 4_102_444_800_000,
      pendingExpiresAt: null,
    });
  });

  it('a first-release fact publishes a first-release event (no topic, no evidence, precision unknown)', () => {
    expect(published(fact({ kind: 'preference_change', email: ANN }))).toMatchObject({
      topic: null,
      evidence: null,
      occurredAtPrecision: 'unknown',
      originalOccurredAt: null,
    });
  });
});

import type { ContactInbound, IdentityEvent, MarketingPreferenceUpdated } from '@optstream/contracts';
import {
  emittedPreferenceKey,
  emittedPreferencesOf,
  supersedes,
  type DataKey,
  type DataKeyStore,
  type EmittedPreference,
  type Queryable,
  type Resolution,
} from '@optstream/identity-data-access';
import type { Decision, DeriveId } from '@optstream/identity-domain';
import { reemitFrom } from './reemit';
import { carriesProofOfConsent, sealIdentity, sealProofOfConsent } from './seal-identity';

/** A fact the decider accepted, with its decisions. */
export interface AcceptedFact {
  readonly fact: ContactInbound;
  readonly decisions: readonly Decision[];
}

export interface MaterializeDeps {
  readonly keys: DataKeyStore;
  readonly deriveId: DeriveId;
}

/**
 * Decisions → final events, batch-wide: one bulk fetch of the data keys every identifier is sealed
 * under, and re-emits built from the emitted preferences as they stand at that point of the batch
 * (stored ones, overlaid with the batch's own earlier preference events).
 */
export const materialize = async (
  q: Queryable,
  deps: MaterializeDeps,
  accepted: readonly AcceptedFact[],
): Promise<Resolution[]> => {
  const all = accepted.flatMap((a) => a.decisions);
  const dataKeys = await dataKeysFor(deps.keys, accepted);
  const emitted = await EmittedSoFar.load(
    q,
    all.flatMap((d) => (d.type === 'reemit_preferences' ? [d.from] : [])),
  );
  return accepted.map(({ fact, decisions }) => {
    const identityEvents: IdentityEvent[] = [];
    const preferenceEvents: MarketingPreferenceUpdated[] = [];
    for (const decision of decisions) {
      switch (decision.type) {
        case 'publish_identity':
          identityEvents.push(sealIdentity(dataKeys, decision.event));
          break;
        case 'publish_preference': {
          const event = sealProofOfConsent(dataKeys, fact, decision.event);
          preferenceEvents.push(event);
          emitted.remember(event);
          break;
        }
        case 'reemit_preferences':
          for (const e of reemitFrom(deps.deriveId, decision, emitted.latestOf(decision.from))) {
            preferenceEvents.push(e);
            emitted.remember(e);
          }
          break;
        case 'rejected':
          break;
      }
    }
    return { inboundEventId: fact.eventId, identityEvents, preferenceEvents };
  });
};

/**
 * The keys of every contact something is sealed for: an identifier, or a fact's proof of consent
 * (DataKeyDestroyedError for an erased one).
 */
const dataKeysFor = async (
  keys: DataKeyStore,
  accepted: readonly AcceptedFact[],
): Promise<ReadonlyMap<string, DataKey>> => {
  const sealedFor = accepted.flatMap(({ fact, decisions }) =>
    decisions.flatMap((d) => {
      if (d.type === 'publish_identity') return d.event.identifier !== null ? [d.event.externalId] : [];
      if (d.type === 'publish_preference') return carriesProofOfConsent(fact) ? [d.event.externalId] : [];
      return [];
    }),
  );
  return sealedFor.length > 0 ? keys.keysFor(sealedFor) : new Map();
};

/**
 * The latest emitted preference per channel and topic of the contacts a merge in the batch absorbs: loaded
 * once, then kept current with the batch's own events in fact order, so a merge re-emits what the
 * absorbed contact held at that point of the batch.
 */
class EmittedSoFar {
  private constructor(
    private readonly byContact: Map<string, Map<string, EmittedPreference>>,
    /** Nothing to track when the batch merges nobody. */
    private readonly tracking: boolean,
  ) {}

  static async load(q: Queryable, absorbed: readonly string[]): Promise<EmittedSoFar> {
    const byContact = new Map<string, Map<string, EmittedPreference>>();
    for (const [id, list] of await emittedPreferencesOf(q, absorbed)) {
      byContact.set(id, new Map(list.map((p) => [emittedPreferenceKey(p), p])));
    }
    return new EmittedSoFar(byContact, absorbed.length > 0);
  }

  remember(e: EmittedPreference): void {
    if (!this.tracking) return;
    const channels = this.byContact.get(e.externalId) ?? new Map<string, EmittedPreference>();
    const key = emittedPreferenceKey(e);
    const current = channels.get(key);
    if (current === undefined || supersedes(e, current)) channels.set(key, e);
    this.byContact.set(e.externalId, channels);
  }

  /** In channel order, then topic order (the channel-wide one first), as the table orders them. */
  latestOf(externalId: string): EmittedPreference[] {
    const order = (p: EmittedPreference): string => `${p.channel}\u0000${p.topic ?? ''}`;
    return [...(this.byContact.get(externalId)?.values() ?? [])].sort((a, b) =>
      order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0,
    );
  }
}

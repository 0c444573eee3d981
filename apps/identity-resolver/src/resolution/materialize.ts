import type { ContactInbound, IdentityEvent, MarketingPreferenceUpdated } from '@optstream/contracts';
import {
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
import { sealIdentity } from './seal-identity';

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
  const dataKeys = await dataKeysFor(deps.keys, all);
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
        case 'publish_preference':
          preferenceEvents.push(decision.event);
          emitted.remember(decision.event);
          break;
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

/** The keys of every contact an identifier is sealed for (DataKeyDestroyedError for an erased one). */
const dataKeysFor = async (
  keys: DataKeyStore,
  decisions: readonly Decision[],
): Promise<ReadonlyMap<string, DataKey>> => {
  const sealedFor = decisions.flatMap((d) =>
    d.type === 'publish_identity' && d.event.identifier !== null ? [d.event.externalId] : [],
  );
  return sealedFor.length > 0 ? keys.keysFor(sealedFor) : new Map();
};

/**
 * The latest emitted preference per channel of the contacts a merge in the batch absorbs: loaded
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
      byContact.set(id, new Map(list.map((p) => [p.channel, p])));
    }
    return new EmittedSoFar(byContact, absorbed.length > 0);
  }

  remember(e: EmittedPreference): void {
    if (!this.tracking) return;
    const channels = this.byContact.get(e.externalId) ?? new Map<string, EmittedPreference>();
    const current = channels.get(e.channel);
    if (current === undefined || supersedes(e, current)) channels.set(e.channel, e);
    this.byContact.set(e.externalId, channels);
  }

  /** In channel order. */
  latestOf(externalId: string): EmittedPreference[] {
    return [...(this.byContact.get(externalId)?.values() ?? [])].sort((a, b) =>
      a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0,
    );
  }
}

import type { ContactInbound } from '@optstream/contracts';
import type { DeriveId } from '../ids';

/**
 * Resolve one inbound fact against the identity view. Everything impure arrives here as data: the
 * keyed hashes (the service holds the HMAC key), the time the decision is recorded, the id source.
 */
export interface ResolveInbound {
  readonly fact: ContactInbound;
  /** Keyed hash of `fact.identifiers.email` (already normalized by the gateway); null when absent. */
  readonly emailHash: string | null;
  /** Keyed hash of `fact.identifiers.phone` (E.164); null when absent. */
  readonly phoneHash: string | null;
  /** When the resolver records its outputs (epoch ms); occurredAt always comes from the fact. */
  readonly recordedAt: number;
  readonly deriveId: DeriveId;
}

import { TOPICS, type ContactInbound, type MarketingPreferenceUpdated } from '@optstream/contracts';
import {
  commitResolution,
  findResolution,
  IdentityConflictError,
  loadIdentityView,
  markPublished,
  type DataKeyStore,
  type LoadedView,
  type Resolution,
} from '@optstream/identity-data-access';
import {
  decide,
  isBlockedIdentifierValue,
  type DeriveId,
  type IdentifierRef,
} from '@optstream/identity-domain';
import { ConsumedEvent, EventPublisher, ProcessingError } from '@optstream/kafka';
import type { Logger } from '@optstream/observability';
import { keyedHash } from '@optstream/pii-crypto';
import type { DataSource } from 'typeorm';
import type { ResolverMetrics } from '../observability/resolver-metrics';
import { classify } from './errors';
import { reemit } from './reemit';
import { sealIdentity } from './seal-identity';

export interface ResolverDeps {
  readonly db: DataSource;
  readonly keys: DataKeyStore;
  readonly publisher: EventPublisher;
  readonly hashKey: Buffer;
  readonly deriveId: DeriveId;
  readonly now: () => number;
  readonly metrics: ResolverMetrics;
  readonly log: Logger;
}

/**
 * One inbound fact → identity.v1 and marketing-preference-updated.v1 events. Order of effects:
 *   1. decide on a fresh view and commit the graph changes together with the outputs (the outbox row);
 *   2. publish the stored outputs (idempotent producer, acks=all);
 *   3. return, so the consumer library commits the input offset.
 * A crash anywhere replays the fact: before 1 it is decided afresh (same derived ids); after 1 the
 * stored outputs are published as they were; after 2 nothing is published again.
 */
export class IdentityResolver {
  constructor(private readonly deps: ResolverDeps) {}

  async handle(event: ConsumedEvent<unknown>): Promise<void> {
    const started = this.deps.now();
    // The codec decoded it against the registered contact-inbound.v1 schema.
    const fact = event.value as ContactInbound;
    try {
      await this.resolveOnce(fact);
      this.deps.metrics.resolveSeconds.observe((this.deps.now() - started) / 1000);
    } catch (error) {
      if (error instanceof IdentityConflictError) this.deps.metrics.conflicts.inc();
      throw classify(error);
    }
  }

  private async resolveOnce(fact: ContactInbound): Promise<void> {
    const { db, metrics } = this.deps;
    const stored = await findResolution(db, fact.eventId);
    if (stored !== null) {
      if (stored.published) return void metrics.facts.inc({ outcome: 'replayed' });
      await this.publish(stored);
      return void metrics.facts.inc({ outcome: 'republished' });
    }
    const { resolution, readAt } = await this.decide(fact);
    await commitResolution(db, resolution, readAt);
    await this.publish(resolution);
    metrics.facts.inc({ outcome: 'resolved' });
  }

  private async decide(fact: ContactInbound): Promise<{ resolution: Resolution; readAt: LoadedView }> {
    const { db, keys, hashKey, deriveId, now } = this.deps;
    const emailHash = hashOf(hashKey, 'email', fact.identifiers.email);
    const phoneHash = hashOf(hashKey, 'phone', fact.identifiers.phone);
    const refs: IdentifierRef[] = [
      ...(emailHash ? [{ kind: 'email' as const, keyedHash: emailHash }] : []),
      ...(phoneHash ? [{ kind: 'phone' as const, keyedHash: phoneHash }] : []),
    ];
    const externalId = isBlockedIdentifierValue(fact.identifiers.externalId)
      ? null
      : fact.identifiers.externalId;
    const readAt = await loadIdentityView(db, { externalId, identifiers: refs });
    const decisions = decide({ fact, emailHash, phoneHash, recordedAt: now(), deriveId }, readAt.view);
    const identityEvents = [];
    const preferenceEvents: MarketingPreferenceUpdated[] = [];
    for (const decision of decisions) {
      switch (decision.type) {
        case 'rejected':
          this.deps.metrics.facts.inc({ outcome: 'rejected' });
          // Not retriable: the same fact and graph give the same answer. The library dead-letters
          // the original bytes with this code and reason.
          throw new ProcessingError(decision.code, decision.reason, false);
        case 'publish_identity':
          identityEvents.push(await sealIdentity(keys, decision.event));
          break;
        case 'publish_preference':
          preferenceEvents.push(decision.event);
          break;
        case 'reemit_preferences':
          preferenceEvents.push(...(await reemit(db, deriveId, decision)));
          break;
      }
    }
    return { resolution: { inboundEventId: fact.eventId, identityEvents, preferenceEvents }, readAt };
  }

  /** Identity events first, so a preference never names a contact the identity log has not registered. */
  private async publish(resolution: Resolution): Promise<void> {
    const { publisher, metrics, db } = this.deps;
    await publisher.publish(
      TOPICS.identity.name,
      resolution.identityEvents.map((e) => ({ key: e.externalId, value: e, eventId: e.eventId })),
    );
    await publisher.publish(
      TOPICS.marketingPreferenceUpdated.name,
      resolution.preferenceEvents.map((e) => ({ key: e.externalId, value: e, eventId: e.eventId })),
    );
    await markPublished(db, resolution.inboundEventId);
    for (const e of resolution.identityEvents) metrics.identityEvents.inc({ kind: e.kind });
    for (const e of resolution.preferenceEvents) {
      metrics.preferenceEvents.inc({
        origin: e.causationId === resolution.inboundEventId ? 'fact' : 'reemit',
      });
    }
  }
}

// Blocked placeholders are never hashed: the decider treats them as absent and wants no hash for them.
const hashOf = (hashKey: Buffer, kind: 'email' | 'phone', value: string | null): string | null =>
  value === null || isBlockedIdentifierValue(value) ? null : keyedHash(hashKey, kind, value);

import type { ContactInbound, IdentityEvent, MarketingPreferenceUpdated } from '@optstream/contracts';
import {
  commitResolution,
  emittedPreferencesOf,
  findResolution,
  findResolutions,
  GraphModel,
  IdentityConflictError,
  loadIdentityView,
  markPublishedMany,
  supersedes,
  withLockedView,
  writeBatch,
  type DataKeyStore,
  type EmittedPreference,
  type LoadedView,
  type Queryable,
  type Resolution,
} from '@optstream/identity-data-access';
import {
  decide,
  decideBatch,
  isBlockedIdentifierValue,
  type Decision,
  type DeriveId,
  type IdentifierRef,
  type ResolveInbound,
} from '@optstream/identity-domain';
import {
  ConsumedEvent,
  EventPublisher,
  ProcessingError,
  type BatchOutcome,
  type OutgoingEvent,
} from '@optstream/kafka';
import { traceparentOf, type Logger } from '@optstream/observability';
import { keyedHash } from '@optstream/pii-crypto';
import type { DataSource } from 'typeorm';
import type { ResolverMetrics } from '../observability/resolver-metrics';
import { classify, isInfrastructureFailure } from './errors';
import { reemit, reemitFrom } from './reemit';
import { sealIdentity, sealWith } from './seal-identity';

/** Tries of the batch path on conflicts before the batch is resolved fact by fact. */
const BATCH_ATTEMPTS = 3;

export interface ResolverTopics {
  readonly identity: string;
  readonly preferences: string;
}

export interface ResolverDeps {
  readonly db: DataSource;
  readonly keys: DataKeyStore;
  readonly publisher: EventPublisher;
  readonly hashKey: Buffer;
  readonly deriveId: DeriveId;
  readonly now: () => number;
  readonly metrics: ResolverMetrics;
  readonly log: Logger;
  readonly topics: ResolverTopics;
}

/**
 * Inbound facts → identity.v1 and marketing-preference-updated.v1 events. Order of effects:
 *   1. decide on a fresh view and commit the graph changes together with the outputs (the outbox row);
 *   2. publish the stored outputs (idempotent producer, acks=all);
 *   3. return, so the consumer library commits the input offset.
 * A crash anywhere replays the fact: before 1 it is decided afresh (same derived ids); after 1 the
 * stored outputs are published as they were; after 2 nothing is published again.
 *
 * `handleBatch` does the same for a partition's whole batch in a few round trips (see docs); on any
 * conflict it falls back to `handle`, fact by fact, so races are settled exactly as before.
 */
export class IdentityResolver {
  private marking: Promise<void> = Promise.resolve();

  constructor(private readonly deps: ResolverDeps) {}

  /** Waits for the background "published" marks (before the database closes). */
  async drain(): Promise<void> {
    await this.marking;
  }

  /** One fact (the fallback path, and `{ each }` consumers). */
  async handle(event: ConsumedEvent<unknown>): Promise<void> {
    const started = this.deps.now();
    // The codec decoded it against the registered contact-inbound.v1 schema.
    const fact = event.value as ContactInbound;
    try {
      await this.resolveOnce(fact, traceparentOf(event.headers));
      this.deps.metrics.resolveSeconds.observe((this.deps.now() - started) / 1000);
    } catch (error) {
      throw this.classified(error);
    }
  }

  /**
   * A partition's batch, in order. Facts the decider rejects are reported back for the consumer to
   * dead-letter; everything else is resolved, committed in one transaction and published in one go.
   */
  async handleBatch(events: readonly ConsumedEvent<unknown>[]): Promise<BatchOutcome> {
    const started = this.deps.now();
    const { metrics } = this.deps;
    // Erasures are rare and destroy keys: they take the per-fact path, in order with their neighbours.
    if (events.some((e) => (e.value as ContactInbound).kind === 'erasure_request')) {
      metrics.batches.inc({ path: 'fallback' });
      return this.resolveEach(events);
    }
    for (let attempt = 1; ; attempt += 1) {
      try {
        const outcome = await this.resolveBatch(events);
        metrics.batches.inc({ path: 'batch' });
        const seconds = (this.deps.now() - started) / 1000;
        for (let i = 0; i < events.length; i += 1) metrics.resolveSeconds.observe(seconds);
        return outcome;
      } catch (error) {
        const classified = this.classified(error);
        // An outage is not a conflict: the consumer waits it out and retries the whole batch.
        if (isInfrastructureFailure(classified)) throw classified;
        // A new row taken concurrently: the batch is decided again on the fresh graph (nothing of it
        // was kept); if it keeps colliding, fact by fact, where each fact retries on its own.
        if (error instanceof IdentityConflictError && attempt < BATCH_ATTEMPTS) continue;
        if (!(error instanceof IdentityConflictError)) {
          this.deps.log.warn({ err: errorText(error) }, 'batch resolution failed; resolving fact by fact');
        }
        metrics.batches.inc({ path: 'fallback' });
        return this.resolveEach(events);
      }
    }
  }

  private classified(error: unknown): unknown {
    if (error instanceof IdentityConflictError) this.deps.metrics.conflicts.inc();
    const classified = classify(error);
    if (isInfrastructureFailure(classified)) this.deps.metrics.infrastructureFailures.inc();
    return classified;
  }

  /**
   * The per-fact path over a batch: a rejected fact is reported, a retriable failure (a conflict that
   * persists, an outage) is thrown and the consumer retries the batch; facts resolved before it are
   * then recognised in the outbox and not resolved twice.
   */
  private async resolveEach(events: readonly ConsumedEvent<unknown>[]): Promise<BatchOutcome> {
    const rejected: { event: ConsumedEvent<unknown>; error: unknown }[] = [];
    for (const event of events) {
      try {
        await this.handle(event);
      } catch (error) {
        if (error instanceof ProcessingError && !error.retriable) rejected.push({ event, error });
        else throw error;
      }
    }
    return { rejected };
  }

  private async resolveOnce(fact: ContactInbound, traceparent: string | undefined): Promise<void> {
    const { db, metrics } = this.deps;
    const traces = new Map([[fact.eventId, traceparent]]);
    const stored = await findResolution(db, fact.eventId);
    if (stored !== null) {
      if (stored.published) return void metrics.facts.inc({ outcome: 'replayed' });
      await this.publish([stored], traces);
      return void metrics.facts.inc({ outcome: 'republished' });
    }
    const { resolution, readAt } = await this.decide(fact);
    await commitResolution(db, resolution, readAt);
    await this.publish([resolution], traces);
    metrics.facts.inc({ outcome: 'resolved' });
    if (fact.kind === 'erasure_request') this.countErasure(fact, resolution);
  }

  /**
   * An erasure that names no live contact erases nothing (its id is kept like every fact's): said
   * loudly, because whoever asked for it got a 202. A later request for the same contact is a new fact.
   */
  private countErasure(fact: ContactInbound, resolution: Resolution): void {
    const erased = resolution.identityEvents.some((e) => e.kind === 'contact_erased');
    this.deps.metrics.erasures.inc({ outcome: erased ? 'erased' : 'no_contact' });
    if (!erased) {
      this.deps.log.warn(
        { externalId: fact.identifiers.externalId, erasureRequest: fact.eventId },
        'erasure request named no live contact (unknown or already erased): nothing was erased',
      );
    }
  }

  private async decide(fact: ContactInbound): Promise<{ resolution: Resolution; readAt: LoadedView }> {
    const { db, keys, deriveId } = this.deps;
    const command = this.command(fact);
    const readAt = await loadIdentityView(db, {
      externalId: usableExternalId(fact),
      identifiers: refsOf(command),
    });
    const decisions = decide(command, readAt.view);
    const identityEvents: IdentityEvent[] = [];
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

  private async resolveBatch(events: readonly ConsumedEvent<unknown>[]): Promise<BatchOutcome> {
    const { db, metrics } = this.deps;
    // A fact delivered twice in one batch is resolved once; the later copy is a redelivery.
    const firsts = new Map<string, ConsumedEvent<unknown>>();
    let duplicates = 0;
    for (const event of events) {
      const id = (event.value as ContactInbound).eventId;
      if (firsts.has(id)) duplicates += 1;
      else firsts.set(id, event);
    }
    const stored = await findResolutions(db, [...firsts.keys()]);
    const fresh: { event: ConsumedEvent<unknown>; command: ResolveInbound }[] = [];
    for (const [id, event] of firsts) {
      if (!stored.has(id)) fresh.push({ event, command: this.command(event.value as ContactInbound) });
    }
    const { resolved, rejected } =
      fresh.length === 0 ? { resolved: [], rejected: [] } : await this.decideAndCommit(fresh);

    // Outputs in fact order: stored ones not yet acknowledged and the new ones.
    const byId = new Map(resolved.map((r) => [r.inboundEventId, r]));
    const toPublish: Resolution[] = [];
    let replayed = duplicates;
    let republished = 0;
    for (const id of firsts.keys()) {
      const s = stored.get(id);
      if (s === undefined) {
        const r = byId.get(id);
        if (r !== undefined) toPublish.push(r);
      } else if (s.published) {
        replayed += 1;
      } else {
        republished += 1;
        toPublish.push(s);
      }
    }
    await this.publish(toPublish, tracesOf(events));
    metrics.facts.inc({ outcome: 'replayed' }, replayed);
    metrics.facts.inc({ outcome: 'republished' }, republished);
    metrics.facts.inc({ outcome: 'resolved' }, resolved.length);
    metrics.facts.inc({ outcome: 'rejected' }, rejected.length);
    return { rejected };
  }

  /**
   * One transaction for all new facts of the batch: the view of all their identifiers, locked; the
   * facts decided one after another on it (decideBatch); the events sealed and re-emits built; the
   * graph changes (GraphModel, strict: the same preconditions the per-event statements check) and the
   * outbox rows written with bulk statements.
   */
  private async decideAndCommit(
    fresh: readonly { event: ConsumedEvent<unknown>; command: ResolveInbound }[],
  ): Promise<{ resolved: Resolution[]; rejected: { event: ConsumedEvent<unknown>; error: unknown }[] }> {
    const query = {
      externalIds: fresh.flatMap((f) => usableExternalId(f.command.fact) ?? []),
      identifiers: fresh.flatMap((f) => refsOf(f.command)),
    };
    return withLockedView(this.deps.db, query, async (q, readAt) => {
      const { decisions } = decideBatch(
        fresh.map((f) => f.command),
        readAt.view,
      );
      const rejected: { event: ConsumedEvent<unknown>; error: unknown }[] = [];
      const accepted: { fact: ContactInbound; decisions: readonly Decision[] }[] = [];
      fresh.forEach((f, i) => {
        const decided = decisions[i] ?? [];
        const rejection = decided.find((d) => d.type === 'rejected');
        if (rejection?.type === 'rejected') {
          rejected.push({
            event: f.event,
            error: new ProcessingError(rejection.code, rejection.reason, false),
          });
        } else {
          accepted.push({ fact: f.command.fact, decisions: decided });
        }
      });
      const resolved = await this.materialize(q, accepted);
      const model = new GraphModel(readAt.view);
      for (const r of resolved) {
        for (const e of r.identityEvents) model.apply(e, 'strict');
        for (const e of r.preferenceEvents) model.touchContact(e.externalId);
      }
      if (resolved.length > 0) await writeBatch(q, model.writes(), resolved);
      return { resolved, rejected };
    });
  }

  /**
   * Decisions → final events, batch-wide: one bulk fetch of the data keys every identifier is sealed
   * under, and re-emits built from the emitted preferences as they stand at that point of the batch
   * (stored ones, overlaid with the batch's own earlier preference events).
   */
  private async materialize(
    q: Queryable,
    accepted: readonly { fact: ContactInbound; decisions: readonly Decision[] }[],
  ): Promise<Resolution[]> {
    const { keys, deriveId } = this.deps;
    const all = accepted.flatMap((a) => a.decisions);
    const sealedFor = all.flatMap((d) =>
      d.type === 'publish_identity' && d.event.identifier !== null ? [d.event.externalId] : [],
    );
    const dataKeys = sealedFor.length > 0 ? await keys.keysFor(sealedFor) : new Map();
    const reemitFromIds = all.flatMap((d) => (d.type === 'reemit_preferences' ? [d.from] : []));
    const emitted = new Map<string, Map<string, EmittedPreference>>();
    for (const [id, list] of await emittedPreferencesOf(q, reemitFromIds)) {
      emitted.set(id, new Map(list.map((p) => [p.channel, p])));
    }
    const remember = (e: MarketingPreferenceUpdated): void => {
      if (reemitFromIds.length === 0) return;
      const channels = emitted.get(e.externalId) ?? new Map<string, EmittedPreference>();
      const current = channels.get(e.channel);
      if (current === undefined || supersedes(e, current)) channels.set(e.channel, e);
      emitted.set(e.externalId, channels);
    };
    return accepted.map(({ fact, decisions }) => {
      const identityEvents: IdentityEvent[] = [];
      const preferenceEvents: MarketingPreferenceUpdated[] = [];
      for (const decision of decisions) {
        switch (decision.type) {
          case 'publish_identity':
            identityEvents.push(sealWith(dataKeys, decision.event));
            break;
          case 'publish_preference':
            preferenceEvents.push(decision.event);
            remember(decision.event);
            break;
          case 'reemit_preferences': {
            const latest = [...(emitted.get(decision.from)?.values() ?? [])].sort((a, b) =>
              a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0,
            );
            for (const e of reemitFrom(deriveId, decision, latest)) {
              preferenceEvents.push(e);
              remember(e);
            }
            break;
          }
          case 'rejected':
            break;
        }
      }
      return { inboundEventId: fact.eventId, identityEvents, preferenceEvents };
    });
  }

  private async publishSliced<T>(topic: string, events: readonly OutgoingEvent<T>[]): Promise<void> {
    const slices = [];
    for (let i = 0; i < events.length; i += PUBLISH_SLICE) {
      slices.push(this.deps.publisher.publish(topic, events.slice(i, i + PUBLISH_SLICE)));
    }
    await Promise.all(slices);
  }

  private command(fact: ContactInbound): ResolveInbound {
    const { hashKey, deriveId, now } = this.deps;
    return {
      fact,
      emailHash: hashOf(hashKey, 'email', fact.identifiers.email),
      phoneHash: hashOf(hashKey, 'phone', fact.identifiers.phone),
      recordedAt: now(),
      deriveId,
    };
  }

  /**
   * Identity events of all the given resolutions first (one send), then all their preference events
   * (one send), so a preference never names a contact the identity log has not registered; then the
   * outbox rows are marked published in one statement. Every output carries the `traceparent` of the
   * inbound fact that caused it (`traces`, by inbound eventId), so the trace continues downstream.
   */
  private async publish(
    resolutions: readonly Resolution[],
    traces: ReadonlyMap<string, string | undefined>,
  ): Promise<void> {
    if (resolutions.length === 0) return;
    const { metrics, db, topics } = this.deps;
    await this.publishSliced(
      topics.identity,
      resolutions.flatMap((r) =>
        r.identityEvents.map((e) => ({
          key: e.externalId,
          value: e,
          eventId: e.eventId,
          traceparent: traces.get(r.inboundEventId),
        })),
      ),
    );
    await this.publishSliced(
      topics.preferences,
      resolutions.flatMap((r) =>
        r.preferenceEvents.map((e) => ({
          key: e.externalId,
          value: e,
          eventId: e.eventId,
          traceparent: traces.get(r.inboundEventId),
        })),
      ),
    );
    // The mark only spares a redelivery the republishing (same bytes, same ids): it need not hold up
    // the offset commit. Marks run one after another in the background; `drain` awaits them.
    const ids = resolutions.map((r) => r.inboundEventId);
    this.marking = this.marking
      .then(() => markPublishedMany(db, ids))
      .catch((error: unknown) =>
        this.deps.log.warn({ err: errorText(error) }, 'marking outputs published failed'),
      );
    for (const r of resolutions) {
      for (const e of r.identityEvents) metrics.identityEvents.inc({ kind: e.kind });
      for (const e of r.preferenceEvents) {
        metrics.preferenceEvents.inc({ origin: e.causationId === r.inboundEventId ? 'fact' : 'reemit' });
      }
    }
  }
}

/**
 * A batch's events go out in slices: the publisher keeps call order and merges the slices into
 * requests of up to 2,000 messages, so one key's run stays far below the broker's 1 MiB record-batch
 * limit even when a large batch concerns few contacts.
 */
const PUBLISH_SLICE = 500;

/** The inbound facts' traceparents by eventId (the first copy of a fact delivered twice wins). */
const tracesOf = (events: readonly ConsumedEvent<unknown>[]): Map<string, string | undefined> => {
  const traces = new Map<string, string | undefined>();
  for (const event of events) {
    const id = (event.value as ContactInbound).eventId;
    if (!traces.has(id)) traces.set(id, traceparentOf(event.headers));
  }
  return traces;
};

const usableExternalId = (fact: ContactInbound): string | null =>
  isBlockedIdentifierValue(fact.identifiers.externalId) ? null : fact.identifiers.externalId;

const refsOf = (command: ResolveInbound): IdentifierRef[] => [
  ...(command.emailHash ? [{ kind: 'email' as const, keyedHash: command.emailHash }] : []),
  ...(command.phoneHash ? [{ kind: 'phone' as const, keyedHash: command.phoneHash }] : []),
];

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

// Blocked placeholders are never hashed: the decider treats them as absent and wants no hash for them.
const hashOf = (hashKey: Buffer, kind: 'email' | 'phone', value: string | null): string | null =>
  value === null || isBlockedIdentifierValue(value) ? null : keyedHash(hashKey, kind, value);

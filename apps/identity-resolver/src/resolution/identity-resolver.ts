import type { ContactInbound } from '@optstream/contracts';
import {
  findResolutions,
  GraphModel,
  IdentityConflictError,
  withLockedView,
  writeBatch,
  type DataKeyStore,
  type Resolution,
} from '@optstream/identity-data-access';
import { decideBatch, type DeriveId, type ResolveInbound } from '@optstream/identity-domain';
import {
  ConsumedEvent,
  errorMessage,
  EventPublisher,
  ProcessingError,
  type BatchOutcome,
} from '@optstream/kafka';
import { traceparentOf, type Logger } from '@optstream/observability';
import type { DataSource } from 'typeorm';
import type { ResolverMetrics } from '../observability/resolver-metrics';
import { classify, isInfrastructureFailure } from './errors';
import { factIdentifiers, viewQueryOf, type FactIdentifiers } from './fact-identifiers';
import { materialize, type AcceptedFact } from './materialize';
import { ResolutionPublisher, type ResolverTopics } from './publish-resolutions';

export type { ResolverTopics } from './publish-resolutions';

/** Tries of a batch on conflicts before it is resolved fact by fact (each a batch of one). */
const BATCH_ATTEMPTS = 3;

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

type Rejected = NonNullable<BatchOutcome['rejected']>[number];

interface FreshFact {
  readonly event: ConsumedEvent<unknown>;
  readonly command: ResolveInbound;
  readonly ids: FactIdentifiers;
}

/**
 * Inbound facts → identity.v1 and marketing-preference-updated.v1 events, a batch at a time (one fact
 * is a batch of one). Order of effects:
 *   1. decide the batch on a locked view and commit the graph changes together with the outputs (the
 *      outbox rows), in one transaction;
 *   2. publish the stored outputs (idempotent producer, acks=all);
 *   3. return, so the consumer library commits the input offsets.
 * A crash anywhere replays the facts: before 1 they are decided afresh (same derived ids); after 1 the
 * stored outputs are published as they were; after 2 nothing is published again.
 */
export class IdentityResolver {
  private readonly outputs: ResolutionPublisher;

  constructor(private readonly deps: ResolverDeps) {
    this.outputs = new ResolutionPublisher(deps);
  }

  /** Waits for the background "published" marks (before the database closes). */
  async drain(): Promise<void> {
    await this.outputs.drain();
  }

  /**
   * A partition's batch, in order. Facts the decider rejects are reported back for the consumer to
   * dead-letter; everything else is resolved, committed and published. An erasure is a batch of its
   * own, in order with its neighbours: it removes a contact and destroys keys, which the batch decider
   * does not fold into the view it decides later facts on.
   */
  async handleBatch(events: readonly ConsumedEvent<unknown>[]): Promise<BatchOutcome> {
    const rejected: Rejected[] = [];
    for (const run of runsBetweenErasures(events)) {
      rejected.push(...((await this.resolveRun(run)).rejected ?? []));
    }
    return { rejected };
  }

  /**
   * One transaction for the run; a conflict decides it again on the fresh graph (nothing of it was
   * kept); if it keeps colliding, or fails otherwise, fact by fact, each a batch of one, so one fact's
   * failure is its own. A rejected fact is reported; an outage, or a batch of one that cannot be
   * resolved yet, is thrown and the consumer retries the batch (facts resolved before it are then
   * recognised in the outbox and not resolved twice).
   */
  private async resolveRun(events: readonly ConsumedEvent<unknown>[]): Promise<BatchOutcome> {
    const started = this.deps.now();
    const { metrics } = this.deps;
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
        if (error instanceof IdentityConflictError && attempt < BATCH_ATTEMPTS) continue;
        const [only] = events;
        if (events.length === 1 && only !== undefined) return this.failedAlone(only, classified);
        if (!(error instanceof IdentityConflictError)) {
          this.deps.log.warn({ err: errorMessage(error) }, 'batch resolution failed; resolving fact by fact');
        }
        metrics.batches.inc({ path: 'fallback' });
        const rejected: Rejected[] = [];
        for (const event of events) rejected.push(...((await this.resolveRun([event])).rejected ?? []));
        return { rejected };
      }
    }
  }

  /** A fact that failed in a batch of one: rejected when the failure is final, else retried later. */
  private failedAlone(event: ConsumedEvent<unknown>, error: unknown): BatchOutcome {
    if (error instanceof ProcessingError && !error.retriable) {
      this.deps.metrics.facts.inc({ outcome: 'rejected' });
      return { rejected: [{ event, error }] };
    }
    throw error;
  }

  private classified(error: unknown): unknown {
    if (error instanceof IdentityConflictError) this.deps.metrics.conflicts.inc();
    const classified = classify(error);
    if (isInfrastructureFailure(classified)) this.deps.metrics.infrastructureFailures.inc();
    return classified;
  }

  private async resolveBatch(events: readonly ConsumedEvent<unknown>[]): Promise<BatchOutcome> {
    const { db, metrics } = this.deps;
    // A fact delivered twice in one batch is resolved once; the later copy is a redelivery.
    const firsts = new Map<string, ConsumedEvent<unknown>>();
    let duplicates = 0;
    for (const event of events) {
      const id = factOf(event).eventId;
      if (firsts.has(id)) duplicates += 1;
      else firsts.set(id, event);
    }
    const stored = await findResolutions(db, [...firsts.keys()]);
    const fresh: FreshFact[] = [];
    for (const [id, event] of firsts) if (!stored.has(id)) fresh.push(this.freshFact(event));
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
    await this.outputs.publish(toPublish, tracesOf(events));
    metrics.facts.inc({ outcome: 'replayed' }, replayed);
    metrics.facts.inc({ outcome: 'republished' }, republished);
    metrics.facts.inc({ outcome: 'resolved' }, resolved.length);
    metrics.facts.inc({ outcome: 'rejected' }, rejected.length);
    for (const f of fresh) {
      const r = byId.get(f.command.fact.eventId);
      if (r !== undefined && f.command.fact.kind === 'erasure_request') this.countErasure(f.command.fact, r);
    }
    return { rejected };
  }

  /**
   * One transaction for all new facts of the batch: the view of all their identifiers, locked; the
   * facts decided one after another on it (decideBatch); the events sealed and re-emits built
   * (materialize); the graph changes (GraphModel, strict: what the batch writes must apply to the
   * graph as read) and the outbox rows written with bulk statements (writeBatch).
   */
  private async decideAndCommit(
    fresh: readonly FreshFact[],
  ): Promise<{ resolved: Resolution[]; rejected: Rejected[] }> {
    const query = viewQueryOf(fresh.map((f) => f.ids));
    return withLockedView(this.deps.db, query, async (q, readAt) => {
      const { decisions } = decideBatch(
        fresh.map((f) => f.command),
        readAt.view,
      );
      const rejected: Rejected[] = [];
      const accepted: AcceptedFact[] = [];
      fresh.forEach((f, i) => {
        const decided = decisions[i] ?? [];
        const rejection = decided.find((d) => d.type === 'rejected');
        if (rejection?.type === 'rejected') {
          // Not retriable: the same fact and graph give the same answer. The library dead-letters
          // the original bytes with this code and reason.
          rejected.push({
            event: f.event,
            error: new ProcessingError(rejection.code, rejection.reason, false),
          });
        } else {
          accepted.push({ fact: f.command.fact, decisions: decided });
        }
      });
      const resolved = await materialize(q, this.deps, accepted);
      const model = new GraphModel(readAt.view, readAt.erased);
      for (const r of resolved) {
        for (const e of r.identityEvents) model.apply(e, 'strict');
        for (const e of r.preferenceEvents) model.touchContact(e.externalId);
      }
      if (resolved.length > 0) await writeBatch(q, model.writes(), resolved);
      return { resolved, rejected };
    });
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

  private freshFact(event: ConsumedEvent<unknown>): FreshFact {
    const { hashKey, deriveId, now } = this.deps;
    const fact = factOf(event);
    const ids = factIdentifiers(hashKey, fact);
    return {
      event,
      ids,
      command: { fact, emailHash: ids.emailHash, phoneHash: ids.phoneHash, recordedAt: now(), deriveId },
    };
  }
}

// The codec decoded it against the registered contact-inbound.v1 schema.
const factOf = (event: ConsumedEvent<unknown>): ContactInbound => event.value as ContactInbound;

/** The batch split so that every erasure request is a run of its own, in order. */
const runsBetweenErasures = (events: readonly ConsumedEvent<unknown>[]): ConsumedEvent<unknown>[][] => {
  const runs: ConsumedEvent<unknown>[][] = [];
  let current: ConsumedEvent<unknown>[] = [];
  for (const event of events) {
    if (factOf(event).kind !== 'erasure_request') {
      current.push(event);
      continue;
    }
    if (current.length > 0) runs.push(current);
    runs.push([event]);
    current = [];
  }
  if (current.length > 0) runs.push(current);
  return runs;
};

/** The inbound facts' traceparents by eventId (the first copy of a fact delivered twice wins). */
const tracesOf = (events: readonly ConsumedEvent<unknown>[]): Map<string, string | undefined> => {
  const traces = new Map<string, string | undefined>();
  for (const event of events) {
    const id = factOf(event).eventId;
    if (!traces.has(id)) traces.set(id, traceparentOf(event.headers));
  }
  return traces;
};

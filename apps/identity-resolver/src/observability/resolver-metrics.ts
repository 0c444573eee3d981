import {
  consumerLagGauge,
  counter,
  createMetricsRegistry,
  histogram,
  Registry,
} from '@optstream/observability';

/** How one inbound fact ended: resolved now, already resolved (redelivery), or dead-lettered. */
export type FactOutcome = 'resolved' | 'replayed' | 'republished' | 'rejected';

export class ResolverMetrics {
  readonly registry: Registry = createMetricsRegistry('identity-resolver');
  readonly consumerLag = consumerLagGauge(this.registry);
  readonly facts = counter<'outcome'>(
    this.registry,
    'identity_resolver_facts_total',
    'Inbound facts by outcome (resolved, replayed, republished, rejected)',
    ['outcome'],
  );
  readonly conflicts = counter(
    this.registry,
    'identity_resolver_conflicts_total',
    'Resolutions that lost a race to another writer and were retried on a fresh view',
    [],
  );
  readonly identityEvents = counter<'kind'>(
    this.registry,
    'identity_resolver_identity_events_total',
    'identity.v1 events published, by kind',
    ['kind'],
  );
  readonly preferenceEvents = counter<'origin'>(
    this.registry,
    'identity_resolver_preference_events_total',
    'marketing-preference-updated.v1 events published (origin: fact or reemit)',
    ['origin'],
  );
  readonly deadLetters = counter(
    this.registry,
    'identity_resolver_dead_letters_total',
    'Inbound messages moved to identity.dead-letter.v1',
    [],
  );
  readonly erasures = counter<'outcome'>(
    this.registry,
    'identity_resolver_erasures_total',
    'Erasure requests carried out (outcome: erased = a live contact was erased; no_contact = the request named nobody, nothing was erased)',
    ['outcome'],
  );
  readonly batches = counter<'path'>(
    this.registry,
    'identity_resolver_batches_total',
    'Batches resolved (path: batch = in one transaction, a fact resolved alone counting as a batch of one; fallback = a batch that was resolved fact by fact after a conflict or failure)',
    ['path'],
  );
  readonly infrastructureFailures = counter(
    this.registry,
    'identity_resolver_infrastructure_failures_total',
    'Attempts that failed because Postgres or Kafka was unavailable (retried without limit, never dead-lettered)',
    [],
  );
  readonly resolveSeconds = histogram(
    this.registry,
    'identity_resolver_fact_seconds',
    'Time from receiving an inbound fact to its outputs being acknowledged by Kafka',
  );
}

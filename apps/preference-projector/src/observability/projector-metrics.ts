import {
  consumerLagGauge,
  counter,
  createMetricsRegistry,
  histogram,
  Registry,
} from '@optstream/observability';

export class ProjectorMetrics {
  readonly registry: Registry = createMetricsRegistry('preference-projector');
  readonly consumerLag = consumerLagGauge(this.registry);
  readonly events = counter<'topic' | 'outcome'>(
    this.registry,
    'projector_events_total',
    'Consumed events per topic and outcome (applied, already_applied, duplicate, dead_lettered, ignored)',
    ['topic', 'outcome'],
  );
  readonly batchSeconds = histogram<'topic'>(
    this.registry,
    'projector_batch_seconds',
    'Time to apply one partition batch in its Postgres transaction',
    ['topic'],
  );
  readonly statesPublished = counter(
    this.registry,
    'projector_state_messages_total',
    'Contact states published to the state topic (one per effective change)',
    [],
  );
  readonly requests = counter<'route' | 'status'>(
    this.registry,
    'read_api_requests_total',
    'Read API requests per route and status',
    ['route', 'status'],
  );
}

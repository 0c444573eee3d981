import {
  consumerLagGauge,
  counter,
  createMetricsRegistry,
  gauge,
  histogram,
  Registry,
} from '@optstream/observability';

/** Per-provider counters the alert rules (deploy/k8s) name; label values are never contact data. */
export class ConnectorMetrics {
  readonly registry: Registry;
  readonly requests;
  readonly requestSeconds;
  readonly retries;
  readonly deliveries;
  readonly parked;
  readonly circuitOpen;
  readonly integrationLatency;
  readonly consumerLag;

  constructor(service: string) {
    this.registry = createMetricsRegistry(service);
    this.requests = counter<'provider' | 'status'>(
      this.registry,
      'api_client_requests_total',
      'Provider API requests by provider and HTTP status (or "network" for no answer)',
      ['provider', 'status'],
    );
    this.requestSeconds = histogram<'provider'>(
      this.registry,
      'api_client_request_seconds',
      'Provider API request latency',
      ['provider'],
    );
    this.retries = counter<'provider'>(
      this.registry,
      'connector_retries_total',
      'Provider requests retried after a transient failure',
      ['provider'],
    );
    this.deliveries = counter<'provider' | 'outcome'>(
      this.registry,
      'connector_deliveries_total',
      'Contact states per provider and outcome: delivered, skipped (no-op), not_applicable, parked, dead_lettered',
      ['provider', 'outcome'],
    );
    this.parked = gauge<'provider'>(
      this.registry,
      'connector_parked_contacts',
      'Contacts currently parked per provider',
      ['provider'],
    );
    this.circuitOpen = gauge<'provider'>(
      this.registry,
      'connector_circuit_open',
      '1 while the provider circuit breaker is open (or half-open), 0 when closed',
      ['provider'],
    );
    this.integrationLatency = histogram<'provider'>(
      this.registry,
      'integration_latency_seconds',
      'From the state change (updatedAt) to the provider acknowledging it',
      ['provider'],
    );
    this.consumerLag = consumerLagGauge(this.registry);
  }
}

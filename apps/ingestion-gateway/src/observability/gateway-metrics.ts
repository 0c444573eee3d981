import { counter, createMetricsRegistry, gauge, histogram, Registry } from '@optstream/observability';

export type Endpoint =
  | 'sendgrid'
  | 'twilio_sms'
  | 'mailchimp'
  | 'segment_identify'
  | 'segment_track'
  | 'segment_batch'
  | 'segment_page'
  | 'segment_screen'
  | 'segment_group'
  | 'segment_alias'
  | 'preferences'
  | 'links';
export type Outcome = 'accepted' | 'bad_request' | 'unauthorized' | 'payload_too_large' | 'unavailable';
export type EventOutcome = 'published' | 'spooled' | 'ignored' | 'dead_lettered' | 'rejected';

/** The gateway's metrics, named after the seed's list where it has a name for them. */
export class GatewayMetrics {
  readonly registry: Registry = createMetricsRegistry('ingestion-gateway');
  readonly invocations = counter<'endpoint' | 'outcome'>(
    this.registry,
    'webhook_handler_invocations_total',
    'Requests per endpoint and outcome (accepted, bad_request, unauthorized, payload_too_large, unavailable)',
    ['endpoint', 'outcome'],
  );
  readonly events = counter<'endpoint' | 'outcome'>(
    this.registry,
    'ingestion_events_total',
    'Provider events per endpoint and outcome (published, spooled, ignored, dead_lettered, rejected)',
    ['endpoint', 'outcome'],
  );
  readonly publishSeconds = histogram(
    this.registry,
    'ingestion_publish_seconds',
    'Time until Kafka acknowledged (acks=all)',
  );
  readonly spoolDepth = gauge(
    this.registry,
    'ingestion_spool_depth',
    'Accepted events waiting in the local spool for Kafka',
  );
}

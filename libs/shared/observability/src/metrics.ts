import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One registry per service, with process metrics, served at /metrics. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

export function counter<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
): Counter<L> {
  return new Counter({ name, help, labelNames, registers: [registry] });
}

export function gauge<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[] = [],
): Gauge<L> {
  return new Gauge({ name, help, labelNames, registers: [registry] });
}

/** Latency buckets from 1 ms to 10 s: webhook answers and publish acknowledgements live in this range. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function histogram<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[] = [],
  buckets: number[] = LATENCY_BUCKETS,
): Histogram<L> {
  return new Histogram({ name, help, labelNames, buckets, registers: [registry] });
}

export { Registry } from 'prom-client';

/** Labels of `kafka_consumer_lag`. */
export type ConsumerLagLabel = 'group' | 'topic' | 'partition';

/**
 * `kafka_consumer_lag`: messages of a partition not yet processed by this member, from the high
 * watermark of its last fetch and the offset it has processed up to. Set per batch, so it is as fresh
 * as the last fetch; a partition that was taken away is dropped on the next rebalance.
 */
export function consumerLagGauge(registry: Registry): Gauge<ConsumerLagLabel> {
  return gauge(
    registry,
    'kafka_consumer_lag',
    'Messages behind the partition high watermark, per consumer group, topic and partition',
    ['group', 'topic', 'partition'],
  );
}

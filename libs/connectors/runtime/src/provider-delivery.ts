import { backoffDelay, type RetryPolicy } from '@optstream/backoff';
import type { DeadLetter } from '@optstream/contracts';
import type {
  ContactConsent,
  DeliveryOutcome,
  DeliveryResult,
  ProviderAdapter,
} from '@optstream/connectors-domain';
import type { DeliveredMark, DeliveryLog, ParkingLot } from '@optstream/connectors-data-access';
import type { ContactAddresses } from '@optstream/contact-addresses';
import { Semaphore } from '@optstream/connectors-providers';
import { withSpan, type Logger } from '@optstream/observability';
import { maskPii } from '@optstream/pii-crypto';
import type { ConnectorMetrics } from './connector-metrics';
import { settleAll } from './settle-all';
import type { PendingDelivery } from './pending-delivery';

export interface AddressLookup {
  addressesOf(externalIds: readonly string[]): Promise<Map<string, ContactAddresses>>;
}

export type DeadLetterSink = (record: DeadLetter) => Promise<void>;

export interface DeliveryContext {
  readonly service: string;
  readonly deliveries: DeliveryLog;
  readonly parking: ParkingLot;
  readonly addresses: AddressLookup;
  readonly deadLetter: DeadLetterSink;
  /**
   * Parked retries: `maxAttempts` parked attempts before the dead-letter topic, the delay exponential in
   * them, without jitter (the poll interval spreads them already), never earlier than the provider asked.
   */
  readonly schedule: RetryPolicy;
  readonly metrics: ConnectorMetrics;
  readonly log: Logger;
  readonly now: () => Date;
}

/**
 * Hands a set of contact states to ONE provider: skips what it already holds (same or newer version,
 * or the same representable consent), looks up addresses only if the provider is keyed by them, sends
 * in the provider's batch size (up to `slots` batches in flight), then records every outcome in Postgres
 * before returning — delivered (marked), transient failure (parked), refused (dead-lettered). The caller commits the Kafka offsets
 * only after this resolves, so a crash re-delivers and the marks turn the repeat into a skip.
 */
export async function deliverToProvider(
  adapter: ProviderAdapter,
  pending: readonly PendingDelivery[],
  context: DeliveryContext,
  slots: Semaphore = new Semaphore(1),
): Promise<void> {
  if (pending.length === 0) return;
  const { provider } = adapter;
  const marks = await context.deliveries.lastDelivered(
    provider,
    pending.map((p) => p.consent.externalId),
  );
  const unchanged: DeliveredMark[] = [];
  const toSend: PendingDelivery[] = [];
  for (const item of pending) {
    const { externalId, version } = item.consent;
    const mark = marks.get(externalId);
    if (mark !== undefined && mark.version >= version) {
      context.metrics.deliveries.inc({ provider, outcome: 'skipped' });
      unchanged.push(mark);
    } else if (mark !== undefined && mark.fingerprint === adapter.fingerprint(item.consent)) {
      context.metrics.deliveries.inc({ provider, outcome: 'skipped' });
      unchanged.push({ externalId, version, fingerprint: mark.fingerprint });
    } else toSend.push(item);
  }
  await record(context, adapter, unchanged);
  if (toSend.length === 0) return;

  const withAddresses = await attachAddresses(adapter, toSend, context.addresses);
  const chunks: PendingDelivery[][] = [];
  for (let at = 0; at < withAddresses.length; at += adapter.maxBatch)
    chunks.push(withAddresses.slice(at, at + adapter.maxBatch));
  // The chunks carry different contacts, so they may be in flight together, as many as the provider
  // allows (`slots`, shared with the other partitions' batches; held for the provider call only). Each
  // records its own outcomes, so a crash re-sends only the chunks whose marks were not written yet.
  await settleAll(chunks.map((chunk) => sendChunk(adapter, chunk, context, slots)));
}

async function sendChunk(
  adapter: ProviderAdapter,
  chunk: readonly PendingDelivery[],
  context: DeliveryContext,
  slots: Semaphore,
): Promise<void> {
  // One span per provider call, in the trace of the chunk's first contact (linked to the others'):
  // the adapter's HTTP requests run inside it and carry it in their `traceparent` header.
  const traces = chunk.map((c) => c.traceparent);
  const results = await slots.run(() =>
    withSpan(
      `${adapter.provider} deliver`,
      traces.find((t) => t !== undefined),
      () => adapter.deliver(chunk.map((c) => c.consent)),
      {
        attributes: { 'optstream.provider': adapter.provider, 'optstream.contacts': chunk.length },
        links: traces,
      },
    ),
  );
  await settle(adapter, chunk, results, context);
}

async function attachAddresses(
  adapter: ProviderAdapter,
  items: readonly PendingDelivery[],
  lookup: AddressLookup,
): Promise<PendingDelivery[]> {
  if (adapter.needs.length === 0) return [...items];
  const found = await lookup.addressesOf(items.map((i) => i.consent.externalId));
  return items.map((item) => {
    const addresses = found.get(item.consent.externalId) ?? {};
    const consent: ContactConsent = {
      ...item.consent,
      ...(adapter.needs.includes('email') && addresses.email ? { email: addresses.email } : {}),
      ...(adapter.needs.includes('phone') && addresses.phone ? { phone: addresses.phone } : {}),
    };
    return { ...item, consent };
  });
}

async function settle(
  adapter: ProviderAdapter,
  chunk: readonly PendingDelivery[],
  results: readonly DeliveryResult[],
  context: DeliveryContext,
): Promise<void> {
  const byContact = new Map(results.map((r) => [r.externalId, r.outcome]));
  const delivered: DeliveredMark[] = [];
  for (const item of chunk) {
    const outcome: DeliveryOutcome = byContact.get(item.consent.externalId) ?? {
      kind: 'retry',
      reason: `${adapter.provider} adapter returned no result for this contact`,
    };
    if (outcome.kind === 'delivered' || outcome.kind === 'not-applicable') {
      context.metrics.deliveries.inc({
        provider: adapter.provider,
        outcome: outcome.kind === 'delivered' ? 'delivered' : 'not_applicable',
      });
      if (outcome.kind === 'delivered' && item.changedAt !== undefined)
        context.metrics.integrationLatency.observe(
          { provider: adapter.provider },
          Math.max(0, context.now().getTime() - item.changedAt) / 1000,
        );
      delivered.push({
        externalId: item.consent.externalId,
        version: item.consent.version,
        fingerprint: adapter.fingerprint(item.consent),
      });
    } else if (outcome.kind === 'retry') await park(adapter, item, outcome, context);
    else await deadLetter(adapter, item, outcome.reason, 'PROVIDER_REJECTED', context);
  }
  await record(context, adapter, delivered);
}

async function record(
  context: DeliveryContext,
  adapter: ProviderAdapter,
  marks: readonly DeliveredMark[],
): Promise<void> {
  // One statement: the marks, and the parked deliveries they make obsolete.
  await context.deliveries.markDelivered(adapter.provider, marks);
}

async function park(
  adapter: ProviderAdapter,
  item: PendingDelivery,
  outcome: { reason: string; retryAfterMs?: number },
  context: DeliveryContext,
): Promise<void> {
  const at = context.now();
  const attempts = await context.parking.park({
    provider: adapter.provider,
    consent: item.consent,
    original: item.traceparent ? { ...item.original, traceparent: item.traceparent } : item.original,
    error: outcome.reason,
    at,
    nextAttemptAt: (n) =>
      new Date(
        at.getTime() + Math.max(backoffDelay(context.schedule, n, 'none', 0), outcome.retryAfterMs ?? 0),
      ),
  });
  if (attempts >= context.schedule.maxAttempts) {
    await deadLetter(
      adapter,
      { ...item, parkedAttempts: attempts },
      `gave up after ${attempts} parked attempts: ${outcome.reason}`,
      'PROVIDER_RETRIES_EXHAUSTED',
      context,
    );
    return;
  }
  context.metrics.deliveries.inc({ provider: adapter.provider, outcome: 'parked' });
  context.log.warn(
    { provider: adapter.provider, externalId: item.consent.externalId, attempts, reason: outcome.reason },
    'delivery parked',
  );
}

async function deadLetter(
  adapter: ProviderAdapter,
  item: PendingDelivery,
  reason: string,
  errorCode: string,
  context: DeliveryContext,
): Promise<void> {
  const at = context.now().getTime();
  const { original, consent } = item;
  await context.deadLetter({
    service: context.service,
    originalTopic: original.topic,
    originalPartition: original.partition,
    originalOffset: original.offset,
    originalKey: original.key,
    originalValue: original.value,
    originalHeaders: [
      { key: 'optstream-provider', value: Buffer.from(adapter.provider) },
      { key: 'optstream-state-version', value: Buffer.from(String(consent.version)) },
      // A replay of this dead letter continues the state message's trace.
      ...(item.traceparent ? [{ key: 'traceparent', value: Buffer.from(item.traceparent) }] : []),
    ],
    errorCode,
    // A provider's answer may quote the address it was sent: masked like a log line. The state bytes
    // carry only the pseudonymous externalId, so they stay as they are (replayable).
    reason: maskPii(
      `${adapter.provider} refused contact ${consent.externalId} (state version ${consent.version}): ${reason}`,
    ),
    attempts: Math.max(1, item.parkedAttempts),
    firstFailedAt: item.firstFailedAt?.getTime() ?? at,
    lastFailedAt: at,
    sealedWithKeyId: null,
    redacted: null,
  });
  await context.parking.remove(adapter.provider, consent.externalId, consent.version);
  context.metrics.deliveries.inc({ provider: adapter.provider, outcome: 'dead_lettered' });
  context.log.error(
    { provider: adapter.provider, externalId: consent.externalId, reason },
    'delivery dead-lettered',
  );
}

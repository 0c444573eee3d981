import { DeadLetter, TOPICS } from '@optstream/contracts';
import { MapResult, MappedRejection, withTimeSanity } from '@optstream/ingestion-domain';
import type { SourceTrust } from '@optstream/contracts';
import { SpoolRecord } from '@optstream/ingestion-spool';
import { AvroCodec, deadLetterFromHttp, HEADER } from '@optstream/kafka';
import { traceparentOfSpan, withSpan } from '@optstream/observability';
import { Endpoint, GatewayMetrics } from '../observability/gateway-metrics';
import { Durability, InboundPublisher, RecordContext } from './inbound-publisher';

/**
 * single: one object from our own systems or a Segment call; a bad one is answered 400 and nothing is published.
 * provider: a provider's webhook; good events go through, bad ones go to the dead-letter topic with their
 * original payload, and the provider gets 2xx so it does not retry forever (rule 7).
 */
export type IntakeMode = 'single' | 'provider';

export interface IntakeRequest {
  readonly endpoint: Endpoint;
  readonly mode: IntakeMode;
  readonly results: readonly MapResult[];
  readonly rawBody: Buffer;
  readonly receivedAt: number;
  readonly context: RecordContext;
  /** How far the credential that sent it is trusted; omitted: server (signed webhooks, signed API). */
  readonly sourceTrust?: SourceTrust;
}

export interface IntakeOptions {
  /** An occurredAt further than this after receipt is clamped to receivedAt (docs/consent-model.md). */
  readonly maxFutureSkewMs: number;
}

export type IntakeOutcome =
  | {
      readonly kind: 'accepted';
      readonly durability: Durability;
      readonly eventIds: string[];
      readonly ignored: number;
      readonly deadLettered: number;
    }
  | { readonly kind: 'rejected'; readonly rejection: MappedRejection };

export class IntakeService {
  constructor(
    private readonly publisher: InboundPublisher,
    private readonly codec: AvroCodec,
    private readonly metrics: GatewayMetrics,
    private readonly options: IntakeOptions = { maxFutureSkewMs: 300_000 },
  ) {}

  /**
   * One server span per request: a child of the caller's `traceparent` when it sent one, else a new
   * trace. Its context is what the inbound events carry in their `traceparent` header.
   */
  intake(request: IntakeRequest): Promise<IntakeOutcome> {
    return withSpan(
      `intake ${request.endpoint}`,
      request.context.traceparent,
      (span) =>
        this.accept({ ...request, context: { ...request.context, traceparent: traceparentOfSpan(span) } }),
      { kind: 'server', attributes: { 'optstream.endpoint': request.endpoint } },
    );
  }

  private async accept(request: IntakeRequest): Promise<IntakeOutcome> {
    const facts = request.results.flatMap((r) =>
      r.outcome === 'fact' ? [withTimeSanity(r.fact, this.options.maxFutureSkewMs, request.sourceTrust)] : [],
    );
    const rejections = request.results.filter((r): r is MappedRejection => r.outcome === 'rejected');
    const ignored = request.results.filter((r) => r.outcome === 'ignored').length;
    const firstRejection = rejections[0];
    if (firstRejection && (request.mode === 'single' || firstRejection.code === 'INVALID_BODY')) {
      this.metrics.events.inc({ endpoint: request.endpoint, outcome: 'rejected' }, rejections.length);
      return { kind: 'rejected', rejection: firstRejection };
    }
    const records = [
      ...(await this.publisher.encodeFacts(facts, request.context)),
      ...(await Promise.all(rejections.map((r) => this.deadLetterRecord(request, r)))),
    ];
    const durability = await this.publisher.accept(records);
    this.metrics.events.inc({ endpoint: request.endpoint, outcome: durability }, facts.length);
    this.metrics.events.inc({ endpoint: request.endpoint, outcome: 'ignored' }, ignored);
    this.metrics.events.inc({ endpoint: request.endpoint, outcome: 'dead_lettered' }, rejections.length);
    return {
      kind: 'accepted',
      durability,
      eventIds: facts.map((f) => f.eventId),
      ignored,
      deadLettered: rejections.length,
    };
  }

  private async deadLetterRecord(request: IntakeRequest, rejection: MappedRejection): Promise<SpoolRecord> {
    // A single-event webhook keeps its exact bytes; an item of a batch keeps its own JSON.
    const body =
      request.results.length === 1
        ? request.rawBody
        : Buffer.from(JSON.stringify(rejection.original) ?? 'null');
    const letter: DeadLetter = deadLetterFromHttp('ingestion-gateway', {
      body,
      key: null,
      headers: { endpoint: request.endpoint },
      code: rejection.code,
      reason: rejection.reason,
      at: request.receivedAt,
    });
    return {
      topic: TOPICS.ingestionDeadLetter.name,
      key: null,
      value: await this.codec.encode(TOPICS.ingestionDeadLetter.name, letter),
      headers: { [HEADER.schema]: TOPICS.ingestionDeadLetter.valueSchema },
    };
  }
}

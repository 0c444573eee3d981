import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export type { Span } from '@opentelemetry/api';

/**
 * Tracing for every service: W3C trace context rides in the `traceparent` Kafka header from the webhook to
 * every provider call (see docs/operations.md). Context is ALWAYS propagated; spans are exported only when
 * the standard OpenTelemetry environment asks for it:
 *   - `OTEL_TRACES_EXPORTER` = `otlp` | `console` | `none` (comma-separated), or, when it is unset,
 *   - `OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` set → OTLP over HTTP;
 *   - `OTEL_SDK_DISABLED=true` exports nothing whatever else is set (context still propagates).
 * `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_TRACES_SAMPLER(_ARG)` and the `OTEL_EXPORTER_OTLP_*`
 * settings (headers, timeout) are honoured as the SDK documents them.
 */
export interface Tracing {
  /** The exporters in use (`otlp`, `console`, or a test's); empty when spans are only propagated. */
  readonly exporters: readonly string[];
  /** Flushes what is buffered and stops; bounded, so it never eats the shutdown grace period. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** Defaults to `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** An exporter of the caller's (tests: InMemorySpanExporter), used as well as the environment's. */
  readonly exporter?: SpanExporter;
  /** Upper bound for the final flush on shutdown. */
  readonly shutdownTimeoutMs?: number;
}

/** Kafka headers (kafkajs `IHeaders`) or any header map. */
export type HeaderCarrier = Readonly<
  Record<string, string | Buffer | readonly (string | Buffer)[] | undefined>
>;

export type SpanKindName = 'internal' | 'server' | 'client' | 'producer' | 'consumer';

export interface SpanOptions {
  readonly kind?: SpanKindName;
  readonly attributes?: Attributes;
  /** Other traces this span continues (e.g. the rest of a batch), as traceparents. */
  readonly links?: readonly (string | undefined)[];
}

const TRACER = 'optstream';
const W3C = new W3CTraceContextPropagator();
const TRACEPARENT = /^[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;
const KINDS: Record<SpanKindName, SpanKind> = {
  internal: SpanKind.INTERNAL,
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

let started: Tracing | undefined;

/**
 * Registers the tracer provider, the AsyncLocalStorage context manager and the W3C propagator once per
 * process (later calls return the first handle). Without an exporter, spans still get ids, so every hop
 * writes its own span id into the headers it sends, in the trace it received.
 */
export function startTracing(service: string, options: TracingOptions = {}): Tracing {
  if (started) return started;
  const env = options.env ?? process.env;
  const named: SpanExporter[] = [];
  const exporters: string[] = [];
  const disabled = env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true';
  for (const name of disabled ? [] : tracesExportersFromEnv(env)) {
    if (name === 'otlp') named.push(new OTLPTraceExporter());
    else if (name === 'console') named.push(new ConsoleSpanExporter());
    else continue;
    exporters.push(name);
  }
  const spanProcessors: SpanProcessor[] = named.map((e) => new BatchSpanProcessor(e));
  if (options.exporter) {
    spanProcessors.push(new SimpleSpanProcessor(options.exporter));
    exporters.push(options.exporter.constructor.name);
  }
  const provider = new NodeTracerProvider({
    resource: defaultResource()
      .merge(detectResources({ detectors: [envDetector] }))
      .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: env['OTEL_SERVICE_NAME'] ?? service })),
    spanProcessors,
  });
  provider.register({ propagator: W3C });
  const timeoutMs = options.shutdownTimeoutMs ?? 2_000;
  started = {
    exporters,
    async shutdown() {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        provider.shutdown().catch(() => undefined),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(timer);
    },
  };
  return started;
}

/** `OTEL_TRACES_EXPORTER`, or `otlp` when only an OTLP endpoint is configured, or nothing. */
export function tracesExportersFromEnv(env: NodeJS.ProcessEnv): string[] {
  const listed = env['OTEL_TRACES_EXPORTER']
    ?.split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  if (listed && listed.length > 0) return listed.includes('none') ? [] : listed;
  const endpoint = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] ?? env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  return endpoint ? ['otlp'] : [];
}

/** The valid W3C `traceparent` among the headers, if any. */
export function traceparentOf(headers: HeaderCarrier | undefined): string | undefined {
  const raw = headers?.['traceparent'];
  const first = Array.isArray(raw) ? (raw as readonly (string | Buffer)[])[0] : raw;
  const value = first?.toString().trim().toLowerCase();
  return value !== undefined && TRACEPARENT.test(value) ? value : undefined;
}

function contextOf(traceparent: string): Context {
  return W3C.extract(ROOT_CONTEXT, { traceparent }, defaultTextMapGetter);
}

function linkOf(traceparent: string | undefined): Link[] {
  const span = traceparent === undefined ? undefined : trace.getSpanContext(contextOf(traceparent));
  return span ? [{ context: span }] : [];
}

/**
 * Runs `fn` in a span that is active for everything it awaits (outbound HTTP picks it up). The parent
 * is the given traceparent (a message's header) or, when undefined, the active span — a new trace if
 * there is none. Errors are recorded on the span and rethrown.
 */
export async function withSpan<T>(
  name: string,
  parent: string | undefined,
  fn: (span: Span) => Promise<T> | T,
  options: SpanOptions = {},
): Promise<T> {
  const parentContext = parent === undefined ? context.active() : contextOf(parent);
  const span = trace.getTracer(TRACER).startSpan(
    name,
    {
      kind: KINDS[options.kind ?? 'internal'],
      ...(options.attributes ? { attributes: options.attributes } : {}),
      links: [...new Set(options.links)].filter((l) => l !== parent).flatMap(linkOf),
    },
    parentContext,
  );
  try {
    return await context.with(trace.setSpan(parentContext, span), () => fn(span));
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
    throw error;
  } finally {
    span.end();
  }
}

/**
 * The span as a `traceparent` value. Works without `startTracing` too: a span of the no-op tracer carries
 * its parent's context, so the caller's traceparent passes through unchanged.
 */
export function traceparentOfSpan(span: Span): string | undefined {
  const carrier: Record<string, string> = {};
  W3C.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, defaultTextMapSetter);
  return carrier['traceparent'];
}

/** Marks the span failed (an answer that is an error without an exception, e.g. HTTP 503). */
export function failSpan(span: Span, reason: string): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
}

/** The active span as a `traceparent` value (what to write into an outgoing message), if any. */
export function currentTraceparent(): string | undefined {
  return traceHeaders()['traceparent'];
}

/** W3C trace context headers for an outgoing request (empty when there is no active trace). */
export function traceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  W3C.inject(context.active(), carrier, defaultTextMapSetter);
  return carrier;
}

import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import {
  currentTraceparent,
  startTracing,
  traceHeaders,
  traceparentOf,
  tracesExportersFromEnv,
  withSpan,
} from './tracing';

const PARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const traceId = (tp: string | undefined) => tp?.split('-')[1];
const spanId = (tp: string | undefined) => tp?.split('-')[2];

describe('tracing', () => {
  const exporter = new InMemorySpanExporter();
  const tracing = startTracing('tracing-test', { exporter, env: {} });
  afterAll(() => tracing.shutdown());

  it('reads a valid traceparent from Kafka-style headers and ignores invalid ones', () => {
    expect(traceparentOf({ traceparent: Buffer.from(PARENT) })).toBe(PARENT);
    expect(traceparentOf({ traceparent: [PARENT] })).toBe(PARENT);
    expect(traceparentOf({ traceparent: '00-abc-def-01' })).toBeUndefined();
    expect(traceparentOf({ traceparent: `00-${'0'.repeat(32)}-b7ad6b7169203331-01` })).toBeUndefined();
    expect(traceparentOf(undefined)).toBeUndefined();
  });

  it('runs work in a child span of the given parent; nested spans and outgoing headers follow it', async () => {
    exporter.reset();
    const seen = await withSpan('outer', PARENT, async () => {
      const outer = currentTraceparent();
      const inner = await withSpan('inner', undefined, async () => traceHeaders()['traceparent']);
      return { outer, inner };
    });
    expect(traceId(seen.outer)).toBe(traceId(PARENT));
    expect(spanId(seen.outer)).not.toBe(spanId(PARENT));
    expect(traceId(seen.inner)).toBe(traceId(PARENT));
    const [inner, outer] = exporter.getFinishedSpans();
    expect(outer?.parentSpanContext?.spanId).toBe(spanId(PARENT));
    expect(inner?.parentSpanContext?.spanId).toBe(outer?.spanContext().spanId);
    expect(spanId(seen.inner)).toBe(inner?.spanContext().spanId);
    expect(currentTraceparent()).toBeUndefined();
  });

  it('starts a new trace without a parent, records errors and rethrows them', async () => {
    exporter.reset();
    await expect(
      withSpan('failing', undefined, () => Promise.reject(new Error('boom')), { links: [PARENT] }),
    ).rejects.toThrow('boom');
    const [span] = exporter.getFinishedSpans();
    expect(span?.status.code).toBe(2);
    expect(span?.spanContext().traceId).not.toBe(traceId(PARENT));
    expect(span?.links.map((l) => l.context.traceId)).toEqual([traceId(PARENT)]);
  });

  it('follows the OpenTelemetry environment conventions for exporters', () => {
    expect(tracesExportersFromEnv({})).toEqual([]);
    expect(tracesExportersFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual([
      'otlp',
    ]);
    expect(tracesExportersFromEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' })).toEqual(
      ['otlp'],
    );
    expect(tracesExportersFromEnv({ OTEL_TRACES_EXPORTER: 'otlp, console' })).toEqual(['otlp', 'console']);
    expect(
      tracesExportersFromEnv({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }),
    ).toEqual([]);
  });
});

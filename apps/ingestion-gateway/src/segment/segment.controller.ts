import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import {
  mapSegmentBatch,
  mapSegmentCall,
  MapResult,
  SEGMENT_MAX_BATCH_BYTES,
  SEGMENT_MAX_EVENT_BYTES,
  SegmentCallType,
} from '@optstream/ingestion-domain';
import { GATEWAY_RUNTIME, GatewayRuntime } from '../gateway-runtime';
import { counted, intakeOrReject } from '../http/accept';
import { httpError } from '@optstream/http-errors';
import { header, jsonBody, rawBody, requireContentType } from '../http/request-body';
import { Endpoint } from '../observability/gateway-metrics';
import { authenticateWriteKey } from './write-key';

/** analytics.js posts text/plain to avoid a CORS preflight; server libraries post JSON. */
const SEGMENT_CONTENT_TYPES = ['application/json', 'text/plain'];

/**
 * Segment HTTP Tracking API compatible: existing Segment and RudderStack libraries send here by changing
 * their host. identify links identifiers (and maps subscription traits); track carries preference changes.
 */
@Controller('v1')
export class SegmentController {
  constructor(@Inject(GATEWAY_RUNTIME) private readonly runtime: GatewayRuntime) {}

  @Post('identify')
  @HttpCode(200)
  identify(@Req() request: FastifyRequest): Promise<object> {
    return this.call('segment_identify', request, SEGMENT_MAX_EVENT_BYTES, (body, ctx) =>
      mapSegmentCall('identify' as SegmentCallType, body, ctx),
    );
  }

  @Post('track')
  @HttpCode(200)
  track(@Req() request: FastifyRequest): Promise<object> {
    return this.call('segment_track', request, SEGMENT_MAX_EVENT_BYTES, (body, ctx) =>
      mapSegmentCall('track', body, ctx),
    );
  }

  @Post('batch')
  @HttpCode(200)
  batch(@Req() request: FastifyRequest): Promise<object> {
    return this.call('segment_batch', request, SEGMENT_MAX_BATCH_BYTES, mapSegmentBatch);
  }

  private call(
    endpoint: Endpoint,
    request: FastifyRequest,
    maxBytes: number,
    map: (body: unknown, ctx: { receivedAt: number; defaultRegion: string }) => readonly MapResult[],
  ): Promise<object> {
    return counted(this.runtime, endpoint, async () => {
      requireContentType(request, SEGMENT_CONTENT_TYPES);
      const raw = rawBody(request);
      if (raw.length > maxBytes) {
        throw httpError(
          413,
          'PAYLOAD_TOO_LARGE',
          `Segment allows ${maxBytes} bytes here; the body has ${raw.length}`,
        );
      }
      const body = jsonBody(request);
      const sourceName = authenticateWriteKey(request, body, this.runtime.config.SEGMENT_WRITE_KEYS);
      const now = this.runtime.now();
      await intakeOrReject(this.runtime, {
        endpoint,
        mode: endpoint === 'segment_batch' ? 'provider' : 'single',
        results: map(body, { receivedAt: now, defaultRegion: this.runtime.config.DEFAULT_PHONE_REGION }),
        rawBody: raw,
        receivedAt: now,
        context: { traceparent: header(request, 'traceparent'), sourceName },
        // A write key is public unless the operator declared its source server-side.
        sourceTrust: this.runtime.config.SEGMENT_SERVER_SOURCES.has(sourceName) ? 'server' : 'client',
      });
      // Segment's own answer; its client libraries only look at the status.
      return { success: true };
    });
  }
}

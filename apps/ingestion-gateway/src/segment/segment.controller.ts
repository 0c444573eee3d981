import { Controller, HttpCode, Inject, Options, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  mapSegmentBatch,
  mapSegmentCall,
  MapResult,
  MapperContext,
  SEGMENT_MAX_BATCH_BYTES,
  SEGMENT_MAX_EVENT_BYTES,
  SegmentCallType,
} from '@optstream/ingestion-domain';
import { GATEWAY_RUNTIME, GatewayRuntime } from '../gateway-runtime';
import { counted, intakeOrReject } from '../http/accept';
import { decodeContentEncoding } from '../http/content-encoding';
import { header, jsonText, rawBody, requireContentType } from '../http/request-body';
import { Endpoint } from '../observability/gateway-metrics';
import { allowOriginForWriteKey, answerPreflight } from './cors';
import { bodyWriteKey, headerWriteKey, sourceOfWriteKey } from './write-key';
import { mapperContext } from '../intake/mapper-context';

/**
 * What the official libraries send (docs/ingestion-gateway.md, "Libraries"): analytics.js posts
 * text/plain to spare a CORS preflight, the server and iOS libraries JSON, RudderStack's Node library a
 * gzipped JSON body labelled as a form.
 */
const SEGMENT_CONTENT_TYPES = ['application/json', 'text/plain', 'application/x-www-form-urlencoded'];

/** Each call type at its Segment path and at analytics.js's short path; `/v1/import` is the old batch path. */
const PATHS: Readonly<Record<string, string[]>> = {
  identify: ['identify', 'i'],
  track: ['track', 't'],
  page: ['page', 'p'],
  screen: ['screen', 's'],
  group: ['group', 'g'],
  alias: ['alias', 'a'],
  batch: ['batch', 'b', 'import'],
};
const ALL_PATHS = Object.values(PATHS).flat();

type Mapper = (body: unknown, ctx: MapperContext) => readonly MapResult[];
const call =
  (type: SegmentCallType): Mapper =>
  (body, ctx) =>
    mapSegmentCall(type, body, ctx);

/**
 * Segment HTTP Tracking API compatible: existing Segment and RudderStack libraries send here by changing
 * their host. identify links identifiers (and maps subscription traits); track carries preference
 * changes; page, screen, group and alias are accepted and carry nothing.
 */
@Controller('v1')
export class SegmentController {
  constructor(@Inject(GATEWAY_RUNTIME) private readonly runtime: GatewayRuntime) {}

  @Post(PATHS.identify)
  @HttpCode(200)
  identify(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<object> {
    return this.handle('segment_identify', request, reply, SEGMENT_MAX_EVENT_BYTES, call('identify'));
  }

  @Post(PATHS.track)
  @HttpCode(200)
  track(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<object> {
    return this.handle('segment_track', request, reply, SEGMENT_MAX_EVENT_BYTES, call('track'));
  }

  @Post(PATHS.page)
  @HttpCode(200)
  page(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<object> {
    return this.handle('segment_page', request, reply, SEGMENT_MAX_EVENT_BYTES, call('page'));
  }

  @Post(PATHS.screen)
  @HttpCode(200)
  screen(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<object> {
    return this.handle('segment_screen', request, reply, SEGMENT_MAX_EVENT_BYTES, call('screen'));
  }

  @Post(PATHS.group)
  @HttpCode(200)
  group(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<object> {
    return this.handle('segment_group', request, reply, SEGMENT_MAX_EVENT_BYTES, call('group'));
  }

  @Post(PATHS.alias)
  @HttpCode(200)
  alias(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<object> {
    return this.handle('segment_alias', request, reply, SEGMENT_MAX_EVENT_BYTES, call('alias'));
  }

  @Post(PATHS.batch)
  @HttpCode(200)
  batch(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<object> {
    return this.handle('segment_batch', request, reply, SEGMENT_MAX_BATCH_BYTES, mapSegmentBatch);
  }

  /** CORS preflight for every path a browser library may post to. */
  @Options(ALL_PATHS)
  @HttpCode(204)
  preflight(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): void {
    answerPreflight(request, reply, this.runtime.config.SEGMENT_ALLOWED_ORIGINS);
  }

  /**
   * Work before authentication is bounded: a write key in the Authorization header is checked before
   * the body is even decompressed; a key in the body costs at most `maxBytes` of decompression and one
   * linear JSON parse of that much.
   */
  private handle(
    endpoint: Endpoint,
    request: FastifyRequest,
    reply: FastifyReply,
    maxBytes: number,
    map: Mapper,
  ): Promise<object> {
    return counted(this.runtime, endpoint, async () => {
      const { SEGMENT_WRITE_KEYS: keys, SEGMENT_ALLOWED_ORIGINS: origins } = this.runtime.config;
      requireContentType(request, SEGMENT_CONTENT_TYPES);
      const fromHeader = headerWriteKey(request);
      if (fromHeader !== undefined) {
        sourceOfWriteKey(fromHeader, keys);
        allowOriginForWriteKey(request, reply, fromHeader, origins);
      }
      const decoded = decodeContentEncoding(rawBody(request), header(request, 'content-encoding'), maxBytes);
      const body = jsonText(decoded.toString('utf8'));
      const writeKey = fromHeader ?? bodyWriteKey(body);
      const sourceName = sourceOfWriteKey(writeKey, keys);
      if (fromHeader === undefined && writeKey !== undefined)
        allowOriginForWriteKey(request, reply, writeKey, origins);
      const now = this.runtime.now();
      await intakeOrReject(this.runtime, {
        endpoint,
        mode: endpoint === 'segment_batch' ? 'provider' : 'single',
        results: map(body, mapperContext(this.runtime.topics, this.runtime.config.DEFAULT_PHONE_REGION, now)),
        rawBody: decoded,
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

import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import {
  mapOptstreamPreferenceRequest,
  OPTSTREAM_ID_HEADER,
  OPTSTREAM_SIGNATURE_HEADER,
  OPTSTREAM_TIMESTAMP_HEADER,
  verifyOptstreamSignature,
} from '@optstream/ingestion-domain';
import { GATEWAY_RUNTIME, GatewayRuntime } from '../gateway-runtime';
import { counted, intakeOrReject } from '../http/accept';
import { header, jsonBody, rawBody, requireContentType } from '../http/request-body';
import { assertVerified } from '../http/verification';
import { mapperContext } from '../intake/mapper-context';

/**
 * The signed API for our own systems: HMAC-SHA256 over `id.timestamp.body`, ±300 s, any of the active
 * secrets (rotation). 202 once the change is durable.
 */
@Controller('v1/preferences')
export class PreferencesController {
  constructor(@Inject(GATEWAY_RUNTIME) private readonly runtime: GatewayRuntime) {}

  @Post()
  @HttpCode(202)
  change(@Req() request: FastifyRequest): Promise<object> {
    return counted(this.runtime, 'preferences', async () => {
      const now = this.runtime.now();
      assertVerified(
        verifyOptstreamSignature({
          secrets: this.runtime.config.API_SIGNING_SECRETS,
          id: header(request, OPTSTREAM_ID_HEADER),
          timestamp: header(request, OPTSTREAM_TIMESTAMP_HEADER),
          signature: header(request, OPTSTREAM_SIGNATURE_HEADER),
          rawBody: rawBody(request),
          nowMs: now,
          toleranceSeconds: this.runtime.config.SIGNATURE_TOLERANCE_SECONDS,
        }),
      );
      requireContentType(request, ['application/json']);
      const outcome = await intakeOrReject(this.runtime, {
        endpoint: 'preferences',
        mode: 'single',
        results: mapOptstreamPreferenceRequest(
          jsonBody(request),
          mapperContext(this.runtime.topics, this.runtime.config.DEFAULT_PHONE_REGION, now),
        ),
        rawBody: rawBody(request),
        receivedAt: now,
        context: { traceparent: header(request, 'traceparent') },
      });
      return { eventId: outcome.eventIds[0], durability: outcome.durability };
    });
  }
}

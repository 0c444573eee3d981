import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import {
  mapSendgridEvents,
  SENDGRID_SIGNATURE_HEADER,
  SENDGRID_TIMESTAMP_HEADER,
  verifySendgridSignature,
} from '@optstream/ingestion-domain';
import { GATEWAY_RUNTIME, GatewayRuntime } from '../gateway-runtime';
import { counted, intakeOrReject } from '../http/accept';
import { header, jsonBody, rawBody, requireContentType } from '../http/request-body';
import { assertVerified, notConfigured } from '../http/verification';
import { mapperContext } from '../intake/mapper-context';

/** SendGrid Event Webhook (signed): unsubscribe, group_unsubscribe, spamreport, group_resubscribe. */
@Controller('webhooks/sendgrid')
export class SendgridController {
  constructor(@Inject(GATEWAY_RUNTIME) private readonly runtime: GatewayRuntime) {}

  @Post()
  @HttpCode(200)
  receive(@Req() request: FastifyRequest): Promise<object> {
    return counted(this.runtime, 'sendgrid', async () => {
      const publicKey =
        this.runtime.sendgridPublicKey ??
        notConfigured('the SendGrid webhook', 'SENDGRID_WEBHOOK_PUBLIC_KEY');
      const now = this.runtime.now();
      assertVerified(
        verifySendgridSignature({
          publicKey,
          signature: header(request, SENDGRID_SIGNATURE_HEADER),
          timestamp: header(request, SENDGRID_TIMESTAMP_HEADER),
          rawBody: rawBody(request),
          nowMs: now,
          toleranceSeconds: this.runtime.config.SIGNATURE_TOLERANCE_SECONDS,
        }),
      );
      requireContentType(request, ['application/json']);
      const results = mapSendgridEvents(
        jsonBody(request),
        mapperContext(this.runtime.topics, this.runtime.config.DEFAULT_PHONE_REGION, now),
      );
      const outcome = await intakeOrReject(this.runtime, {
        endpoint: 'sendgrid',
        mode: 'provider',
        results,
        rawBody: rawBody(request),
        receivedAt: now,
        context: { traceparent: header(request, 'traceparent') },
      });
      return {
        accepted: outcome.eventIds.length,
        ignored: outcome.ignored,
        deadLettered: outcome.deadLettered,
      };
    });
  }
}

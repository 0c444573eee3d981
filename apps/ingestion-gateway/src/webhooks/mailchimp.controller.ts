import { Controller, Get, HttpCode, Inject, Post, Query, Req } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { mapMailchimpWebhook } from '@optstream/ingestion-domain';
import { GATEWAY_RUNTIME, GatewayRuntime } from '../gateway-runtime';
import { counted, intakeOrReject } from '../http/accept';
import { httpError } from '@optstream/http-errors';
import { formBody, header, rawBody, requireContentType } from '../http/request-body';
import { notConfigured } from '../http/verification';
import { mapperContext } from '../intake/mapper-context';

/**
 * Mailchimp webhooks. Mailchimp does not sign its calls, so the URL registered with it carries a secret
 * (`?key=<MAILCHIMP_WEBHOOK_SECRET>`), compared in constant time. Its GET validation ping answers 200.
 */
@Controller('webhooks/mailchimp')
export class MailchimpController {
  constructor(@Inject(GATEWAY_RUNTIME) private readonly runtime: GatewayRuntime) {}

  @Get()
  @HttpCode(200)
  validate(@Query('key') key: string | undefined): object {
    this.checkKey(key);
    return { ok: true };
  }

  @Post()
  @HttpCode(200)
  receive(@Req() request: FastifyRequest, @Query('key') key: string | undefined): Promise<object> {
    return counted(this.runtime, 'mailchimp', async () => {
      this.checkKey(key);
      requireContentType(request, ['application/x-www-form-urlencoded']);
      const now = this.runtime.now();
      const outcome = await intakeOrReject(this.runtime, {
        endpoint: 'mailchimp',
        mode: 'provider',
        results: mapMailchimpWebhook(
          formBody(request),
          mapperContext(this.runtime.topics, this.runtime.config.DEFAULT_PHONE_REGION, now),
        ),
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

  private checkKey(key: string | undefined): void {
    const secret =
      this.runtime.config.MAILCHIMP_WEBHOOK_SECRET ??
      notConfigured('the Mailchimp webhook', 'MAILCHIMP_WEBHOOK_SECRET');
    if (key === undefined || key === '')
      throw httpError(401, 'MISSING_SECRET', 'the webhook URL must carry ?key=<secret>');
    const given = Buffer.from(key);
    const expected = Buffer.from(secret);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw httpError(403, 'SECRET_MISMATCH', 'the webhook URL key does not match');
    }
  }
}

import { Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { mapTwilioSms, TWILIO_SIGNATURE_HEADER, verifyTwilioSignature } from '@optstream/ingestion-domain';
import { GATEWAY_RUNTIME, GatewayRuntime } from '../gateway-runtime';
import { counted, intakeOrReject } from '../http/accept';
import { formBody, header, rawBody, requireContentType } from '../http/request-body';
import { assertVerified, notConfigured } from '../http/verification';

/** An empty TwiML response: Twilio's Advanced Opt-Out sends the STOP/START confirmations itself. */
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/** Twilio inbound SMS webhook (form-encoded, X-Twilio-Signature): STOP/START keywords become consent. */
@Controller('webhooks/twilio/sms')
export class TwilioSmsController {
  constructor(@Inject(GATEWAY_RUNTIME) private readonly runtime: GatewayRuntime) {}

  @Post()
  @HttpCode(200)
  async receive(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    return counted(this.runtime, 'twilio_sms', async () => {
      const { TWILIO_AUTH_TOKEN: authToken, TWILIO_WEBHOOK_URL: publicUrl } = this.runtime.config;
      if (!authToken || !publicUrl)
        notConfigured('the Twilio SMS webhook', 'TWILIO_AUTH_TOKEN and TWILIO_WEBHOOK_URL');
      requireContentType(request, ['application/x-www-form-urlencoded']);
      const params = formBody(request);
      assertVerified(
        verifyTwilioSignature({
          authToken,
          publicUrl,
          params,
          signature: header(request, TWILIO_SIGNATURE_HEADER),
        }),
      );
      const now = this.runtime.now();
      await intakeOrReject(this.runtime, {
        endpoint: 'twilio_sms',
        mode: 'provider',
        results: mapTwilioSms(params, {
          receivedAt: now,
          defaultRegion: this.runtime.config.DEFAULT_PHONE_REGION,
        }),
        rawBody: rawBody(request),
        receivedAt: now,
        context: { traceparent: header(request, 'traceparent') },
      });
      void reply.header('content-type', 'text/xml; charset=utf-8');
      return EMPTY_TWIML;
    });
  }
}

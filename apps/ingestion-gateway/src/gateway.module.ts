import { DynamicModule, Module } from '@nestjs/common';
import { GATEWAY_RUNTIME, GatewayRuntime } from './gateway-runtime';
import { HealthController } from './health/health.controller';
import { LinksController } from './links/links.controller';
import { PreferencesController } from './preferences/preferences.controller';
import { SegmentController } from './segment/segment.controller';
import { MailchimpController } from './webhooks/mailchimp.controller';
import { SendgridController } from './webhooks/sendgrid.controller';
import { TwilioSmsController } from './webhooks/twilio-sms.controller';

@Module({})
export class GatewayModule {
  static withRuntime(runtime: GatewayRuntime): DynamicModule {
    return {
      module: GatewayModule,
      controllers: [
        SendgridController,
        TwilioSmsController,
        MailchimpController,
        SegmentController,
        PreferencesController,
        LinksController,
        HealthController,
      ],
      providers: [{ provide: GATEWAY_RUNTIME, useValue: runtime }],
    };
  }
}

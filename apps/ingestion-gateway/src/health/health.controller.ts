import { Controller, Get, Header, HttpCode, Inject } from '@nestjs/common';
import { GATEWAY_RUNTIME, GatewayRuntime } from '../gateway-runtime';
import { httpError } from '@optstream/http-errors';

@Controller()
export class HealthController {
  constructor(@Inject(GATEWAY_RUNTIME) private readonly runtime: GatewayRuntime) {}

  @Get('health/live')
  live(): object {
    return { status: 'ok' };
  }

  /** Ready while events can be made durable: the producer is connected or the spool is writable. */
  @Get('health/ready')
  @HttpCode(200)
  ready(): object {
    if (!this.runtime.inbound.isReady())
      throw httpError(503, 'NOT_READY', 'neither Kafka nor the local spool can take events');
    return { status: 'ready' };
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.runtime.metrics.registry.metrics();
  }
}

import { Controller, Get, Header, Inject } from '@nestjs/common';
import { httpError } from '@optstream/http-errors';
import { CONNECTOR_RUNTIME, type ConnectorRuntime } from './connector-runtime';

@Controller()
export class ConnectorHealthController {
  constructor(@Inject(CONNECTOR_RUNTIME) private readonly runtime: ConnectorRuntime) {}

  @Get('health/live')
  live(): object {
    return { status: 'ok' };
  }

  /** Ready when Postgres answers and the state consumer runs; a provider outage does not make it unready. */
  @Get('health/ready')
  async ready(): Promise<object> {
    try {
      await this.runtime.db.query('SELECT 1');
    } catch {
      throw httpError(503, 'NOT_READY', 'PostgreSQL does not answer');
    }
    if (!this.runtime.consumer.isRunning)
      throw httpError(503, 'NOT_READY', 'the state consumer is not running');
    return { status: 'ready', providers: this.runtime.connector.adapters.map((a) => a.provider) };
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.runtime.metrics.registry.metrics();
  }
}

import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PROJECTOR_RUNTIME, type ProjectorRuntime } from '../projector-runtime';
import { PublicRoute } from './api-key.guard';
import { httpError } from '@optstream/http-errors';

@ApiExcludeController()
@PublicRoute()
@Controller()
export class HealthController {
  constructor(@Inject(PROJECTOR_RUNTIME) private readonly runtime: ProjectorRuntime) {}

  @Get('health/live')
  live(): object {
    return { status: 'ok' };
  }

  /** Ready when Postgres answers and, if this instance consumes, its consumer runs. */
  @Get('health/ready')
  async ready(): Promise<object> {
    try {
      await this.runtime.db.query('SELECT 1');
    } catch {
      throw httpError(503, 'NOT_READY', 'PostgreSQL does not answer');
    }
    if (this.runtime.consumer !== null && !this.runtime.consumer.isRunning)
      throw httpError(503, 'NOT_READY', 'the projection consumer is not running');
    return { status: 'ready', version: await this.runtime.readModel.version() };
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.runtime.metrics.registry.metrics();
  }
}

import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { GatewayConfig } from './config/gateway-config';
import { GatewayModule } from './gateway.module';
import { GatewayRuntime, startGatewayRuntime } from './gateway-runtime';
import { DocumentedErrorFilter } from '@optstream/http-errors';
import { trackInFlightResponses } from '@optstream/http-lifecycle';
import { keepRawBodies } from './http/raw-body-parser';

export interface RunningGateway {
  readonly app: NestFastifyApplication;
  readonly runtime: GatewayRuntime;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Builds and starts the gateway. Shutdown order matters: stop accepting HTTP first, then drain what was
 * accepted to Kafka (or leave it durable in the spool), then disconnect.
 */
export async function startGateway(config: GatewayConfig): Promise<RunningGateway> {
  const runtime = await startGatewayRuntime(config);
  // Signed link tokens (/u/<token>, /p/<token>) are longer than Fastify's default 100-character path parameter.
  const adapter = new FastifyAdapter({
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: true,
    maxParamLength: 2048,
  });
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.withRuntime(runtime), adapter, {
    bodyParser: false,
    logger: ['error', 'warn'],
  });
  keepRawBodies(app.getHttpAdapter().getInstance(), config.BODY_LIMIT_BYTES);
  app.useGlobalFilters(new DocumentedErrorFilter());
  await app.listen(config.PORT, config.HOST);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  runtime.log.info({ port }, 'ingestion-gateway listening');
  const answering = trackInFlightResponses(app.getHttpServer());
  return {
    app,
    runtime,
    url: `http://127.0.0.1:${port}`,
    async close() {
      // Requests in flight get their answer with `Connection: close` (see trackInFlightResponses).
      const inFlight = answering.answerWithClose();
      runtime.log.info({ inFlight }, 'closing HTTP: answering the requests in flight');
      await app.close();
      await runtime.close();
    },
  };
}

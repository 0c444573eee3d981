import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { ProjectorConfig } from './config/projector-config';
import { DocumentedErrorFilter } from '@optstream/http-errors';
import { MAX_EXTERNAL_ID_LENGTH } from '@optstream/shared-identifiers';
import { trackInFlightResponses } from '@optstream/http-lifecycle';
import { ProjectorModule } from './projector.module';
import { startProjectorRuntime, type ProjectorRuntime } from './projector-runtime';

export interface RunningProjector {
  readonly app: NestFastifyApplication;
  readonly runtime: ProjectorRuntime;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The router measures a path parameter still percent-encoded, and refuses a longer one before any
 * validation can say why (its default is 100). An externalId of the maximum length, each UTF-16 unit
 * up to 3 UTF-8 bytes of 3 characters (`%E2%80%A6`) each, must reach `externalIdParam`.
 */
const MAX_PARAM_LENGTH = MAX_EXTERNAL_ID_LENGTH * 9;

/** Starts the projection loop and the read API. Shutdown: stop HTTP, then the consumer, then Postgres. */
export async function startProjector(config: ProjectorConfig): Promise<RunningProjector> {
  const runtime = await startProjectorRuntime(config);
  const app = await NestFactory.create<NestFastifyApplication>(
    ProjectorModule.withRuntime(runtime),
    new FastifyAdapter({ maxParamLength: MAX_PARAM_LENGTH }),
    { logger: ['error', 'warn'] },
  );
  app.useGlobalFilters(new DocumentedErrorFilter());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('optstream read API')
      .setDescription('Contact consent read model: contacts, lookup, history, as-of, audiences, suppressions')
      .setVersion('1')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'apiKey')
      .build(),
  );
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/openapi.json', async () => document);
  // The route pattern, never the URL: externalIds and addresses must not become label values.
  fastify.addHook('onResponse', async (request, reply) => {
    runtime.metrics.requests.inc({
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    });
  });
  await app.listen(config.PORT, config.HOST);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  runtime.log.info({ port }, 'preference-projector read API listening');
  const answering = trackInFlightResponses(app.getHttpServer());
  return {
    app,
    runtime,
    url: `http://127.0.0.1:${port}`,
    async close() {
      // Lookups in flight are answered with `Connection: close`, so keep-alive callers let go at once.
      const inFlight = answering.answerWithClose();
      runtime.log.info({ inFlight }, 'closing the read API: answering the requests in flight');
      await app.close();
      await runtime.close();
    },
  };
}

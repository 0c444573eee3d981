import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentedErrorFilter } from '@optstream/http-errors';
import { trackInFlightResponses } from '@optstream/http-lifecycle';
import { ConnectorModule } from './connector.module';
import {
  startConnectorRuntime,
  type ConnectorRuntime,
  type ConnectorRuntimeOptions,
} from './connector-runtime';

export interface RunningConnector {
  readonly runtime: ConnectorRuntime;
  readonly url: string;
  close(): Promise<void>;
}

/** The connector loop plus its small HTTP surface (health, metrics). Shutdown: HTTP, then the loop. */
export async function startConnector(options: ConnectorRuntimeOptions): Promise<RunningConnector> {
  const runtime = await startConnectorRuntime(options);
  const app = await NestFactory.create<NestFastifyApplication>(
    ConnectorModule.withRuntime(runtime),
    new FastifyAdapter(),
    { logger: ['error', 'warn'] },
  );
  app.useGlobalFilters(new DocumentedErrorFilter());
  await app.listen(options.config.PORT, options.config.HOST);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : options.config.PORT;
  runtime.log.info({ port }, `${runtime.service} listening`);
  const answering = trackInFlightResponses(app.getHttpServer());
  return {
    runtime,
    url: `http://127.0.0.1:${port}`,
    async close() {
      // A probe or scrape in flight must not hold the close open on a keep-alive connection.
      answering.answerWithClose();
      await app.close();
      await runtime.close();
    },
  };
}

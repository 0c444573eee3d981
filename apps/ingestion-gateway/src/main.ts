import 'reflect-metadata';
import { runService } from '@optstream/config';
import { startTracing } from '@optstream/observability';
import { loadGatewayConfig } from './config/gateway-config';
import { startGateway } from './create-gateway';

runService(async () => {
  const tracing = startTracing('ingestion-gateway');
  const gateway = await startGateway(loadGatewayConfig(process.env));
  return { log: gateway.runtime.log, stop: () => gateway.close().finally(() => tracing.shutdown()) };
});

import 'reflect-metadata';
import { runService } from '@optstream/config';
import { loadGatewayConfig } from './config/gateway-config';
import { startGateway } from './create-gateway';

runService(async () => {
  const gateway = await startGateway(loadGatewayConfig(process.env));
  return { log: gateway.runtime.log, stop: () => gateway.close() };
});

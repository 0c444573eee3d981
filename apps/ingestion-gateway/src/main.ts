import 'reflect-metadata';
import { ConfigError } from '@optstream/config';
import { loadGatewayConfig } from './config/gateway-config';
import { startGateway } from './create-gateway';

async function main(): Promise<void> {
  const gateway = await startGateway(loadGatewayConfig(process.env));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    gateway.runtime.log.info({ signal }, 'shutting down: no new requests, draining accepted events');
    gateway.close().then(
      () => process.exit(0),
      (error: unknown) => {
        gateway.runtime.log.error({ err: (error as Error).message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});

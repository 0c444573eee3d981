import 'reflect-metadata';
import { ConfigError } from '@optstream/config';
import { loadProjectorConfig } from './config/projector-config';
import { startProjector } from './create-projector';

async function main(): Promise<void> {
  const projector = await startProjector(loadProjectorConfig(process.env));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    projector.runtime.log.info({ signal }, 'shutting down');
    projector.close().then(
      () => process.exit(0),
      (error: unknown) => {
        projector.runtime.log.error({ err: (error as Error).message }, 'shutdown failed');
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

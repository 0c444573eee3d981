import { ConfigError } from '@optstream/config';
import { loadResolverConfig } from './config/resolver-config';
import { startResolver } from './resolver-runtime';

async function main(): Promise<void> {
  const resolver = await startResolver(loadResolverConfig(process.env));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    resolver.log.info({ signal }, 'shutting down: finishing the fact in hand, committing offsets');
    resolver.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        resolver.log.error(
          { err: error instanceof Error ? error.message : String(error) },
          'shutdown failed',
        );
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

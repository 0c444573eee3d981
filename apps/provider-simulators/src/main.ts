import pino from 'pino';
import { PROVIDER_NAMES } from '@optstream/connectors-domain';
import { startProviderSimulators } from '@optstream/provider-simulators';
import { optionsFromEnv } from './config';

/** Runs the provider simulators standalone (demo, benchmarks, e2e in another process). */
async function main(): Promise<void> {
  const logger = pino({ name: 'provider-simulators', level: process.env['LOG_LEVEL'] ?? 'info' });
  const sims = await startProviderSimulators(optionsFromEnv(process.env));
  const baseUrls = Object.fromEntries(PROVIDER_NAMES.map((p) => [p, sims.baseUrl(p)]));
  logger.info({ url: sims.url, control: `${sims.url}/_sim`, baseUrls }, 'provider simulators listening');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    sims.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'close failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

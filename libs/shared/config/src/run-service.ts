import { ConfigError } from './config-error';

/** What a started service gives back: how to stop it, and where to say so. */
export interface StartedService {
  stop(): Promise<void>;
  readonly log: {
    info(fields: object, message: string): void;
    error(fields: object, message: string): void;
  };
}

/**
 * Every service's `main`: start it, and on SIGTERM/SIGINT stop it once (stop accepting, drain, commit)
 * and exit 0 — or 1 if stopping failed. A bad configuration prints its problems and exits 1.
 */
export function runService(start: () => Promise<StartedService>): void {
  start().then(
    (service) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        service.log.info({ signal }, 'shutting down: no new work, finishing what is in hand');
        service.stop().then(
          () => process.exit(0),
          (error: unknown) => {
            service.log.error(
              { err: error instanceof Error ? error.message : String(error) },
              'shutdown failed',
            );
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    },
    (error: unknown) => {
      console.error(error instanceof ConfigError ? error.message : error);
      process.exit(1);
    },
  );
}

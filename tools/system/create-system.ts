import { LocalSystem } from './launch';
import type { ServiceName } from './services';
import { simulatedProviders } from './simulated-providers';
import { serviceEnv, type StackAddresses, type SystemSecrets } from './system-env';

/**
 * The whole system wired to one stack, the simulators on their port and one set of secrets: what
 * `npm start`, the end-to-end suites and the system benchmark all run.
 */
export function createLocalSystem(options: {
  readonly stack: StackAddresses;
  readonly secrets: SystemSecrets;
  readonly ports: Record<ServiceName, number>;
  readonly logDir: string;
  readonly spoolDir: string;
  /** Extra settings for every service, then per service (tests shorten retry delays, …). */
  readonly extra?: Readonly<Record<string, string>>;
  readonly extraFor?: Partial<Record<ServiceName, Record<string, string>>>;
}): { system: LocalSystem; simulatorsUrl: string } {
  const simulatorsUrl = `http://127.0.0.1:${options.ports['provider-simulators']}`;
  const providers = simulatedProviders(simulatorsUrl);
  const system = new LocalSystem({
    logDir: options.logDir,
    ports: options.ports,
    envOf: (name) =>
      serviceEnv(name, {
        stack: options.stack,
        secrets: options.secrets,
        ports: options.ports,
        providers,
        spoolDir: options.spoolDir,
        extra: { ...options.extra, ...options.extraFor?.[name] },
      }),
  });
  return { system, simulatorsUrl };
}

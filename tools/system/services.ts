/** Every optstream process and its default port (README lists the same). */
export const SYSTEM_SERVICES = [
  { name: 'provider-simulators', port: 8099 },
  { name: 'ingestion-gateway', port: 8080 },
  { name: 'identity-resolver', port: 8082 },
  { name: 'preference-projector', port: 8090 },
  { name: 'connector-email', port: 8091 },
  { name: 'connector-sms', port: 8092 },
  { name: 'connector-push', port: 8093 },
] as const;

export type ServiceName = (typeof SYSTEM_SERVICES)[number]['name'];

/** Where each service listens when every default port is shifted by `offset` (tests, a second system). */
export function servicePorts(offset = 0): Record<ServiceName, number> {
  return Object.fromEntries(SYSTEM_SERVICES.map((s) => [s.name, s.port + offset])) as Record<
    ServiceName,
    number
  >;
}

/**
 * The ports `npm start` and `npm run demo` use: the defaults, shifted by `OPTSTREAM_SERVICES_PORT_OFFSET`
 * when it is set, so a second system (another checkout, a busy port) runs beside the first.
 */
export function localServicePorts(env: NodeJS.ProcessEnv = process.env): Record<ServiceName, number> {
  const raw = env['OPTSTREAM_SERVICES_PORT_OFFSET'];
  if (raw === undefined || raw === '') return servicePorts();
  const offset = Number(raw);
  const highest = Math.max(...SYSTEM_SERVICES.map((s) => s.port)) + offset;
  if (!Number.isInteger(offset) || offset < 0 || highest > 65535)
    throw new Error(`OPTSTREAM_SERVICES_PORT_OFFSET must keep every port in 1-65535, got "${raw}"`);
  return servicePorts(offset);
}

/** The simulators' health answers on its control API, the services on /health/ready. */
export function readinessPath(name: ServiceName): string {
  return name === 'provider-simulators' ? '/_sim/health' : '/health/ready';
}

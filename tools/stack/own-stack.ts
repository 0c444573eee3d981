/** The fixed ports of a suite that starts a stack of its own (durability, fault and e2e suites, the stack's own). */
export interface OwnStackPorts {
  readonly kafka: number;
  readonly controller: number;
  readonly registry: number;
  readonly management: number;
  readonly postgres: number;
}

/**
 * Shifts a suite's own port by OPTSTREAM_TEST_PORT_OFFSET × 100 (offset 0–9, default 0), so two whole test
 * runs on one machine (two clones, or CI beside an engineer's suites) never meet on a port.
 */
export function testPort(port: number, env: NodeJS.ProcessEnv = process.env): number {
  const offset = Number(env['OPTSTREAM_TEST_PORT_OFFSET'] ?? 0);
  if (!Number.isInteger(offset) || offset < 0 || offset > 9)
    throw new Error(
      `OPTSTREAM_TEST_PORT_OFFSET must be an integer from 0 to 9; got ${env['OPTSTREAM_TEST_PORT_OFFSET']}`,
    );
  return port + offset * 100;
}

/** The environment for a suite's own stack in `dir` at `ports` (shifted by the offset), never an external database. */
export function ownStackEnv(dir: string, cache: string, ports: OwnStackPorts): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OPTSTREAM_STACK_DIR: dir,
    OPTSTREAM_STACK_CACHE: cache,
    OPTSTREAM_KAFKA_PORT: String(testPort(ports.kafka)),
    OPTSTREAM_KAFKA_CONTROLLER_PORT: String(testPort(ports.controller)),
    OPTSTREAM_REGISTRY_PORT: String(testPort(ports.registry)),
    OPTSTREAM_REGISTRY_MANAGEMENT_PORT: String(testPort(ports.management)),
    OPTSTREAM_POSTGRES_PORT: String(testPort(ports.postgres)),
  };
  delete env['OPTSTREAM_EXTERNAL_DATABASE_URL'];
  return env;
}

import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { loadStackSettings } from './stack/settings';
import { down, status, up } from './stack/stack';

/**
 * `npm test`: what a new user and CI run. First the fast tier (every pure spec, nothing started), so a
 * broken domain rule fails in a minute; then it starts the local stack if it is not running (and stops it
 * again afterwards, unless OPTSTREAM_KEEP_STACK=1) and runs every check and the integration tier against it.
 * Arguments are passed to Jest for both tiers (e.g. a path pattern).
 */
const root = resolve(__dirname, '..');

function run(
  title: string,
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): void {
  console.log(`\n▶ ${title}`);
  const started = Date.now();
  const result = spawnSync(command, [...args], { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) {
    throw new Error(`${title} failed (exit ${result.status ?? result.signal})`);
  }
  console.log(`✓ ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

const npx = (bin: string) => resolve(root, 'node_modules/.bin', bin);

async function main(): Promise<void> {
  const jestArgs = process.argv.slice(2);
  // A path pattern may select specs of one tier only; the other tier then has nothing to run.
  const passWithNoTests = jestArgs.length > 0 ? ['--passWithNoTests'] : [];
  const started = Date.now();
  run('pure tests (no stack)', npx('jest'), [
    '-c',
    'jest.unit.config.js',
    '--maxWorkers=2',
    ...passWithNoTests,
    ...jestArgs,
  ]);
  const settings = loadStackSettings();
  const wasRunning = (await status(settings)).every((c) => c.ready);
  try {
    console.log(
      wasRunning
        ? '▶ local stack already running'
        : '▶ starting the local stack (Kafka, schema registry, PostgreSQL)',
    );
    const endpoints = await up(settings, (line) => console.log(`  ${line}`));
    const env = {
      ...process.env,
      KAFKA_BROKERS: endpoints.kafkaBrokers,
      SCHEMA_REGISTRY_URL: endpoints.registryUrl,
      DATABASE_URL: endpoints.databaseUrl,
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
    };
    run('generated event types are up to date', npx('tsx'), [
      '--tsconfig',
      'tsconfig.base.json',
      'tools/codegen/avro-to-ts.ts',
      '--check',
    ]);
    run('schemas are BACKWARD compatible with the last commit', npx('tsx'), [
      'tools/schemas/check-compatibility.ts',
    ]);
    run('AsyncAPI document matches schemas and topics', npx('tsx'), [
      '--tsconfig',
      'tsconfig.base.json',
      'tools/schemas/check-asyncapi.ts',
    ]);
    run('formatting (prettier)', npx('prettier'), ['--check', '--log-level', 'warn', '.']);
    run('lint (ESLint + Nx module boundaries) and type-check (tsc)', npx('nx'), [
      'run-many',
      '-t',
      'lint',
      'build',
      '--parallel=2',
      '--skip-nx-cache',
    ]);
    run(
      'integration tests (real Kafka, registry, PostgreSQL)',
      npx('jest'),
      ['-c', 'jest.config.js', '--maxWorkers=2', ...passWithNoTests, ...jestArgs],
      env,
    );
    console.log(`\nall checks passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    if (!wasRunning && process.env['OPTSTREAM_KEEP_STACK'] !== '1') {
      console.log('▶ stopping the local stack this run started');
      await down(settings, (line) => console.log(`  ${line}`));
    }
  }
}

main().catch((error: unknown) => {
  console.error(`\n✗ ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

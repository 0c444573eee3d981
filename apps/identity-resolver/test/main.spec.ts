import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { testDatabaseUrl, testKafkaConfig, uniqueName, waitFor } from '@optstream/testing';
import { MASTER_KEY_ID, ResolverHarness } from './resolver-harness';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '../../..');

/** The real entry point as `nx serve` runs it: starts, becomes ready, and on SIGTERM leaves cleanly. */
it('main.ts starts from the environment and exits 0 on SIGTERM', async () => {
  const kafka = testKafkaConfig();
  const keys = new ResolverHarness();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      'apps/identity-resolver/src/main.ts',
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        TS_NODE_PROJECT: 'tsconfig.base.json',
        KAFKA_BROKERS: kafka.KAFKA_BROKERS.join(','),
        SCHEMA_REGISTRY_URL: kafka.SCHEMA_REGISTRY_URL,
        DATABASE_URL: testDatabaseUrl(),
        OPTSTREAM_HASH_KEY: keys.hashKey.toString('base64'),
        OPTSTREAM_MASTER_KEYS: `${MASTER_KEY_ID}=${keys.masterKeyBase64}`,
        OPTSTREAM_ACTIVE_MASTER_KEY_ID: MASTER_KEY_ID,
        CONSUMER_GROUP: uniqueName('identity-resolver-main'),
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const port = await waitFor(() => /"port":(\d+)[^\n]*identity-resolver running/.exec(output)?.[1], {
      timeoutMs: 60_000,
      description: 'the resolver to log that it is running',
    });
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
    expect(ready.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toMatch(/shutting down/);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

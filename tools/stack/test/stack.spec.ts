import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { pidFile } from '../processes';
import { freePorts } from '@optstream/testing';
import { loadStackSettings, stackEndpoints, type StackEndpoints, type StackSettings } from '../settings';
import { down, reset, status, up } from '../stack';

jest.setTimeout(240_000);

/**
 * The stack script's own behaviour, on a second stack with its own folder and ports (sharing only the
 * download cache), so the suite never disturbs the stack the other suites use.
 */
describe('local stack lifecycle', () => {
  const root = mkdtempSync(join(tmpdir(), 'optstream-stack-'));
  // mkdtemp makes a 0700 folder; PostgreSQL runs as its own user when we are root and must reach its data.
  chmodSync(root, 0o755);
  // Ports free now, not fixed numbers: another checkout's suite (or a clean-clone run) may hold those.
  let env: NodeJS.ProcessEnv;
  let s: StackSettings;
  let e: StackEndpoints;
  let kafka: Kafka;
  const quiet = () => undefined;

  beforeAll(async () => {
    const [kafkaPort, controller, registry, management, postgres] = (await freePorts(5)).map(String);
    env = {
      ...process.env,
      OPTSTREAM_STACK_DIR: root,
      OPTSTREAM_STACK_CACHE: resolve(__dirname, '../../../.stack/cache'),
      OPTSTREAM_KAFKA_PORT: kafkaPort,
      OPTSTREAM_KAFKA_CONTROLLER_PORT: controller,
      OPTSTREAM_REGISTRY_PORT: registry,
      OPTSTREAM_REGISTRY_MANAGEMENT_PORT: management,
      OPTSTREAM_POSTGRES_PORT: postgres,
    };
    delete env['OPTSTREAM_EXTERNAL_DATABASE_URL'];
    s = loadStackSettings(env);
    e = stackEndpoints(s);
    kafka = new Kafka({ brokers: [e.kafkaBrokers], logLevel: logLevel.NOTHING, retry: { retries: 2 } });
  });

  afterAll(async () => {
    if (s) await down(s, quiet);
    rmSync(root, { recursive: true, force: true });
  });

  const pids = async () => Object.fromEntries((await status(s)).map((c) => [c.name, c.pid]));

  function statusCli(): { code: number | null; output: string } {
    const run = spawnSync(
      process.execPath,
      [require.resolve('tsx/cli'), resolve(__dirname, '../cli.ts'), 'status'],
      { env, encoding: 'utf8' },
    );
    return { code: run.status, output: run.stdout };
  }

  it('reports everything stopped (exit 3) before the first start', async () => {
    expect((await status(s)).map((c) => [c.name, c.ready, c.pid])).toEqual([
      ['postgres', false, undefined],
      ['kafka', false, undefined],
      ['schema-registry', false, undefined],
    ]);
    const cli = statusCli();
    expect(cli.code).toBe(3);
    expect(cli.output).toMatch(/kafka\s+stopped/);
  });

  it('comes up ready, and a second up changes nothing', async () => {
    await up(s, quiet);
    const first = await pids();
    expect(Object.values(first).every((pid) => typeof pid === 'number')).toBe(true);
    expect((await status(s)).every((c) => c.ready)).toBe(true);
    expect(statusCli().code).toBe(0);

    await up(s, quiet);
    expect(await pids()).toEqual(first);
  });

  it('keeps topics, schemas and rows across down + up', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: 'survives-restart', numPartitions: 1 }],
    });
    await admin.disconnect();
    const registered = await fetch(`${e.registryUrl}/subjects/survives-restart-value/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({
        schema: JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'string' }] }),
      }),
    });
    expect(registered.ok).toBe(true);
    const db = new Client({ connectionString: e.databaseUrl });
    await db.connect();
    await db.query('create table survives (v text)');
    await db.query("insert into survives values ('still here')");
    await db.end();

    const before = await pids();
    await down(s, quiet);
    for (const pid of Object.values(before)) expect(existsSync(`/proc/${pid}`)).toBe(false);
    expect((await status(s)).some((c) => c.ready)).toBe(false);

    await up(s, quiet);
    const admin2 = kafka.admin();
    await admin2.connect();
    expect(await admin2.listTopics()).toContain('survives-restart');
    await admin2.disconnect();
    const subjects = (await (await fetch(`${e.registryUrl}/subjects`)).json()) as string[];
    expect(subjects).toContain('survives-restart-value');
    const db2 = new Client({ connectionString: e.databaseUrl });
    await db2.connect();
    expect((await db2.query('select v from survives')).rows).toEqual([{ v: 'still here' }]);
    await db2.end();
  });

  it('recovers from a stale pid file without signalling the process it names', async () => {
    await down(s, quiet);
    // A pid file naming a live process that is not ours (this test runner) must be ignored and replaced.
    writeFileSync(pidFile(s, 'kafka'), `${process.pid}\n`);
    await up(s, quiet);
    const kafkaPid = Number(readFileSync(pidFile(s, 'kafka'), 'utf8'));
    expect(kafkaPid).not.toBe(process.pid);
    expect((await status(s)).every((c) => c.ready)).toBe(true);
  });

  it('reset wipes the data but keeps the download cache', async () => {
    await reset(s, quiet);
    expect(existsSync(s.dataDir)).toBe(false);
    expect(existsSync(s.cacheDir)).toBe(true);
    expect((await status(s)).some((c) => c.pid !== undefined)).toBe(false);
  });
});

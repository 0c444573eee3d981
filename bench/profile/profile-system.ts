import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { idleTable, type IdleCpu } from '../idle-cpu';
import { summariseDirectory } from './summarize-cpu';

/**
 * `npm run bench -- profile`: the system bench at an everyday rate with a CPU profile of every service
 * (`--cpu-prof`) and PostgreSQL's pg_stat_statements over the fixed-rate phase, written to
 * bench/results/profile-system.md (docs/benchmarks.md "Profile"). Rate and length come from the usual
 * BENCH_SYSTEM_* settings; the defaults here are the everyday load the latency targets are set for.
 */
const ROOT = resolve(__dirname, '../..');
// The system bench's own PostgreSQL (its SLOT in bench/system.bench.ts) and the stack's credentials.
const DATABASE_URL = 'postgres://optstream:optstream@127.0.0.1:55489/optstream';
const STATEMENTS_SHOWN = 25;

const env: NodeJS.ProcessEnv = {
  BENCH_SYSTEM_RATE: '200',
  BENCH_SYSTEM_SECONDS: '40',
  BENCH_RAMP_MAX_STEPS: '0',
  ...process.env,
  BENCH_CPU_PROFILE_DIR: mkdtempSync(join(tmpdir(), 'optstream-cpu-profile-')),
  OPTSTREAM_POSTGRES_SETTINGS: 'shared_preload_libraries=pg_stat_statements,pg_stat_statements.track=all',
  TS_NODE_PROJECT: join(ROOT, 'tsconfig.base.json'),
};

interface Statement {
  readonly calls: string;
  readonly ms: string;
  readonly rows: string;
  readonly query: string;
}

async function withDatabase<T>(work: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

const resetStatements = () =>
  withDatabase(async (db) => {
    await db.query('create extension if not exists pg_stat_statements');
    await db.query('select pg_stat_statements_reset()');
  });

const readStatements = () =>
  withDatabase(async (db) => {
    const { rows } = await db.query<Statement>(
      `select calls::text, round(total_exec_time::numeric, 1)::text as ms, rows::text,
              left(regexp_replace(query, '\\s+', ' ', 'g'), 160) as query
         from pg_stat_statements
        where dbid = (select oid from pg_database where datname = 'optstream')
        order by total_exec_time desc`,
    );
    return rows;
  });

function statementsTable(rows: readonly Statement[], events: number): string {
  const calls = rows.reduce((sum, r) => sum + Number(r.calls), 0);
  const ms = rows.reduce((sum, r) => sum + Number(r.ms), 0);
  return [
    `${calls} statements, ${ms.toFixed(0)} ms of execution (lock waits included) for ${events} events sent: ` +
      `${(calls / events).toFixed(2)} statements and ${(ms / events).toFixed(2)} ms per event.`,
    '',
    '| calls | calls/event | total ms | ms/event | rows | statement |',
    '| ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows
      .slice(0, STATEMENTS_SHOWN)
      .map(
        (r) =>
          `| ${r.calls} | ${(Number(r.calls) / events).toFixed(3)} | ${r.ms} | ${(Number(r.ms) / events).toFixed(3)} | ${r.rows} | \`${r.query.replace(/\|/g, '\\|')}\` |`,
      ),
  ].join('\n');
}

/** The system bench logs `idle: {…}` after its no-traffic window. */
function idleSection(output: string): string {
  const line = /idle: (\{[^\n]*\})/.exec(output)?.[1];
  return line ? idleTable(JSON.parse(line) as IdleCpu) : 'The system bench reported no idle window.';
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const bench = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'bench/system.bench.ts'],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let statements: Promise<readonly Statement[]> | undefined;
  let reset: Promise<void> | undefined;
  let output = '';
  bench.stdout.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    output += chunk.toString('utf8');
    // The bench logs "fixed rate: …" when its load starts and "fixed: {…}" when that phase ends.
    if (!reset && output.includes('fixed rate:')) reset = resetStatements();
    if (!statements && reset && output.includes('fixed: {')) statements = reset.then(readStatements);
  });
  const code = await new Promise<number | null>((done) => bench.once('exit', done));
  if (code !== 0 || !statements) throw new Error(`the system bench failed (exit ${code})`);
  const sent = Number(/fixed: \{[^\n]*?"generated":(\d+)/.exec(output)?.[1] ?? NaN);
  const report = [
    '# Profile of the system at an everyday rate',
    '',
    `Measured ${new Date().toISOString()}; ${env['BENCH_SYSTEM_RATE']} events/s for ${env['BENCH_SYSTEM_SECONDS']} s; ` +
      `load average ${loadBefore.map((l) => l.toFixed(2)).join(' / ')} before, ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' / ')} after.`,
    '',
    '## PostgreSQL: pg_stat_statements over the fixed-rate phase',
    '',
    statementsTable(await statements, sent),
    '',
    idleSection(output),
    '',
    '## CPU profile of each service (self time, whole run)',
    '',
    summariseDirectory(env['BENCH_CPU_PROFILE_DIR'] ?? '', 12),
  ].join('\n');
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/profile-system.md'), `${report}\n`);
  console.log('profile written to bench/results/profile-system.md');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

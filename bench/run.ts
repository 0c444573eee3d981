import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/** `npm run bench`: every benchmark in turn; results (JSON + Markdown, with the machine) in bench/results/. */
const benches = [
  'gateway.bench.ts',
  'resolver.bench.ts',
  'projector.bench.ts',
  'backfill.bench.ts',
  'connectors.bench.ts',
  'system.bench.ts',
  'profile/profile-system.ts',
];
const only = process.argv[2];
for (const bench of benches.filter((b) => !only || b.startsWith(only))) {
  // ts-node keeps NestJS's decorator metadata, which the gateway's dependency injection needs.
  const run = spawnSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', resolve(__dirname, bench)],
    {
      stdio: 'inherit',
      env: { ...process.env, TS_NODE_PROJECT: resolve(__dirname, '../tsconfig.base.json') },
    },
  );
  if (run.status !== 0) process.exit(run.status ?? 1);
}

import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/** Runs the `optstream` CLI as a user would (a child process), with the given settings. */
export function runCli(
  args: readonly string[],
  env: Record<string, string>,
): { status: number | null; stdout: string; stderr: string } {
  const root = resolve(__dirname, '../../..');
  const run = spawnSync(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      'apps/cli/src/main.ts',
      ...args,
    ],
    {
      cwd: root,
      env: { ...process.env, TS_NODE_PROJECT: resolve(root, 'tsconfig.base.json'), ...env },
      encoding: 'utf8',
    },
  );
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

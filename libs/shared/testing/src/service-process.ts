import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { waitFor } from './wait-for';

const root = resolve(__dirname, '../../../..');

/** A service's `main.ts` running as its own process, as in production (signals included). */
export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything it wrote to stdout and stderr so far (JSON log lines). */
  output(): string;
  /** Polls `path` (default `/health/ready`) until it answers 2xx; fails early if the process exits. */
  ready(path?: string, timeoutMs?: number): Promise<void>;
  /** Sends `signal` and resolves with the exit code and how long the process took to exit. */
  terminate(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: string | null; ms: number }>;
  /** kill -9, for cleanup after a failed test. */
  kill(): void;
}

/** A port that was free a moment ago (the service binds it itself). */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  if (port === undefined) throw new Error('no port');
  return port;
}

/**
 * `count` distinct ports that were free a moment ago: all held open together, so none is handed out
 * twice. For a stack of a test's own, instead of fixed numbers another checkout's run may hold.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  try {
    return await Promise.all(
      servers.map(async (server) => {
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
        const address = server.address();
        if (typeof address !== 'object' || address === null) throw new Error('no port');
        return address.port;
      }),
    );
  } finally {
    await Promise.all(
      servers.map((server) => new Promise<void>((r) => (server.listening ? server.close(() => r()) : r()))),
    );
  }
}

/**
 * Spawns `apps/<app>/src/main.ts` with ts-node (transpile only, decorator metadata kept) and the
 * repository's path aliases, exactly as tools/system/launch.ts does; `env` is added to this process's.
 */
export function spawnService(app: string, port: number, env: NodeJS.ProcessEnv): ServiceProcess {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', `apps/${app}/src/main.ts`],
    {
      cwd: root,
      env: {
        ...process.env,
        TS_NODE_PROJECT: join(root, 'tsconfig.base.json'),
        PORT: String(port),
        HOST: '127.0.0.1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal })),
  );
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const url = `http://127.0.0.1:${port}`;
  return {
    child,
    url,
    output: () => output,
    async ready(path = '/health/ready', timeoutMs = 60_000) {
      await waitFor(
        async () => {
          if (gone()) throw new Error(`${app} exited (${child.exitCode ?? child.signalCode}):\n${output}`);
          try {
            return (await fetch(`${url}${path}`, { signal: AbortSignal.timeout(1_000) })).ok;
          } catch {
            return false;
          }
        },
        { timeoutMs, description: `${app} ready on ${url}${path}` },
      );
    },
    async terminate(signal = 'SIGTERM') {
      const started = Date.now();
      if (!gone()) child.kill(signal);
      const { code, signal: by } = await exited;
      return { code, signal: by, ms: Date.now() - started };
    },
    kill() {
      if (!gone()) child.kill('SIGKILL');
    },
  };
}

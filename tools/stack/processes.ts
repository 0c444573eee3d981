import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from './errors';
import { StackSettings } from './settings';
import { waitUntil } from './wait';

/**
 * Processes the stack starts are tracked by pid files. A pid is only trusted when the process behind it
 * still carries our marker on its command line, so a stale pid file (or a recycled pid) never makes us
 * signal somebody else's process.
 */
export interface ProcessSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** A string that must appear in /proc/<pid>/cmdline for the pid to be ours. */
  readonly marker: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly uid?: number;
  readonly gid?: number;
}

export function pidFile(s: StackSettings, name: string): string {
  return join(s.runDir, `${name}.pid`);
}

export function logFile(s: StackSettings, name: string): string {
  return join(s.logDir, `${name}.log`);
}

function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return undefined;
  }
}

/** The pid of our running process `name`, or undefined (removing a stale pid file on the way). */
export function runningPid(s: StackSettings, name: string, marker: string): number | undefined {
  const file = pidFile(s, name);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  const cmd = Number.isInteger(pid) && pid > 0 ? commandLine(pid) : undefined;
  if (cmd && cmd.includes(marker)) return pid;
  rmSync(file, { force: true });
  return undefined;
}

/** Starts `spec` detached, its output in its log; a child that cannot start is an error saying why. */
export async function startDetached(s: StackSettings, spec: ProcessSpec): Promise<number> {
  mkdirSync(s.runDir, { recursive: true });
  mkdirSync(s.logDir, { recursive: true });
  const log = openSync(logFile(s, spec.name), 'a');
  try {
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      detached: true,
      stdio: ['ignore', log, log],
      ...(spec.uid !== undefined ? { uid: spec.uid } : {}),
      ...(spec.gid !== undefined ? { gid: spec.gid } : {}),
    });
    // ENOENT or EACCES arrive as an 'error' event instead of 'spawn', with no pid.
    const failed = await new Promise<Error | undefined>((settle) => {
      child.once('spawn', () => settle(undefined));
      child.once('error', settle);
    });
    if (failed !== undefined || child.pid === undefined)
      throw new StackError(spec.name, `could not start ${spec.command}: ${failed?.message ?? 'no pid'}`);
    child.unref();
    writeFileSync(pidFile(s, spec.name), `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM (or the given signal), wait for a clean exit, SIGKILL after the grace period. Only ever signals our own pid. */
export async function stopProcess(
  s: StackSettings,
  name: string,
  marker: string,
  { signal = 'SIGTERM', graceMs = 30_000 }: { signal?: NodeJS.Signals; graceMs?: number } = {},
): Promise<boolean> {
  const pid = runningPid(s, name, marker);
  if (pid === undefined) return false;
  process.kill(pid, signal);
  const stopped = await waitUntil(async () => !alive(pid) || !commandLine(pid)?.includes(marker), {
    timeoutMs: graceMs,
    intervalMs: 100,
  });
  if (!stopped.ok && alive(pid)) {
    process.kill(pid, 'SIGKILL');
    await waitUntil(async () => !alive(pid), { timeoutMs: 5_000, intervalMs: 50 });
  }
  rmSync(pidFile(s, name), { force: true });
  return true;
}

export function logTail(s: StackSettings, name: string, lines = 25): string {
  try {
    const all = readFileSync(logFile(s, name), 'utf8').trimEnd().split('\n');
    return all.slice(-lines).join('\n');
  } catch {
    return '(no log written)';
  }
}

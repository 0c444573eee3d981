import { mkdir, open, readFile, rm, stat, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { SpoolError } from './spool-error';

/** Who holds a spool directory; written into its `LOCK` file. */
interface LockOwner {
  readonly host: string;
  readonly pid: number;
  readonly since: string;
}

export interface SpoolLockOptions {
  /** A lock of another host whose heartbeat is older than this is taken over (its holder is gone). */
  readonly staleMs?: number;
  /** How often the holder refreshes the lock file's mtime. */
  readonly heartbeatMs?: number;
}

const LOCK_FILE = 'LOCK';
/** Directories this process holds: a second spool on one of them in the same process is refused too. */
const heldHere = new Set<string>();

/**
 * One gateway per spool directory: two writers would interleave frames and drain each other's records.
 * The lock is a file naming its holder (host, pid) with a heartbeat (its mtime). A holder that died
 * (kill -9) leaves it behind, and it is taken over at once on the same host when that pid is gone
 * (or is our own pid: a container restarted as pid 1), and after `staleMs` of silence from another
 * host. A live holder makes `acquire` fail with the holder's name and the fix.
 */
export class SpoolLock {
  private constructor(
    private readonly dir: string,
    private readonly path: string,
    private readonly heartbeat: NodeJS.Timeout,
  ) {}

  static async acquire(dir: string, options: SpoolLockOptions = {}): Promise<SpoolLock> {
    const staleMs = options.staleMs ?? 10_000;
    const absolute = resolve(dir);
    const path = join(absolute, LOCK_FILE);
    if (heldHere.has(absolute)) throw lockedError(absolute, ownerOf(process.pid), 'this same process');
    await mkdir(absolute, { recursive: true });
    if (!(await create(path))) {
      const held = await readOwner(path);
      if (held !== undefined && !(await isStale(path, held, staleMs)))
        throw lockedError(absolute, held, `process ${held.pid} on ${held.host}`, staleMs);
      await rm(path, { force: true });
      // Someone else took over between our look and our create: they hold it now.
      if (!(await create(path))) throw lockedError(absolute, await readOwner(path), 'another process');
    }
    heldHere.add(absolute);
    const beat = setInterval(() => {
      const now = new Date();
      utimes(path, now, now).catch(() => undefined);
    }, options.heartbeatMs ?? 2_000);
    beat.unref();
    return new SpoolLock(absolute, path, beat);
  }

  async release(): Promise<void> {
    clearInterval(this.heartbeat);
    if (!heldHere.delete(this.dir)) return;
    const held = await readOwner(this.path);
    if (held?.pid === process.pid && held.host === hostname()) await rm(this.path, { force: true });
  }
}

const ownerOf = (pid: number): LockOwner => ({ host: hostname(), pid, since: new Date().toISOString() });

/** Creates the lock file naming us, or false when it exists. */
async function create(path: string): Promise<boolean> {
  try {
    const file = await open(path, 'wx');
    // No fsync: a lock torn by a crash names nobody, and is taken over like a stale one.
    try {
      await file.writeFile(JSON.stringify(ownerOf(process.pid)));
    } finally {
      await file.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** The holder, or undefined when the file is gone or was torn by a crash while being written. */
async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    return typeof owner.host === 'string' && typeof owner.pid === 'number' ? (owner as LockOwner) : undefined;
  } catch {
    return undefined;
  }
}

async function isStale(path: string, owner: LockOwner, staleMs: number): Promise<boolean> {
  if (owner.host === hostname()) return owner.pid === process.pid || !alive(owner.pid);
  const { mtimeMs } = await stat(path);
  return Date.now() - mtimeMs > staleMs;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockedError(dir: string, owner: LockOwner | undefined, who: string, staleMs?: number): SpoolError {
  const since = owner?.since ? ` since ${owner.since}` : '';
  const takeover =
    staleMs === undefined
      ? ''
      : ` If that process is gone, the lock is taken over once its heartbeat is ${staleMs / 1000} s old.`;
  return new SpoolError(
    'LOCKED',
    `spool directory ${dir} is in use by ${who}${since}: two gateways cannot share a spool directory. ` +
      `Give each replica its own SPOOL_DIR (in Kubernetes, each StatefulSet pod has its own volume).${takeover}`,
    false,
  );
}

import type { SpawnSyncReturns } from 'node:child_process';
import { statSync } from 'node:fs';
import { join, parse, resolve, sep } from 'node:path';

/**
 * Why a `spawnSync` child did not succeed, or undefined when it did. A child that could not start at
 * all (ENOENT, EACCES: a binary another user cannot reach) has no exit status, only `error`: without
 * it a failure reads "exit null" and says nothing.
 */
export function childFailure(command: string, result: SpawnSyncReturns<string>): string | undefined {
  if (result.error) return `could not start ${command}: ${result.error.message}`;
  if (result.signal) return `${command} was killed by ${result.signal}`;
  if (result.status !== 0) return `${command} exited with ${result.status}`;
  return undefined;
}

export interface UserIds {
  readonly uid: number;
  readonly gid: number;
}

/**
 * The first existing directory on the way to `path` (itself included, when it is one) that a process
 * running as `ids` may not enter (no search permission for it as owner, group or other), or undefined.
 * Supplementary groups are not looked at: the system users the stack runs children as have none.
 */
export function firstClosedDirectory(path: string, ids: UserIds): string | undefined {
  for (const dir of directoriesOnTheWay(resolve(path))) {
    const stat = statOrUndefined(dir);
    // What does not exist yet is created by us on the way; a file is not entered.
    if (stat === undefined || !stat.isDirectory()) return undefined;
    if (!canEnter(stat, ids)) return dir;
  }
  return undefined;
}

/** `/a/b/c` → `/`, `/a`, `/a/b`, `/a/b/c`. */
function directoriesOnTheWay(absolute: string): string[] {
  const { root } = parse(absolute);
  const dirs = [root];
  for (const part of absolute.slice(root.length).split(sep).filter(Boolean))
    dirs.push(join(dirs[dirs.length - 1] ?? root, part));
  return dirs;
}

const canEnter = (stat: { uid: number; gid: number; mode: number }, ids: UserIds): boolean => {
  if (ids.uid === 0) return true;
  if (stat.uid === ids.uid) return (stat.mode & 0o100) !== 0;
  if (stat.gid === ids.gid) return (stat.mode & 0o010) !== 0;
  return (stat.mode & 0o001) !== 0;
};

const statOrUndefined = (path: string) => {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
};

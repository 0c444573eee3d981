/**
 * Every schemas/*.avsc in the working tree must be BACKWARD compatible with its committed version:
 * against SCHEMA_BASE_REF (default HEAD) and, when the ref exists, origin/main, so a branch that changed a
 * schema in several commits is still checked against what is deployed. New files pass.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkBackward } from './compatibility';

const ROOT = resolve(__dirname, '../..');

function git(args: readonly string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

const refExists = (ref: string): boolean =>
  git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]) !== undefined;

function baseRefs(): string[] {
  const base = process.env['SCHEMA_BASE_REF'] || 'HEAD';
  if (!refExists(base)) throw new Error(`base ref ${base} does not exist (set SCHEMA_BASE_REF)`);
  return refExists('origin/main') && base !== 'origin/main' ? [base, 'origin/main'] : [base];
}

function main(): number {
  const refs = baseRefs();
  const files = readdirSync(join(ROOT, 'schemas'))
    .filter((f) => f.endsWith('.avsc'))
    .sort();
  let failures = 0;
  for (const ref of refs) {
    for (const file of files) {
      const label = `${file} vs ${ref}`.padEnd(52);
      const previous = git(['show', `${ref}:schemas/${file}`]);
      if (previous === undefined) {
        console.log(`${label} OK (new)`);
        continue;
      }
      const current = readFileSync(join(ROOT, 'schemas', file), 'utf8');
      const result = checkBackward(JSON.parse(previous) as object, JSON.parse(current) as object);
      if (result.compatible) console.log(`${label} OK`);
      else {
        failures += 1;
        console.log(`${label} INCOMPATIBLE: ${result.reason}`);
      }
    }
    const committed = (git(['ls-tree', '--name-only', `${ref}:schemas`]) ?? '')
      .split('\n')
      .filter((f) => f.endsWith('.avsc'));
    for (const removed of committed.filter((f) => !files.includes(f))) {
      // Not a reader/writer question, but data on the topic may still need it: make it visible.
      console.warn(`${`${removed} vs ${ref}`.padEnd(52)} REMOVED (not checked; old data may still use it)`);
    }
  }
  if (failures > 0) {
    console.error(
      `schemas:check: ${failures} incompatible change(s); add defaults or publish a new .vN schema and topic`,
    );
    return 1;
  }
  return 0;
}

try {
  process.exit(main());
} catch (error) {
  console.error(`schemas:check: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

/**
 * schemas/*.avsc → libs/shared/contracts/src/generated/*.ts.
 * `--check` writes nothing and exits 1 naming every stale, missing or extra generated file (for CI).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as prettier from 'prettier';
import type { Json } from './avro-model';
import { generate } from './generate';

const ROOT = resolve(__dirname, '../..');
const SCHEMAS_DIR = join(ROOT, 'schemas');
const OUT_DIR = join(ROOT, 'libs/shared/contracts/src/generated');

function readSchemas(): { base: string; schema: Json }[] {
  return readdirSync(SCHEMAS_DIR)
    .filter((f) => f.endsWith('.avsc'))
    .sort()
    .map((f) => ({
      base: f.slice(0, -'.avsc'.length),
      schema: JSON.parse(readFileSync(join(SCHEMAS_DIR, f), 'utf8')) as Json,
    }));
}

async function format(file: string, code: string): Promise<string> {
  const options = await prettier.resolveConfig(file);
  return prettier.format(code, { ...options, filepath: file });
}

async function main(check: boolean): Promise<number> {
  const sources = generate(readSchemas());
  const existing = existsSync(OUT_DIR) ? readdirSync(OUT_DIR).filter((f) => f.endsWith('.ts')) : [];
  const stale: string[] = [];
  for (const [name, code] of sources) {
    const file = join(OUT_DIR, name);
    const formatted = await format(file, code);
    const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (current === formatted) continue;
    stale.push(`${relative(ROOT, file)}${current === undefined ? ' (missing)' : ''}`);
    if (!check) {
      mkdirSync(OUT_DIR, { recursive: true });
      writeFileSync(file, formatted);
    }
  }
  for (const name of existing.filter((f) => !sources.has(f))) {
    stale.push(`${relative(ROOT, join(OUT_DIR, name))} (no longer generated)`);
    if (!check) rmSync(join(OUT_DIR, name));
  }
  if (check) {
    if (stale.length === 0) {
      console.log('codegen: generated code is up to date');
      return 0;
    }
    console.error(
      `codegen: stale generated code; run \`npm run codegen\`:\n${stale.map((s) => `  ${s}`).join('\n')}`,
    );
    return 1;
  }
  console.log(
    stale.length === 0
      ? 'codegen: nothing changed'
      : `codegen: wrote\n${stale.map((s) => `  ${s}`).join('\n')}`,
  );
  return 0;
}

main(process.argv.includes('--check')).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`codegen: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

/**
 * docs/asyncapi.yaml must be a valid AsyncAPI 3 document AND say what topics.ts and schemas/ say.
 * Validation uses @asyncapi/parser (offline: the only $refs are local files); consistency is checked on
 * the raw YAML, where payload `$ref`s still name their schemas/*.avsc file.
 */
import { DiagnosticSeverity, fromFile, Parser } from '@asyncapi/parser';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ALL_TOPICS } from '../../libs/shared/contracts/src/topics';
import { compareAsyncApi } from './asyncapi-consistency';
import { avroSchemaParser } from './avro-schema-parser';

const ROOT = resolve(__dirname, '../..');
const DOCUMENT = join(ROOT, 'docs/asyncapi.yaml');

async function validate(): Promise<string[]> {
  const parser = new Parser({ schemaParsers: [avroSchemaParser()] });
  const { diagnostics } = await fromFile(parser, DOCUMENT).parse();
  const describe = (d: (typeof diagnostics)[number]) =>
    `${d.path.join('.') || '(root)'} line ${d.range.start.line + 1}: ${d.message} [${String(d.code)}]`;
  for (const warning of diagnostics.filter((d) => d.severity === DiagnosticSeverity.Warning)) {
    console.warn(`asyncapi:check: warning: ${describe(warning)}`);
  }
  return diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error).map(describe);
}

async function main(): Promise<number> {
  const errors = await validate();
  const schemaFiles = readdirSync(join(ROOT, 'schemas'))
    .filter((f) => f.endsWith('.avsc'))
    .map((f) => f.slice(0, -'.avsc'.length));
  const differences = compareAsyncApi(parseYaml(readFileSync(DOCUMENT, 'utf8')), ALL_TOPICS, schemaFiles);
  if (errors.length > 0)
    console.error(
      `asyncapi:check: docs/asyncapi.yaml is invalid:\n${errors.map((e) => `  ${e}`).join('\n')}`,
    );
  if (differences.length > 0) {
    console.error(
      `asyncapi:check: docs/asyncapi.yaml disagrees with topics.ts / schemas:\n${differences.map((d) => `  ${d}`).join('\n')}`,
    );
  }
  if (errors.length + differences.length > 0) return 1;
  console.log(`asyncapi:check: docs/asyncapi.yaml is valid and matches ${ALL_TOPICS.length} topics`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`asyncapi:check: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);

import { Type } from 'avsc';
import { walkDeclarations, type Json, type NamedDeclaration } from './avro-model';
import { emitDeclaration, type EmitContext } from './emit-ts';
import { assertIdentical, COMMON_NAMESPACE, mergeDocs, type SourcedDeclaration } from './shared-types';

export const HEADER = '// Generated from schemas/*.avsc by tools/codegen/avro-to-ts.ts — do not edit.\n\n';

export interface SchemaFile {
  /** File name without `.avsc`, e.g. `contact-inbound.v1`; also the schema's name in `SCHEMAS`. */
  readonly base: string;
  readonly schema: Json;
}

interface Parsed {
  readonly file: SchemaFile;
  readonly root: NamedDeclaration;
  readonly own: readonly NamedDeclaration[];
}

/** Pure: schema files in, unformatted TS sources out (file name → code), in a stable order. */
export function generate(files: readonly SchemaFile[]): ReadonlyMap<string, string> {
  const sorted = [...files].sort((a, b) => a.base.localeCompare(b.base));
  const shared = new Map<string, SourcedDeclaration[]>();
  const owner = new Map<string, string>();
  const parsed = sorted.map((file): Parsed => {
    validate(file);
    const all: NamedDeclaration[] = [];
    walkDeclarations(file.schema, '', (d) => all.push(d));
    const own: NamedDeclaration[] = [];
    for (const declaration of all) {
      if (declaration.namespace === COMMON_NAMESPACE) {
        shared.set(declaration.fullName, [
          ...(shared.get(declaration.fullName) ?? []),
          { file: file.base, declaration },
        ]);
        continue;
      }
      const previous = owner.get(declaration.fullName);
      if (previous !== undefined) {
        throw new Error(
          `${declaration.fullName} is declared in both ${previous} and ${file.base}; ` +
            `a type used by several schemas belongs in ${COMMON_NAMESPACE}`,
        );
      }
      owner.set(declaration.fullName, file.base);
      own.push(declaration);
    }
    const [root] = all;
    if (root === undefined || root.kind !== 'record')
      throw new Error(`${file.base}: the top-level type must be a record`);
    if (root.namespace === COMMON_NAMESPACE)
      throw new Error(`${file.base}: the top-level record cannot be a shared type`);
    return { file, root, own };
  });

  const commons = [...shared.entries()]
    .map(([fullName, declarations]): NamedDeclaration => {
      assertIdentical(fullName, declarations);
      const [first] = declarations;
      if (first === undefined) throw new Error(`no declaration of ${fullName}`);
      return { ...first.declaration, node: mergeDocs(declarations) };
    })
    .sort((a, b) => a.name.localeCompare(b.name));

  const names = shortNames([...commons, ...parsed.flatMap((p) => p.own)]);
  const out = new Map<string, string>();
  out.set('common.ts', emitCommon(commons, names));
  for (const p of parsed) out.set(`${p.file.base}.ts`, emitSchemaFile(p, names));
  out.set('index.ts', emitIndex(parsed));
  return out;
}

function validate(file: SchemaFile): void {
  try {
    Type.forSchema(file.schema as Parameters<typeof Type.forSchema>[0]);
  } catch (error) {
    throw new Error(`schemas/${file.base}.avsc is not a valid Avro schema: ${(error as Error).message}`);
  }
}

/** Every schema's exports land in one barrel, so short names must be unique across all schemas. */
function shortNames(declarations: readonly NamedDeclaration[]): ReadonlyMap<string, string> {
  const byShort = new Map<string, string>();
  const names = new Map<string, string>();
  for (const d of declarations) {
    const clash = byShort.get(d.name);
    if (clash !== undefined && clash !== d.fullName) {
      throw new Error(`${d.fullName} and ${clash} would both generate the TS name ${d.name}; rename one`);
    }
    byShort.set(d.name, d.fullName);
    names.set(d.fullName, d.name);
  }
  return names;
}

function emitCommon(commons: readonly NamedDeclaration[], names: ReadonlyMap<string, string>): string {
  const ctx: EmitContext = { names, referenced: new Set() };
  const body = commons.map((d) => emitDeclaration(d, ctx)).join('\n');
  return `${HEADER}// Types every schema re-declares under ${COMMON_NAMESPACE}, declared once here.\n\n${body}`;
}

function emitSchemaFile(p: Parsed, names: ReadonlyMap<string, string>): string {
  const ctx: EmitContext = { names, referenced: new Set() };
  const body = p.own.map((d) => emitDeclaration(d, ctx)).join('\n');
  const imports = [...ctx.referenced]
    .filter((fullName) => fullName.startsWith(`${COMMON_NAMESPACE}.`))
    .map((fullName) => names.get(fullName) ?? fullName)
    .sort();
  const importLine = imports.length === 0 ? '' : `import type { ${imports.join(', ')} } from './common';\n\n`;
  const root = p.root.name;
  return (
    `${HEADER}${importLine}` +
    `/** The name of schemas/${p.file.base}.avsc, as used in \`TOPICS[...].valueSchema\`. */\n` +
    `export const ${root}SchemaName = '${p.file.base}';\n\n${body}\n` +
    `/** schemas/${p.file.base}.avsc verbatim, so runtime code (registry, codecs) never reads files. */\n` +
    `export const ${root}Schema = ${JSON.stringify(p.file.schema)} as const;\n`
  );
}

function emitIndex(parsed: readonly Parsed[]): string {
  const modules = ['common', ...parsed.map((p) => p.file.base)];
  const imports = parsed.map((p) => `import { ${p.root.name}Schema } from './${p.file.base}';`);
  const entries = parsed.map((p) => `'${p.file.base}': ${p.root.name}Schema,`);
  return (
    `${HEADER}import type { SchemaName } from '../topics';\n${imports.join('\n')}\n\n` +
    `${modules.map((m) => `export * from './${m}';`).join('\n')}\n\n` +
    '/** Every value schema by name. `satisfies` fails the build when topics.ts and schemas/ disagree. */\n' +
    `export const SCHEMAS = {\n${entries.join('\n')}\n} as const satisfies Record<SchemaName, object>;\n`
  );
}

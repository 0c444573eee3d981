import {
  declarationOf,
  fieldsOf,
  isNamedKind,
  isObject,
  resolveName,
  type Json,
  type NamedDeclaration,
} from './avro-model';

/**
 * TS for Avro declarations, matching what avsc decodes with default options: no logical types registered
 * (timestamp-millis stays a number), `wrapUnions: 'auto'` (so `["null", X]` decodes to `X | null`).
 */
const PRIMITIVE_TS: Readonly<Record<string, string>> = {
  null: 'null',
  boolean: 'boolean',
  int: 'number',
  long: 'number',
  float: 'number',
  double: 'number',
  bytes: 'Buffer',
  string: 'string',
};

export interface EmitContext {
  /** Full names of every known named type, to short (TS) names. */
  readonly names: ReadonlyMap<string, string>;
  /** Collects the full names the emitted code refers to, so the caller can write imports. */
  readonly referenced: Set<string>;
}

export function tsType(node: Json, namespace: string, ctx: EmitContext): string {
  if (typeof node === 'string') return PRIMITIVE_TS[node] ?? reference(resolveName(node, namespace), ctx);
  if (Array.isArray(node)) return unionType(node, namespace, ctx);
  if (!isObject(node)) throw new Error(`unsupported schema node: ${JSON.stringify(node)}`);
  if (isNamedKind(node.type)) return reference(declarationOf(node, namespace).fullName, ctx);
  if (node.type === 'array') return `readonly ${parenthesize(tsType(node.items ?? null, namespace, ctx))}[]`;
  if (node.type === 'map') return `Readonly<Record<string, ${tsType(node.values ?? null, namespace, ctx)}>>`;
  // A primitive with a logicalType nobody registered: avsc decodes the underlying primitive.
  return tsType(node.type ?? null, namespace, ctx);
}

function unionType(branches: readonly Json[], namespace: string, ctx: EmitContext): string {
  const nonNull = branches.filter((b) => b !== 'null');
  // avsc 'auto' wraps unions with two branches of the same kind ({ string: ... }); keep that out until needed.
  if (nonNull.length > 1)
    throw new Error(`unions other than ["null", X] are not supported: ${JSON.stringify(branches)}`);
  const types = branches.map((b) => tsType(b, namespace, ctx));
  // Avro puts the default's branch first; TS readers expect `X | null`.
  return [...types.filter((t) => t !== 'null'), ...types.filter((t) => t === 'null')].join(' | ');
}

function reference(fullName: string, ctx: EmitContext): string {
  const name = ctx.names.get(fullName);
  if (name === undefined) throw new Error(`reference to undeclared type ${fullName}`);
  ctx.referenced.add(fullName);
  return name;
}

function parenthesize(type: string): string {
  return type.includes('|') ? `(${type})` : type;
}

function jsDoc(lines: readonly string[], indent = ''): string {
  const safe = lines.map((l) => l.replace(/\*\//g, '*\\/'));
  if (safe.length === 0) return '';
  if (safe.length === 1) return `${indent}/** ${safe[0]} */\n`;
  return `${indent}/**\n${safe.map((l) => `${indent} * ${l}`).join('\n')}\n${indent} */\n`;
}

function isTimestampMillis(node: Json): boolean {
  return isObject(node) && node.logicalType === 'timestamp-millis';
}

/** `SubscriptionStatus` → `SUBSCRIPTION_STATUS`. */
export function constantCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

export function emitDeclaration(declaration: NamedDeclaration, ctx: EmitContext): string {
  const { node, name, namespace } = declaration;
  const doc = typeof node.doc === 'string' ? [node.doc] : [];
  const evolution =
    typeof node.default === 'string' ? [`Readers map unknown symbols to '${node.default}'.`] : [];
  const header = jsDoc([...doc, `Avro ${declaration.kind} \`${declaration.fullName}\`.`, ...evolution]);
  switch (declaration.kind) {
    case 'record': {
      const fields = fieldsOf(node).map((field) => {
        const notes = [
          ...(field.doc === undefined ? [] : [field.doc]),
          ...(isTimestampMillis(field.type)
            ? ['Epoch milliseconds (Avro timestamp-millis, decoded as a number).']
            : []),
        ];
        const optional = field.omittable === true ? '?' : '';
        return `${jsDoc(notes, '  ')}  readonly ${field.name}${optional}: ${tsType(field.type, namespace, ctx)};`;
      });
      return `${header}export interface ${name} {\n${fields.join('\n')}\n}\n`;
    }
    case 'enum': {
      const symbols = Array.isArray(node.symbols) ? node.symbols.map(String) : [];
      const literals = symbols.map((s) => `'${s}'`);
      return (
        header +
        `export type ${name} = ${literals.join(' | ')};\n\n` +
        `export const ${constantCase(name)}_SYMBOLS = [${literals.join(', ')}] as const satisfies readonly ${name}[];\n`
      );
    }
    case 'fixed':
      return `${header}export type ${name} = Buffer;\n`;
  }
}

/**
 * The few Avro schema facts the generator needs: JSON shapes, name resolution (Avro spec "Names") and a
 * walk that lists every named declaration of a schema in declaration order (order keeps output stable).
 */
export type Json = null | boolean | number | string | readonly Json[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: Json;
}

export type NamedKind = 'record' | 'enum' | 'fixed';

export interface NamedDeclaration {
  readonly kind: NamedKind;
  readonly fullName: string;
  readonly name: string;
  /** The namespace the declaration's own children inherit. */
  readonly namespace: string;
  readonly node: JsonObject;
}

export const PRIMITIVES: ReadonlySet<string> = new Set([
  'null',
  'boolean',
  'int',
  'long',
  'float',
  'double',
  'bytes',
  'string',
]);

export function isObject(node: Json | undefined): node is JsonObject {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

export function isNamedKind(type: Json | undefined): type is NamedKind {
  return type === 'record' || type === 'enum' || type === 'fixed';
}

/** A dotted name is already full; otherwise it lives in the enclosing namespace. */
export function resolveName(name: string, enclosingNamespace: string): string {
  if (name.includes('.') || enclosingNamespace === '') return name;
  return `${enclosingNamespace}.${name}`;
}

export function declarationOf(node: JsonObject, enclosingNamespace: string): NamedDeclaration {
  const { type, name, namespace } = node;
  if (!isNamedKind(type) || typeof name !== 'string')
    throw new Error(`not a named type: ${JSON.stringify(node)}`);
  const fullName = resolveName(name, typeof namespace === 'string' ? namespace : enclosingNamespace);
  const dot = fullName.lastIndexOf('.');
  return {
    kind: type,
    fullName,
    name: fullName.slice(dot + 1),
    namespace: dot < 0 ? '' : fullName.slice(0, dot),
    node,
  };
}

/** Calls `visit` for every named type declared (not merely referenced) in `node`, outermost first. */
export function walkDeclarations(
  node: Json,
  enclosingNamespace: string,
  visit: (declaration: NamedDeclaration) => void,
): void {
  if (Array.isArray(node)) {
    for (const branch of node) walkDeclarations(branch, enclosingNamespace, visit);
    return;
  }
  if (!isObject(node)) return;
  if (isNamedKind(node.type)) {
    const declaration = declarationOf(node, enclosingNamespace);
    visit(declaration);
    for (const field of fieldsOf(node)) walkDeclarations(field.type, declaration.namespace, visit);
    return;
  }
  if (node.type === 'array') walkDeclarations(node.items ?? null, enclosingNamespace, visit);
  else if (node.type === 'map') walkDeclarations(node.values ?? null, enclosingNamespace, visit);
  else if (typeof node.type === 'object') walkDeclarations(node.type, enclosingNamespace, visit);
}

export interface FieldNode {
  readonly name: string;
  readonly type: Json;
  readonly doc?: string;
  /**
   * `"omittable": true` (a field added after the first version, always with a default): writers may leave
   * it out and avsc writes the default; decoded values always carry it. Emitted as an optional property.
   */
  readonly omittable?: boolean;
}

export function fieldsOf(node: JsonObject): readonly FieldNode[] {
  const fields = node.fields;
  if (!Array.isArray(fields)) return [];
  return fields.map((field: Json) => {
    if (!isObject(field) || typeof field.name !== 'string' || field.type === undefined) {
      throw new Error(`malformed field in ${String(node.name)}: ${JSON.stringify(field)}`);
    }
    if (field.omittable === true && field.default === undefined)
      throw new Error(`omittable field ${String(node.name)}.${field.name} has no default`);
    return {
      name: field.name,
      type: field.type,
      ...(typeof field.doc === 'string' ? { doc: field.doc } : {}),
      ...(field.omittable === true ? { omittable: true } : {}),
    };
  });
}

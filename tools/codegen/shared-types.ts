import {
  fieldsOf,
  isNamedKind,
  isObject,
  PRIMITIVES,
  resolveName,
  type Json,
  type JsonObject,
  type NamedDeclaration,
} from './avro-model';

/** Named types in this namespace are shared: every schema file re-declares them, TS declares them once. */
export const COMMON_NAMESPACE = 'io.optstream.common.v1';

export interface SourcedDeclaration {
  readonly file: string;
  readonly declaration: NamedDeclaration;
}

/**
 * The declaration with docs dropped and every nested named type reduced to its full name. Two files may
 * declare a nested type inline or reference it by name; both mean the same thing, and each nested type is
 * compared on its own, so equal shallow forms of all shared declarations mean structurally equal types.
 * Docs are left out because they do not change what is on the wire.
 */
export function shallowForm(declaration: NamedDeclaration): Json {
  const reduce = (node: Json, namespace: string): Json => {
    if (typeof node === 'string') return PRIMITIVES.has(node) ? node : resolveName(node, namespace);
    if (Array.isArray(node)) return node.map((branch: Json) => reduce(branch, namespace));
    if (!isObject(node)) return node;
    if (isNamedKind(node.type)) {
      const ns = typeof node.namespace === 'string' ? node.namespace : namespace;
      return resolveName(String(node.name), ns);
    }
    return copyWithout(node, namespace);
  };
  const copyWithout = (node: JsonObject, namespace: string): JsonObject => {
    const out: Record<string, Json> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'doc' || key === 'namespace') continue;
      if (key === 'type' || key === 'items' || key === 'values') out[key] = reduce(value, namespace);
      else if (key === 'fields' && Array.isArray(value)) {
        out[key] = value.map((field: Json) => (isObject(field) ? copyWithout(field, namespace) : field));
      } else out[key] = value;
    }
    return out;
  };
  return { ...copyWithout(declaration.node, declaration.namespace), name: declaration.fullName };
}

/** Throws, naming both files, unless every declaration of each shared type is structurally identical. */
export function assertIdentical(fullName: string, declarations: readonly SourcedDeclaration[]): void {
  const [first, ...rest] = declarations;
  if (first === undefined) return;
  const expected = JSON.stringify(shallowForm(first.declaration));
  for (const other of rest) {
    const actual = JSON.stringify(shallowForm(other.declaration));
    if (actual !== expected) {
      throw new Error(
        `shared type ${fullName} differs between schema files:\n` +
          `  ${first.file}: ${expected}\n  ${other.file}: ${actual}\n` +
          'Every re-declaration must be identical (docs aside); change all of them together.',
      );
    }
  }
}

/**
 * One node to generate TS from. Docs may be written on only some re-declarations, so each doc is taken
 * from the first declaration (in file order) that has it.
 */
export function mergeDocs(declarations: readonly SourcedDeclaration[]): JsonObject {
  const nodes = declarations.map((d) => d.declaration.node);
  const [first] = nodes;
  if (first === undefined) throw new Error('mergeDocs needs at least one declaration');
  const firstDoc = (docs: readonly (Json | undefined)[]): Json | undefined =>
    docs.find((d) => typeof d === 'string');
  const doc = firstDoc(nodes.map((n) => n.doc));
  const merged: Record<string, Json> = { ...first, ...(doc === undefined ? {} : { doc }) };
  if (Array.isArray(first.fields)) {
    merged.fields = first.fields.map((field: Json, index: number) => {
      if (!isObject(field)) return field;
      const fieldDoc = firstDoc(nodes.map((n) => fieldsOf(n)[index]?.doc));
      return fieldDoc === undefined ? field : { ...field, doc: fieldDoc };
    });
  }
  return merged;
}

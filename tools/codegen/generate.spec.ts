import type { Json } from './avro-model';
import { generate, type SchemaFile } from './generate';

const channel = (symbols: readonly string[], doc?: string) => ({
  type: 'enum',
  name: 'Channel',
  namespace: 'io.optstream.common.v1',
  symbols,
  default: 'unknown',
  ...(doc === undefined ? {} : { doc }),
});
const schemaFile = (base: string, name: string, fieldType: Json): SchemaFile => ({
  base,
  schema: {
    type: 'record',
    name,
    namespace: `io.test.${name.toLowerCase()}`,
    fields: [{ name: 'channel', type: fieldType }],
  },
});

describe('generate', () => {
  it('declares a shared type once, in common.ts, and imports it elsewhere', () => {
    const out = generate([
      schemaFile('a.v1', 'A', channel(['unknown', 'email'], 'documented here only')),
      schemaFile('b.v1', 'B', channel(['unknown', 'email'])),
    ]);
    expect(out.get('common.ts')).toContain("export type Channel = 'unknown' | 'email';");
    expect(out.get('common.ts')).toContain('documented here only');
    for (const file of ['a.v1.ts', 'b.v1.ts']) {
      expect(out.get(file)).toContain("import type { Channel } from './common';");
      expect(out.get(file)).not.toContain('export type Channel');
    }
  });

  it('fails, naming both files, when re-declarations of a shared type differ', () => {
    const files = [
      schemaFile('a.v1', 'A', channel(['unknown', 'email'])),
      schemaFile('b.v1', 'B', channel(['unknown', 'email', 'sms'])),
    ];
    expect(() => generate(files)).toThrow(
      /io\.optstream\.common\.v1\.Channel differs[\s\S]*a\.v1[\s\S]*b\.v1/,
    );
  });

  it('fails when a non-shared named type is declared by two schemas', () => {
    const local = { type: 'enum', name: 'io.test.shared.Kind', symbols: ['x'] };
    expect(() => generate([schemaFile('a.v1', 'A', local), schemaFile('b.v1', 'B', local)])).toThrow(
      /declared in both a\.v1 and b\.v1/,
    );
  });

  it('fails when two types would get the same TS name (the barrel exports all of them)', () => {
    const kind = { type: 'enum', name: 'Kind', symbols: ['x'] };
    expect(() => generate([schemaFile('a.v1', 'A', kind), schemaFile('b.v1', 'B', kind)])).toThrow(
      /io\.test\.b\.Kind and io\.test\.a\.Kind would both generate the TS name Kind/,
    );
  });

  it('maps nullable unions, arrays, maps, bytes and timestamp-millis to what avsc decodes', () => {
    const out = generate([
      {
        base: 'c.v1',
        schema: {
          type: 'record',
          name: 'C',
          fields: [
            { name: 'maybe', type: ['null', 'string'], default: null },
            { name: 'list', type: { type: 'array', items: ['null', 'long'] } },
            { name: 'tags', type: { type: 'map', values: 'string' } },
            { name: 'raw', type: 'bytes' },
            { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
          ],
        },
      },
    ]).get('c.v1.ts');
    expect(out).toContain('readonly maybe: string | null;');
    expect(out).toContain('readonly list: readonly (number | null)[];');
    expect(out).toContain('readonly tags: Readonly<Record<string, string>>;');
    expect(out).toContain('readonly raw: Buffer;');
    expect(out).toContain('readonly at: number;');
  });
});

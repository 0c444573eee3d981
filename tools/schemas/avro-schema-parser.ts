import type { AsyncAPISchema, SchemaParser, SchemaValidateResult } from '@asyncapi/parser';
import { Type } from 'avsc';

/**
 * @asyncapi/parser only knows JSON-Schema-like formats; the official Avro plugin is not a dependency.
 * This one validates payloads with avsc (the library we encode with) and hands the parser a stub schema:
 * nothing downstream renders payloads, we only want the document validated.
 */
export const AVRO_SCHEMA_FORMATS = [
  'application/vnd.apache.avro;version=1.9.0',
  'application/vnd.apache.avro+json;version=1.9.0',
  'application/vnd.apache.avro+yaml;version=1.9.0',
];

export function avroSchemaParser(): SchemaParser {
  return {
    getMimeTypes: () => AVRO_SCHEMA_FORMATS,
    validate: ({ data, path }): SchemaValidateResult[] => {
      try {
        Type.forSchema(data as Parameters<typeof Type.forSchema>[0]);
        return [];
      } catch (error) {
        return [
          { message: `invalid Avro schema: ${error instanceof Error ? error.message : String(error)}`, path },
        ];
      }
    },
    parse: ({ data }): AsyncAPISchema => {
      const schema = (typeof data === 'object' && data !== null ? data : {}) as {
        name?: unknown;
        doc?: unknown;
      };
      return {
        type: 'object',
        ...(typeof schema.name === 'string' ? { title: schema.name } : {}),
        ...(typeof schema.doc === 'string' ? { description: schema.doc } : {}),
      };
    },
  };
}

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { ALL_TOPICS, TOPICS, type IdentityEvent } from '@optstream/contracts';
import type { AvroCodec } from '@optstream/kafka';
import { identifierAssociatedData, LocalMasterKeyProvider, open } from '@optstream/pii-crypto';
import { readTopic } from '@optstream/testing';

/** Where a value was found: `table:…`, `topic:…`, `log:…`. Empty = nowhere. */
export type Findings = string[];

/** Every row of every optstream table, as JSON text, searched for the values. */
export async function scanTables(databaseUrl: string, values: readonly string[]): Promise<Findings> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const tables = await db.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_schema IN ('identity', 'preferences', 'connectors', 'public') AND table_type = 'BASE TABLE'`,
    );
    const found: Findings = [];
    for (const { schema, name } of tables.rows) {
      const rows = await db.query<{ row: string }>(
        `SELECT row_to_json(t)::text AS row FROM "${schema}"."${name}" t`,
      );
      for (const { row } of rows.rows)
        for (const v of values) if (row.includes(v)) found.push(`table:${schema}.${name}`);
    }
    return found;
  } finally {
    await db.end();
  }
}

/**
 * Every message of every long-lived topic, keys and values as bytes, searched for the values; and
 * every sealed identifier in identity.v1 opened with every data key that still exists. contact.inbound.v1
 * is left out on purpose: it holds raw identifiers and forgets them by its bounded retention (7 days).
 */
export async function scanTopics(
  brokers: readonly string[],
  codec: AvroCodec,
  databaseUrl: string,
  masterKeys: string,
  values: readonly string[],
  { openSealed = true }: { openSealed?: boolean } = {},
): Promise<Findings> {
  const kafka = new Kafka({ brokers: [...brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const found: Findings = [];
  const identityEvents: IdentityEvent[] = [];
  try {
    for (const topic of ALL_TOPICS.filter((t) => t.name !== TOPICS.contactInbound.name)) {
      const count = (await admin.fetchTopicOffsets(topic.name)).reduce(
        (sum, o) => sum + Number(o.high) - Number(o.low),
        0,
      );
      if (count === 0) continue;
      for (const { message } of await readTopic(brokers, topic.name, { count })) {
        const bytes = Buffer.concat([message.key ?? Buffer.alloc(0), message.value ?? Buffer.alloc(0)]);
        for (const v of values) if (bytes.includes(Buffer.from(v))) found.push(`topic:${topic.name}`);
        if (topic.name === TOPICS.identity.name && message.value)
          identityEvents.push(await codec.decode<IdentityEvent>(message.value));
      }
    }
  } finally {
    await admin.disconnect();
  }
  if (openSealed) found.push(...(await openSealedValues(identityEvents, databaseUrl, masterKeys, values)));
  return found;
}

async function openSealedValues(
  events: readonly IdentityEvent[],
  databaseUrl: string,
  masterKeys: string,
  values: readonly string[],
): Promise<Findings> {
  const keys = Object.fromEntries(
    masterKeys.split(',').map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
  );
  const provider = new LocalMasterKeyProvider({ activeKeyId: Object.keys(keys)[0] ?? '', keys });
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const found: Findings = [];
  try {
    const rows = await db.query<{ key_id: string; external_id: string; wrapped_key: Buffer | null }>(
      `SELECT key_id, external_id, wrapped_key FROM identity.data_keys`,
    );
    const byId = new Map(rows.rows.map((r) => [r.key_id, r]));
    for (const event of events) {
      const id = event.identifier;
      const row = id ? byId.get(id.dataKeyId) : undefined;
      if (!id || !row || row.wrapped_key === null) continue;
      const key = await provider.unwrapKey({
        blob: row.wrapped_key,
        context: { externalId: row.external_id },
      });
      const kind = id.kind === 'unknown' ? 'email' : id.kind;
      const plain = open(key, id.sealedValue, identifierAssociatedData(row.external_id, kind)).toString(
        'utf8',
      );
      if (values.includes(plain)) found.push(`sealed:${TOPICS.identity.name}:${event.eventId}`);
    }
  } finally {
    await db.end();
  }
  return found;
}

/** Every service log line, searched for the values (logs mask emails and phones). */
export function scanLogs(logDir: string, values: readonly string[]): Findings {
  const found: Findings = [];
  for (const file of readdirSync(logDir).filter((f) => f.endsWith('.log'))) {
    const text = readFileSync(join(logDir, file), 'utf8');
    for (const v of values) if (text.includes(v)) found.push(`log:${file}`);
  }
  return found;
}

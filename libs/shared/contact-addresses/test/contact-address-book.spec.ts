import { Pool } from 'pg';
import { randomBytes } from 'node:crypto';
import {
  generateDataKey,
  identifierAssociatedData,
  LocalMasterKeyProvider,
  seal,
  type IdentifierKind,
} from '@optstream/pii-crypto';
import { testDatabaseUrl, uniqueName } from '@optstream/testing';
import { ContactAddressBook } from '../src';

const masterKeys = new LocalMasterKeyProvider({
  activeKeyId: 'test',
  keys: { test: randomBytes(32).toString('base64') },
});

/** The columns the resolver's migration creates (the tables may already exist in the shared test DB). */
async function ensureIdentityTables(pool: Pool): Promise<void> {
  await pool.query(`SELECT pg_advisory_lock(hashtext('optstream.identity.migrations'))`);
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS identity`);
    await pool.query(`CREATE TABLE IF NOT EXISTS identity.identifiers (
      kind text NOT NULL, keyed_hash text NOT NULL, external_id text NOT NULL, sealed_value bytea,
      data_key_id text, event_id text NOT NULL, UNIQUE (kind, keyed_hash))`);
    await pool.query(`CREATE TABLE IF NOT EXISTS identity.data_keys (
      key_id text PRIMARY KEY, external_id text NOT NULL UNIQUE, wrapped_key bytea,
      master_key_id text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), destroyed_at timestamptz)`);
  } finally {
    await pool.query(`SELECT pg_advisory_unlock(hashtext('optstream.identity.migrations'))`);
  }
}

async function storeContact(
  pool: Pool,
  externalId: string,
  values: Partial<Record<IdentifierKind, string>>,
): Promise<void> {
  const dataKey = generateDataKey();
  const wrapped = await masterKeys.wrapKey(dataKey, { externalId });
  const keyId = `dk-${externalId}`;
  await pool.query(
    `INSERT INTO identity.data_keys (key_id, external_id, wrapped_key, master_key_id) VALUES ($1,$2,$3,$4)`,
    [keyId, externalId, wrapped.blob, masterKeys.keyId],
  );
  for (const [kind, value] of Object.entries(values) as [IdentifierKind, string][]) {
    await pool.query(
      `INSERT INTO identity.identifiers (kind, keyed_hash, external_id, sealed_value, data_key_id, event_id)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        kind,
        uniqueName('hash'),
        externalId,
        seal(dataKey, value, identifierAssociatedData(externalId, kind)),
        keyId,
        uniqueName('evt'),
      ],
    );
  }
}

describe('ContactAddressBook (real Postgres)', () => {
  let pool: Pool;
  let book: ContactAddressBook;

  beforeAll(async () => {
    pool = new Pool({ connectionString: testDatabaseUrl(), max: 2 });
    await ensureIdentityTables(pool);
    book = new ContactAddressBook(pool, masterKeys);
  });
  afterAll(() => pool.end());

  it('decrypts the email and phone of several contacts in one call, and leaves out the unknown', async () => {
    const a = uniqueName('contact');
    const b = uniqueName('contact');
    await storeContact(pool, a, { email: 'ada@example.com', phone: '+14155550100', external_id: a });
    await storeContact(pool, b, { phone: '+447700900123' });

    const found = await book.addressesOf([a, b, uniqueName('nobody')]);

    expect(found.size).toBe(2);
    expect(found.get(a)).toEqual({ email: 'ada@example.com', phone: '+14155550100' });
    expect(found.get(b)).toEqual({ phone: '+447700900123' });
  });

  it('returns nothing for an erased contact whose data key was destroyed', async () => {
    const erased = uniqueName('contact');
    await storeContact(pool, erased, { email: 'gone@example.com' });
    await pool.query(
      `UPDATE identity.data_keys SET wrapped_key = NULL, destroyed_at = now() WHERE external_id = $1`,
      [erased],
    );

    expect((await book.addressesOf([erased])).has(erased)).toBe(false);
  });

  it("refuses a sealed value passed off under another contact's key (associated data binds it)", async () => {
    const owner = uniqueName('contact');
    const thief = uniqueName('contact');
    await storeContact(pool, owner, { email: 'owner@example.com' });
    await storeContact(pool, thief, {});
    await pool.query(
      `INSERT INTO identity.identifiers (kind, keyed_hash, external_id, sealed_value, data_key_id, event_id)
       SELECT kind, $2, $3, sealed_value, 'dk-' || $3, event_id FROM identity.identifiers
        WHERE external_id = $1 AND kind = 'email'`,
      [owner, uniqueName('hash'), thief],
    );

    await expect(book.addressesOf([thief])).rejects.toThrow(/could not be authenticated/);
  });

  it("opens an identifier a merge moved to the survivor with the merged contact's own key", async () => {
    const provisional = uniqueName('contact');
    const survivor = uniqueName('contact');
    await storeContact(pool, provisional, { email: 'merged@example.com' });
    await storeContact(pool, survivor, { phone: '+14155550199' });
    await pool.query(`UPDATE identity.identifiers SET external_id = $2 WHERE external_id = $1`, [
      provisional,
      survivor,
    ]);

    expect((await book.addressesOf([survivor])).get(survivor)).toEqual({
      email: 'merged@example.com',
      phone: '+14155550199',
    });
  });

  it('asks for nothing when given no contacts', async () => {
    expect((await book.addressesOf([])).size).toBe(0);
  });
});

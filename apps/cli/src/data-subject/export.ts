import { ContactAddressBook } from '@optstream/contact-addresses';
import { CONNECTORS_DATABASE } from '@optstream/connectors-data-access';
import { createLogger } from '@optstream/observability';
import { LocalMasterKeyProvider } from '@optstream/pii-crypto';
import { openDatabase } from '@optstream/postgres';
import { PreferencesReadModel } from '@optstream/preferences-data-access';
import { loadAuditConfig } from '../config/command-configs';
import { UsageError } from '../usage-error';

export const EXPORT_USAGE = `usage: optstream export --contact <externalId>

Everything optstream holds about a person (GDPR access/portability) as JSON on stdout: identifiers with
the decrypted email and phone, current consent per channel, and the full history with sources.
Needs DATABASE_URL and OPTSTREAM_MASTER_KEYS.`;

export function parseExportArgs(argv: readonly string[]): string {
  const i = argv.indexOf('--contact');
  const id = i >= 0 ? argv[i + 1] : undefined;
  if (!id) throw new UsageError('--contact <externalId> is required');
  return id;
}

export async function runExport(externalId: string, stdout: NodeJS.WritableStream): Promise<void> {
  const config = loadAuditConfig(process.env);
  const db = await openDatabase({
    url: config.DATABASE_URL,
    applicationName: 'optstream-export',
    log: createLogger('optstream-export', 'warn', process.stderr),
    poolSize: 2,
    // Reads only: the tables belong to their services, which migrate them.
    migrationsTableName: CONNECTORS_DATABASE.migrationsTableName,
    migrations: [],
  });
  try {
    const readModel = new PreferencesReadModel(db, config.PROJECTION_NAME);
    const contact = await readModel.contact(externalId);
    if (!contact) throw new Error(`no contact with externalId ${externalId}`);
    const masterKeys = new LocalMasterKeyProvider({
      activeKeyId: Object.keys(config.OPTSTREAM_MASTER_KEYS)[0] ?? '',
      keys: config.OPTSTREAM_MASTER_KEYS,
    });
    const addresses = (await new ContactAddressBook(db, masterKeys).addressesOf([externalId])).get(
      externalId,
    );
    const history = await readModel.history(externalId);
    stdout.write(
      `${JSON.stringify(
        {
          exportedAt: new Date().toISOString(),
          externalId,
          erasedAt: contact.erasedAt === null ? null : new Date(contact.erasedAt).toISOString(),
          addresses: addresses ?? {},
          identifiers: contact.identifiers,
          consent: contact.state.channels,
          history: history.map((h) => h.event),
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await db.destroy();
  }
}

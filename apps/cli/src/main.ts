import { ConfigError } from '@optstream/config';
import { TOPICS } from '@optstream/contracts';
import { AvroCodec, createKafkaClient, EventPublisher } from '@optstream/kafka';
import { loadCliConfig } from './config/cli-config';
import { localStackEnv } from './config/local-stack-env';
import { AUDIT_USAGE, parseAuditArgs } from './audit/audit-options';
import { auditFromEnv } from './audit/audit-runtime';
import { BACKFILL_USAGE, parseBackfillArgs } from './backfill/backfill-options';
import { runBackfill } from './backfill/run-backfill';
import { loadAuditConfig, loadBackfillConfig } from './config/command-configs';
import { HISTORY_USAGE, parseHistoryArgs } from './history/history-options';
import { proofOpener } from './history/proof-of-consent';
import { runHistory } from './history/run-history';
import { withIdentityKeys } from './config/identity-keys';
import { ERASE_USAGE, parseEraseArgs, runErase } from './data-subject/erase';
import { EXPORT_USAGE, parseExportArgs, runExport } from './data-subject/export';
import { DLQ_USAGE, parseDlqArgs } from './dlq/dlq-options';
import { dlqFromEnv } from './dlq/dlq-runtime';
import { LINKS_USAGE, parseLinksArgs, runLinks } from './links/links';
import { UsageError } from './usage-error';

const USAGE = `usage: optstream <command> [options]

commands:
  history    one contact's changes, every change in a time range, or everyone's state as of a time,
             read straight from Kafka (no database) — see docs/cli.md
  backfill   import CSV exports of the platforms (merged, latest wins) as inbound events
  audit      compare each platform's view of sampled contacts with the read model; --repair fixes drift
  erase      GDPR erasure of one contact or a file of externalIds (crypto-shredding, see docs/privacy.md)
  export     everything held about one contact, addresses decrypted, as JSON (data-subject access)
  dlq        list dead letters (never their payloads), replay them into their original topics
  links      signed one-click unsubscribe and preference-center URLs for a contact (docs/preference-center.md)
  help       this text; \`optstream history --help\` for a command's options

The projection rebuild is \`npx nx run preference-projector:rebuild\` (it needs the database).`;

type Command = (argv: readonly string[]) => Promise<void>;

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

const COMMANDS: Record<string, Command> = {
  async history(argv) {
    const options = parseHistoryArgs(argv);
    const config = loadCliConfig(process.env);
    const kafka = createKafkaClient(config, 'optstream-cli');
    // With the identity store's keys (DATABASE_URL, OPTSTREAM_MASTER_KEYS) the proof of consent opens.
    await withIdentityKeys(process.env, process.stderr, 'optstream-history', (keys) =>
      runHistory(options, {
        kafka,
        codec: AvroCodec.fromConfig(config),
        topics: {
          preferences: options.topic ?? config.PREFERENCES_TOPIC,
          identity: options.identityTopic ?? config.IDENTITY_TOPIC,
        },
        stdout: process.stdout,
        stderr: process.stderr,
        ...(keys === null ? {} : { openProof: proofOpener(keys) }),
      }),
    );
  },
  async backfill(argv) {
    const options = parseBackfillArgs(argv);
    let interrupt = false;
    // SIGTERM and SIGHUP (a Job deleted, a terminal closed) stop it like Ctrl-C: without a handler Node
    // would die at once and leave the scratch files, which hold identifiers, behind.
    const onSignal = (signal: NodeJS.Signals) => () => {
      interrupt = true;
      process.stderr.write(`\nbackfill: ${signal}: stopping after the current batch (again to abort)\n`);
      for (const s of STOP_SIGNALS) process.once(s, () => process.exit(130));
    };
    for (const s of STOP_SIGNALS) process.once(s, onSignal(s));
    if (options.dryRun) {
      const result = await runBackfill(options, {
        topic: options.topic ?? TOPICS.contactInbound.name,
        stderr: process.stderr,
        interrupted: () => interrupt,
      });
      if (result.interrupted) process.exitCode = 130;
      return;
    }
    const config = loadBackfillConfig(process.env);
    const kafka = createKafkaClient(config, 'optstream-backfill');
    const codec = AvroCodec.fromConfig(config);
    const publisher = new EventPublisher(kafka, codec, {
      [options.topic ?? config.INBOUND_TOPIC]: TOPICS.contactInbound.valueSchema,
    });
    await publisher.connect();
    try {
      const result = await runBackfill(options, {
        topic: options.topic ?? config.INBOUND_TOPIC,
        publish: { sink: publisher, codec, hashKey: Buffer.from(config.OPTSTREAM_HASH_KEY, 'base64') },
        stderr: process.stderr,
        interrupted: () => interrupt,
      });
      if (result.interrupted) process.exitCode = 130;
    } finally {
      await publisher.disconnect();
    }
  },
  async audit(argv) {
    const options = parseAuditArgs(argv);
    const report = await auditFromEnv(options, loadAuditConfig(process.env), process.env, {
      stdout: process.stdout,
      stderr: process.stderr,
    });
    if (report.belowThreshold.length > 0) process.exitCode = 3;
  },
  async erase(argv) {
    await runErase(parseEraseArgs(argv), process.stderr);
  },
  async export(argv) {
    await runExport(parseExportArgs(argv), process.stdout);
  },
  async dlq(argv) {
    await dlqFromEnv(parseDlqArgs(argv), process.env, { stdout: process.stdout, stderr: process.stderr });
  },
  async links(argv) {
    runLinks(parseLinksArgs(argv), process.env, process.stdout);
  },
  async help() {
    process.stdout.write(`${USAGE}\n`);
  },
};

const COMMAND_USAGE: Record<string, string> = {
  history: HISTORY_USAGE,
  backfill: BACKFILL_USAGE,
  audit: AUDIT_USAGE,
  erase: ERASE_USAGE,
  export: EXPORT_USAGE,
  dlq: DLQ_USAGE,
  links: LINKS_USAGE,
};

async function main(argv: readonly string[]): Promise<void> {
  const [name, ...rest] = argv;
  const command =
    name === undefined || name === '--help' || name === '-h' ? COMMANDS['help'] : COMMANDS[name];
  if (!command) throw new UsageError(`unknown command "${name}"`);
  // The one --help path: a command's usage text, before its options are even parsed.
  const usage = COMMAND_USAGE[name ?? ''];
  if (usage !== undefined && (rest.includes('--help') || rest.includes('-h')))
    return void process.stdout.write(`${usage}\n`);
  if (command !== COMMANDS['help']) {
    // After `npm start` with nothing set, use its stack the way its services do, and say so.
    const local = localStackEnv(process.env);
    if (local.notice !== undefined) process.stderr.write(`${local.notice}\n`);
    Object.assign(process.env, local.added);
  }
  await command(rest);
}

main(process.argv.slice(2)).then(
  // Let stdout drain (a pipe into `head` or a file) before leaving.
  () => process.stdout.write('', () => process.exit(process.exitCode ?? 0)),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`optstream: ${error.message}\n\n${COMMAND_USAGE[process.argv[2] ?? ''] ?? USAGE}`);
      process.exit(2);
    }
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);

import { ConfigError } from '@optstream/config';
import { AvroCodec, createKafkaClient } from '@optstream/kafka';
import { loadCliConfig } from './config/cli-config';
import { HISTORY_USAGE, parseHistoryArgs } from './history/history-options';
import { runHistory } from './history/run-history';
import { UsageError } from './usage-error';

const USAGE = `usage: optstream <command> [options]

commands:
  history    one contact's changes, every change in a time range, or everyone's state as of a time,
             read straight from Kafka (no database) — see docs/cli.md
  help       this text; \`optstream history --help\` for a command's options

The projection rebuild is \`npx nx run preference-projector:rebuild\` (it needs the database).`;

type Command = (argv: readonly string[]) => Promise<void>;

const COMMANDS: Record<string, Command> = {
  async history(argv) {
    if (argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(`${HISTORY_USAGE}\n`);
      return;
    }
    const options = parseHistoryArgs(argv);
    const config = loadCliConfig(process.env);
    const kafka = createKafkaClient(config, 'optstream-cli');
    await runHistory(options, {
      kafka,
      codec: AvroCodec.fromConfig(config),
      topics: {
        preferences: options.topic ?? config.PREFERENCES_TOPIC,
        identity: options.identityTopic ?? config.IDENTITY_TOPIC,
      },
      stdout: process.stdout,
      stderr: process.stderr,
    });
  },
  async help() {
    process.stdout.write(`${USAGE}\n`);
  },
};

async function main(argv: readonly string[]): Promise<void> {
  const [name, ...rest] = argv;
  const command =
    name === undefined || name === '--help' || name === '-h' ? COMMANDS['help'] : COMMANDS[name];
  if (!command) throw new UsageError(`unknown command "${name}"`);
  await command(rest);
}

main(process.argv.slice(2)).then(
  // Let stdout drain (a pipe into `head` or a file) before leaving.
  () => process.stdout.write('', () => process.exit(0)),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(
        `optstream: ${error.message}\n\n${process.argv[2] === 'history' ? HISTORY_USAGE : USAGE}`,
      );
      process.exit(2);
    }
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);

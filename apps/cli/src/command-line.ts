import { parseArgs, type ParseArgsConfig } from 'node:util';
import { errorMessage } from '@optstream/kafka';
import { UsageError } from './usage-error';

/**
 * The one way a command reads its command line: Node's `parseArgs`, strict, so an unknown option, a
 * missing value or a flag where a value belongs (`erase --contact --file ids.txt`) is a usage error
 * (exit 2) instead of a value. `context` prefixes the message (e.g. `dlq`), `hint` ends it.
 */
export function parseCommandLine<T extends ParseArgsConfig>(
  config: T,
  { context, hint }: { context?: string; hint?: string } = {},
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config); // strict unless the config says otherwise (Node's default)
  } catch (error) {
    const message = errorMessage(error);
    throw new UsageError(`${context ? `${context}: ` : ''}${message}${hint ? ` (${hint})` : ''}`);
  }
}

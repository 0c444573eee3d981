import pino, { Logger } from 'pino';
import { maskEmail, maskPii } from '@optstream/pii-crypto';

export type { Logger } from 'pino';

/** Fields that hold personal data by name; they are masked whatever their content looks like. */
const EMAIL_FIELDS = new Set(['email', 'to', 'from_email']);

function maskValue(key: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (EMAIL_FIELDS.has(key) && value.includes('@')) return maskEmail(value);
  return maskPii(value);
}

/**
 * JSON logs on stdout with emails and phone numbers masked in every string field and the message — PII
 * never reaches a log line (rule 8 of docs/architecture.md). One logger per service; children add context.
 */
export function createLogger(service: string, level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => Object.fromEntries(Object.entries(object).map(([k, v]) => [k, maskValue(k, v)])),
      },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? maskPii(a) : a)) as Parameters<
            typeof method
          >;
          method.apply(this, masked);
        },
      },
    },
    destination,
  );
}

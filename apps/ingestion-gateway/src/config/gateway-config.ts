import { env, kafkaConfigSchema, KAFKA_SECRET_NAMES, loadConfig, withSecretFiles } from '@optstream/config';
import { z } from 'zod';
import { PREFERENCE_CENTER_SECRET_NAMES, preferenceCenterSettings } from './preference-center-config';

const base64Key = z
  .string()
  .refine((v) => Buffer.from(v, 'base64').length >= 32, 'must be at least 32 bytes, base64-encoded');

/** `key=source,key2=source2`: one Segment write key per source, so events say where they came from. */
const writeKeys = z
  .string()
  .default('')
  .transform((raw, ctx) => {
    const keys = new Map<string, string>();
    for (const entry of raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [key, source] = entry.split('=');
      if (!key || !source) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `entry "${entry.slice(0, 4)}…" must be <writeKey>=<sourceName>`,
        });
        return z.NEVER;
      }
      keys.set(key, source);
    }
    return keys;
  });

/**
 * `writeKey=https://shop.example|https://www.shop.example,…`: the web origins whose browsers may send
 * with each write key (CORS). A key not listed allows no browser origin.
 */
const allowedOrigins = z
  .string()
  .default('')
  .transform((raw, ctx) => {
    const origins = new Map<string, ReadonlySet<string>>();
    for (const entry of raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [key, list] = entry.split('=');
      const values = (list ?? '').split('|').map((o) => o.trim());
      const bad = values.find((o) => !isOrigin(o));
      if (!key || bad !== undefined) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `entry for "${(key ?? '').slice(0, 4)}…" must be <writeKey>=<origin>|<origin>…, each origin scheme://host[:port]; got "${bad ?? ''}"`,
        });
        return z.NEVER;
      }
      origins.set(key, new Set(values));
    }
    return origins;
  });

function isOrigin(value: string): boolean {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}

export const gatewayConfigSchema = kafkaConfigSchema.extend({
  PORT: env.port(8080),
  HOST: z.string().default('0.0.0.0'),
  /** HMAC key for message keys (keyed hash of the strongest identifier); shared with the identity resolver. */
  OPTSTREAM_HASH_KEY: base64Key,
  DEFAULT_PHONE_REGION: z.string().length(2).default('US'),
  SENDGRID_WEBHOOK_PUBLIC_KEY: z.string().min(1).optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  /** The webhook URL exactly as configured in Twilio (behind a proxy the gateway sees another one). */
  TWILIO_WEBHOOK_URL: z.string().url().optional(),
  MAILCHIMP_WEBHOOK_SECRET: z.string().min(16).optional(),
  SEGMENT_WRITE_KEYS: writeKeys,
  SEGMENT_ALLOWED_ORIGINS: allowedOrigins,
  /** Active secrets for POST /v1/preferences, comma-separated; more than one during rotation. */
  API_SIGNING_SECRETS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  SIGNATURE_TOLERANCE_SECONDS: env.positiveInt(300),
  /**
   * Segment sources (names from SEGMENT_WRITE_KEYS) whose write key is kept server-side. Every other
   * write key is public (browser, app) and may only opt out (docs/consent-model.md, "Source trust").
   */
  SEGMENT_SERVER_SOURCES: z
    .string()
    .default('')
    .transform(
      (v) =>
        new Set(
          v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        ),
    ),
  /** An occurredAt further than this after receipt is clamped to the receive time (original kept). */
  MAX_FUTURE_SKEW_SECONDS: env.positiveInt(300),
  /** The topic catalogue; unset: the one versioned in libs/shared/consent-topics. */
  CONSENT_TOPICS_FILE: z.string().min(1).optional(),
  SPOOL_DIR: z.string().default('.stack/spool/ingestion-gateway'),
  SPOOL_MAX_BYTES: env.positiveInt(512 * 1024 * 1024),
  /**
   * Send retries before an event goes to the spool instead. Small on purpose: a send must fail
   * definitively (not linger and land later, which would duplicate what the spool re-sends).
   */
  PUBLISH_RETRIES: z.coerce.number().int().min(0).default(3),
  /** Hard upper bound on waiting for Kafka in a request, should the client hang; then the spool takes over. */
  PUBLISH_TIMEOUT_MS: env.positiveInt(10_000),
  BODY_LIMIT_BYTES: env.positiveInt(1024 * 1024),
  TOPIC_PARTITIONS: z.coerce.number().int().positive().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  ...preferenceCenterSettings,
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

const SECRETS = [
  ...KAFKA_SECRET_NAMES,
  'OPTSTREAM_HASH_KEY',
  'TWILIO_AUTH_TOKEN',
  'MAILCHIMP_WEBHOOK_SECRET',
  'SEGMENT_WRITE_KEYS',
  'SEGMENT_ALLOWED_ORIGINS',
  'API_SIGNING_SECRETS',
  ...PREFERENCE_CENTER_SECRET_NAMES,
] as const;

export function loadGatewayConfig(source: NodeJS.ProcessEnv): GatewayConfig {
  return loadConfig('ingestion-gateway', gatewayConfigSchema, withSecretFiles(source, SECRETS));
}

export const GATEWAY_CONFIG = Symbol('GatewayConfig');

import { ConfigError, env, withSecretFiles } from '@optstream/config';
import { PROVIDER_NAMES, type ProviderName } from '@optstream/connectors-domain';
import type { ProvidersConfig, ReliabilitySettings } from '@optstream/connectors-providers';
import { z } from 'zod';
import { topicRepresentationsFromEnv } from './topic-representations';

const PROVIDER_SECRETS = [
  'SENDGRID_API_KEY',
  'MAILCHIMP_API_KEY',
  'BRAZE_API_KEY',
  'ONESIGNAL_API_KEY',
  'ATTENTIVE_CLIENT_SECRET',
] as const;

const optionalUrl = z.string().url().optional();
const required = z.string().min(1);

/** Each provider's own variables; only the enabled providers' variables are required. */
const PROVIDER_SCHEMAS = {
  sendgrid: z.object({
    SENDGRID_API_KEY: required,
    SENDGRID_API_URL: optionalUrl,
    SENDGRID_GROUP_IDS: env.list().optional(),
  }),
  mailchimp: z.object({
    MAILCHIMP_API_KEY: required,
    MAILCHIMP_LIST_ID: required,
    MAILCHIMP_API_URL: optionalUrl,
    MAILCHIMP_SMS_MERGE_TAG: z.string().min(1).optional(),
    MAILCHIMP_PUSH_MERGE_TAG: z.string().min(1).optional(),
  }),
  braze: z.object({
    BRAZE_API_KEY: required,
    BRAZE_API_URL: z.string().url(),
    BRAZE_SMS_SUBSCRIPTION_GROUP_ID: z.string().min(1).optional(),
  }),
  onesignal: z.object({
    ONESIGNAL_APP_ID: required,
    ONESIGNAL_API_KEY: required,
    ONESIGNAL_API_URL: optionalUrl,
  }),
  attentive: z.object({
    ATTENTIVE_CLIENT_ID: required,
    ATTENTIVE_CLIENT_SECRET: required,
    ATTENTIVE_API_URL: optionalUrl,
    ATTENTIVE_SEND_SUBSCRIBES: env.boolean(false),
    ATTENTIVE_SIGN_UP_SOURCE_ID: z.string().min(1).optional(),
  }),
} as const;

const reliabilitySchema = (p: string) =>
  z.object({
    [`${p}_RATE_PER_SECOND`]: z.coerce.number().positive().optional(),
    [`${p}_BURST`]: z.coerce.number().int().positive().optional(),
    [`${p}_TIMEOUT_MS`]: z.coerce.number().int().positive().optional(),
    [`${p}_MAX_ATTEMPTS`]: z.coerce.number().int().positive().optional(),
  });

function reliability(prefix: string, source: NodeJS.ProcessEnv): ReliabilitySettings {
  const r = reliabilitySchema(prefix).parse(source) as Record<string, number | undefined>;
  const rate = r[`${prefix}_RATE_PER_SECOND`];
  const burst = r[`${prefix}_BURST`];
  const timeoutMs = r[`${prefix}_TIMEOUT_MS`];
  const maxAttempts = r[`${prefix}_MAX_ATTEMPTS`];
  return {
    ...(rate !== undefined || burst !== undefined
      ? {
          rateLimit: {
            ...(rate !== undefined ? { ratePerSecond: rate } : {}),
            ...(burst !== undefined ? { burst } : {}),
          },
        }
      : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(maxAttempts !== undefined ? { retry: { maxAttempts } } : {}),
  };
}

function parseProvider<P extends ProviderName>(service: string, provider: P, source: NodeJS.ProcessEnv) {
  const parsed = PROVIDER_SCHEMAS[provider].safeParse(source);
  if (!parsed.success)
    throw new ConfigError(
      service,
      parsed.error.issues.map((i) => `${i.path.join('.')} (${provider} is enabled): ${i.message}`),
    );
  return parsed.data as z.infer<(typeof PROVIDER_SCHEMAS)[P]>;
}

/**
 * The enabled providers' settings from the environment (secrets may come from `<NAME>_FILE`). An
 * unknown provider name or a missing credential of an enabled provider stops the start-up.
 */
export function providersFromEnv(
  service: string,
  enabled: readonly string[],
  rawSource: NodeJS.ProcessEnv,
): ProvidersConfig {
  const source = withSecretFiles(rawSource, PROVIDER_SECRETS);
  const unknown = enabled.filter((p) => !PROVIDER_NAMES.includes(p as ProviderName));
  if (unknown.length > 0)
    throw new ConfigError(service, [
      `CONNECTOR_PROVIDERS: unknown provider ${unknown.join(', ')}; known: ${PROVIDER_NAMES.join(', ')}`,
    ]);
  const has = (p: ProviderName) => enabled.includes(p);
  // The topic catalogue is validated at start, before any state is delivered (a bad file stops it).
  const topics = topicRepresentationsFromEnv(rawSource);
  const config: {
    -readonly [K in keyof ProvidersConfig]: ProvidersConfig[K];
  } = {};
  if (has('sendgrid')) {
    const s = parseProvider(service, 'sendgrid', source);
    config.sendgrid = {
      apiKey: s.SENDGRID_API_KEY,
      ...(s.SENDGRID_API_URL ? { baseUrl: s.SENDGRID_API_URL } : {}),
      ...(s.SENDGRID_GROUP_IDS ? { groupIds: s.SENDGRID_GROUP_IDS.map(Number) } : {}),
      topicGroups: topics.sendgrid,
      ...reliability('SENDGRID', source),
    };
  }
  if (has('mailchimp')) {
    const s = parseProvider(service, 'mailchimp', source);
    config.mailchimp = {
      apiKey: s.MAILCHIMP_API_KEY,
      listId: s.MAILCHIMP_LIST_ID,
      ...(s.MAILCHIMP_API_URL ? { baseUrl: s.MAILCHIMP_API_URL } : {}),
      ...(s.MAILCHIMP_SMS_MERGE_TAG ? { smsMergeTag: s.MAILCHIMP_SMS_MERGE_TAG } : {}),
      ...(s.MAILCHIMP_PUSH_MERGE_TAG ? { pushMergeTag: s.MAILCHIMP_PUSH_MERGE_TAG } : {}),
      topicInterests: topics.mailchimpInterests,
      ...reliability('MAILCHIMP', source),
    };
  }
  if (has('braze')) {
    const s = parseProvider(service, 'braze', source);
    config.braze = {
      apiKey: s.BRAZE_API_KEY,
      baseUrl: s.BRAZE_API_URL,
      ...(s.BRAZE_SMS_SUBSCRIPTION_GROUP_ID
        ? { smsSubscriptionGroupId: s.BRAZE_SMS_SUBSCRIPTION_GROUP_ID }
        : {}),
      topicGroups: topics.braze,
      ...reliability('BRAZE', source),
    };
  }
  if (has('onesignal')) {
    const s = parseProvider(service, 'onesignal', source);
    config.onesignal = {
      appId: s.ONESIGNAL_APP_ID,
      apiKey: s.ONESIGNAL_API_KEY,
      ...(s.ONESIGNAL_API_URL ? { baseUrl: s.ONESIGNAL_API_URL } : {}),
      topicTags: topics.onesignal,
      ...reliability('ONESIGNAL', source),
    };
  }
  if (has('attentive')) {
    const s = parseProvider(service, 'attentive', source);
    config.attentive = {
      clientId: s.ATTENTIVE_CLIENT_ID,
      clientSecret: s.ATTENTIVE_CLIENT_SECRET,
      sendSubscribes: s.ATTENTIVE_SEND_SUBSCRIBES,
      topicTypes: topics.attentive,
      ...(s.ATTENTIVE_API_URL ? { baseUrl: s.ATTENTIVE_API_URL } : {}),
      ...(s.ATTENTIVE_SIGN_UP_SOURCE_ID ? { signUpSourceId: s.ATTENTIVE_SIGN_UP_SOURCE_ID } : {}),
      ...reliability('ATTENTIVE', source),
    };
  }
  return config;
}

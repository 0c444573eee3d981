import {
  DEFAULT_RATE_LIMITS,
  type CircuitBreakerConfig,
  type ProviderName,
  type RateLimitConfig,
  type ProviderRetryPolicy,
} from '@optstream/connectors-domain';

/** Outbound reliability knobs every provider shares; each falls back to a default. */
export interface ReliabilitySettings {
  /** `<PROVIDER>_RATE_PER_SECOND`, `<PROVIDER>_BURST`; defaults: DEFAULT_RATE_LIMITS. */
  readonly rateLimit?: Partial<RateLimitConfig>;
  readonly retry?: Partial<ProviderRetryPolicy>;
  readonly circuit?: Partial<CircuitBreakerConfig>;
  /** Per HTTP attempt, connect to last body byte. */
  readonly timeoutMs?: number;
}

export interface SendgridSettings extends ReliabilitySettings {
  readonly apiKey: string;
  /** Default https://api.sendgrid.com (EU: https://api.eu.sendgrid.com). */
  readonly baseUrl?: string;
  /** Suppress in these unsubscribe groups instead of the global list. */
  readonly groupIds?: readonly number[];
  /** Catalogue topic id → unsubscribe group id (from the topic catalogue). */
  readonly topicGroups?: Readonly<Record<string, number>>;
}

export interface MailchimpSettings extends ReliabilitySettings {
  /** `<key>-<dc>`: the data-centre suffix gives the default base URL. */
  readonly apiKey: string;
  readonly listId: string;
  /** Default https://<dc>.api.mailchimp.com/3.0. */
  readonly baseUrl?: string;
  readonly smsMergeTag?: string;
  readonly pushMergeTag?: string;
  /** Catalogue topic id → audience interest id (from the topic catalogue). */
  readonly topicInterests?: Readonly<Record<string, string>>;
}

export interface BrazeSettings extends ReliabilitySettings {
  readonly apiKey: string;
  /** Instance REST URL, required (e.g. https://rest.iad-01.braze.com). */
  readonly baseUrl: string;
  readonly smsSubscriptionGroupId?: string;
  /** Catalogue topic id → subscription group id (from the topic catalogue). */
  readonly topicGroups?: Readonly<Record<string, string>>;
}

export interface OneSignalSettings extends ReliabilitySettings {
  readonly appId: string;
  readonly apiKey: string;
  /** Default https://api.onesignal.com. */
  readonly baseUrl?: string;
  /** Spacing of writes for one user (OneSignal: 1 req/s per user); default 1000. */
  readonly perUserWriteIntervalMs?: number;
  /** Catalogue topic id → data tag key (from the topic catalogue). */
  readonly topicTags?: Readonly<Record<string, string>>;
}

export interface AttentiveSettings extends ReliabilitySettings {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Default https://api.attentivemobile.com. */
  readonly baseUrl?: string;
  /** OAuth2 token endpoint path under baseUrl; default /oauth/token (ASSUMPTION, see docs). */
  readonly tokenPath?: string;
  /** ATTENTIVE_SEND_SUBSCRIBES; default false: only opt-outs are forwarded. */
  readonly sendSubscribes?: boolean;
  readonly signUpSourceId?: string;
  /** Catalogue topic id → subscription type (from the topic catalogue). */
  readonly topicTypes?: Readonly<Record<string, 'MARKETING' | 'TRANSACTIONAL'>>;
}

export type ProviderConfig =
  | ({ readonly provider: 'sendgrid' } & SendgridSettings)
  | ({ readonly provider: 'mailchimp' } & MailchimpSettings)
  | ({ readonly provider: 'braze' } & BrazeSettings)
  | ({ readonly provider: 'onesignal' } & OneSignalSettings)
  | ({ readonly provider: 'attentive' } & AttentiveSettings);

/** The providers a connector uses: a present entry = enabled. The apps build it from env. */
export interface ProvidersConfig {
  readonly sendgrid?: SendgridSettings;
  readonly mailchimp?: MailchimpSettings;
  readonly braze?: BrazeSettings;
  readonly onesignal?: OneSignalSettings;
  readonly attentive?: AttentiveSettings;
}

export const DEFAULT_BASE_URLS = {
  sendgrid: 'https://api.sendgrid.com',
  onesignal: 'https://api.onesignal.com',
  attentive: 'https://api.attentivemobile.com',
} as const;

export const DEFAULT_RETRY: ProviderRetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  // Longer server-requested waits park the contact (retry topic) instead of blocking the consumer.
  maxServerDelayMs: 30_000,
};

export const DEFAULT_CIRCUIT: CircuitBreakerConfig = {
  failureThreshold: 5,
  coolDownMs: 30_000,
  failureRatio: 0.5,
  windowMs: 60_000,
  minRequestsInWindow: 20,
};

export const DEFAULT_TIMEOUT_MS = 10_000;

export interface ResolvedReliability {
  readonly rateLimit: RateLimitConfig;
  readonly retry: ProviderRetryPolicy;
  readonly circuit: CircuitBreakerConfig;
  readonly timeoutMs: number;
}

export function resolveReliability(
  provider: ProviderName,
  settings: ReliabilitySettings,
): ResolvedReliability {
  return {
    rateLimit: { ...DEFAULT_RATE_LIMITS[provider], ...settings.rateLimit },
    retry: { ...DEFAULT_RETRY, ...settings.retry },
    circuit: { ...DEFAULT_CIRCUIT, ...settings.circuit },
    timeoutMs: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
}

/** `https://us19.api.mailchimp.com/3.0` from a key ending in `-us19`. */
export function mailchimpBaseUrl(apiKey: string): string {
  const dc = /-([a-z]+\d+)$/.exec(apiKey.trim())?.[1];
  if (!dc) throw new Error('Mailchimp API key has no data-centre suffix (…-us19); set MAILCHIMP_API_URL');
  return `https://${dc}.api.mailchimp.com/3.0`;
}

import type { TopicCatalogue } from '@optstream/consent-topics';
import type { ProviderName } from '@optstream/connectors-domain';

export type { ProviderName };

export interface SimulatorCredentials {
  sendgridApiKey: string;
  /** Mailchimp keys end in the data-centre suffix (`-us19`); the simulator accepts any user name. */
  mailchimpApiKey: string;
  brazeApiKey: string;
  onesignalAppId: string;
  onesignalApiKey: string;
  attentiveClientId: string;
  attentiveClientSecret: string;
}

export const DEFAULT_SIMULATOR_CREDENTIALS: SimulatorCredentials = Object.freeze({
  sendgridApiKey: 'SG.simulator-key',
  mailchimpApiKey: 'simulator-key-us19',
  brazeApiKey: 'braze-simulator-key',
  onesignalAppId: '00000000-0000-4000-8000-000000000001',
  onesignalApiKey: 'onesignal-simulator-key',
  attentiveClientId: 'attentive-simulator-client',
  attentiveClientSecret: 'attentive-simulator-secret',
});

export interface SimulatorOptions {
  /** 0 = a random free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  credentials?: Partial<SimulatorCredentials>;
  /**
   * The topic catalogue the simulated accounts are set up for, as a real account would be before
   * optstream is pointed at it (each topic's SendGrid unsubscribe group exists). Kept across `reset()`.
   */
  topics?: TopicCatalogue;
}

/** `times` = how many requests the fault applies to, then it clears; absent = until cleared. */
export type Fault =
  | { kind: 'rate-limit'; retryAfterSeconds: number; times?: number }
  | { kind: 'server-error'; status?: number; times?: number }
  | { kind: 'slow'; delayMs: number; times?: number }
  | { kind: 'timeout'; times?: number }
  | { kind: 'down' }
  | {
      kind: 'reject';
      status: number;
      forExternalIds?: string[];
      forEmails?: string[];
      forPhones?: string[];
    };

export interface RateLimit {
  requestsPerSecond: number;
  /** Bucket size: how many requests may arrive at once after a quiet period. */
  burst: number;
}

export interface RecordedCall {
  readonly provider: ProviderName;
  readonly method: string;
  /** The path after the provider's base URL, e.g. `/v3/asm/suppressions/global`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Header names lower-case; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON when the body was JSON, the raw string otherwise (forms), undefined without a body. */
  readonly body: unknown;
  /** The answered status; 0 while unanswered and for `down`/`timeout` faults (no answer at all). */
  readonly status: number;
  /** Arrival time, epoch milliseconds. */
  readonly at: number;
}

/** Identifiers a request concerns, for `reject` faults (poison contacts). */
export interface ContactRef {
  readonly externalIds?: readonly string[];
  readonly emails?: readonly string[];
  readonly phones?: readonly string[];
}

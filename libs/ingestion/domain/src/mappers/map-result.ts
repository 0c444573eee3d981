import type { ContactInbound } from '../inbound-fact';

/** What every mapper needs from the outside world: time and configuration arrive as arguments. */
export type MapperContext = {
  /** Epoch ms at which the gateway received the request. */
  readonly receivedAt: number;
  /** ISO 3166-1 alpha-2 region for phone numbers written without "+" (e.g. "US"). */
  readonly defaultRegion: string;
  /** The catalogue topic a SendGrid unsubscribe group (`asm_group_id`) stands for, if any. */
  readonly sendgridGroupTopic?: (groupId: number) => string | undefined;
  /** Whether `topic` is a catalogue topic of `channel`; absent: no topic is known. */
  readonly topicOfChannel?: (topic: string, channel: string) => boolean;
  /**
   * The catalogue topics represented by a Mailchimp interest, with the interest's name as Mailchimp's
   * webhooks spell it (they carry names, not ids).
   */
  readonly mailchimpInterests?: readonly { readonly topic: string; readonly name: string }[];
};

export type RejectionCode =
  | 'INVALID_BODY'
  | 'INVALID_EVENT'
  | 'MISSING_FIELD'
  | 'INVALID_FIELD'
  | 'UNKNOWN_EVENT_TYPE'
  | 'INVALID_EMAIL'
  | 'INVALID_PHONE'
  | 'INVALID_IDENTIFIER'
  | 'INVALID_TIMESTAMP'
  | 'INVALID_DEFAULT_REGION'
  | 'NO_IDENTIFIER'
  | 'UNKNOWN_TOPIC';

/** A fact to publish on contact.inbound.v1. */
export type MappedFact = { readonly outcome: 'fact'; readonly fact: ContactInbound };
/** A well-formed event that carries no consent information (opens, deliveries, HELP): counted, not an error. */
export type MappedIgnored = {
  readonly outcome: 'ignored';
  readonly reason: string;
  readonly original: unknown;
};
/**
 * An event that cannot become a fact. `INVALID_BODY` means the payload as a whole is unusable (answer
 * 400); any other code concerns one event (single-object API: 400; provider batch: dead-letter it with
 * `original` and answer 2xx).
 */
export type MappedRejection = {
  readonly outcome: 'rejected';
  readonly code: RejectionCode;
  readonly reason: string;
  readonly original: unknown;
};
export type MapResult = MappedFact | MappedIgnored | MappedRejection;

export const factResult = (fact: ContactInbound): MappedFact => ({ outcome: 'fact', fact });
export const ignored = (reason: string, original: unknown): MappedIgnored => ({
  outcome: 'ignored',
  reason,
  original,
});
export const rejection = (code: RejectionCode, reason: string, original: unknown): MappedRejection => ({
  outcome: 'rejected',
  code,
  reason,
  original,
});

/**
 * What one provider must hold for one contact: the contact's consent on EVERY channel (an SMS STOP also
 * updates the email platform's profile of that person), plus the addresses a provider keyed by address
 * needs. Built from a `contact-preferences.state.v1` message; addresses are looked up only for adapters
 * that declare they need them, because the state topic carries none.
 */
export type Channel = 'email' | 'sms' | 'push';
export type ConsentStatus = 'subscribed' | 'unsubscribed';

export const CHANNELS: readonly Channel[] = ['email', 'sms', 'push'];

/**
 * One topic of a channel (a newsletter, promotions). Each platform writes the topic's own representation
 * (docs/connectors.md): from `status` where the platform itself lets its channel-wide opt-out override
 * its groups (SendGrid's global suppression, Braze's global email state), else from `effective`.
 */
export interface TopicConsent {
  readonly topic: string;
  /** The topic's own latest choice, as recorded (a group resubscribe after a global opt-out: subscribed). */
  readonly status: ConsentStatus;
  /** What to act on: unsubscribed while the channel is opted out (a channel-wide opt-out beats every topic). */
  readonly effective: ConsentStatus;
}

/** A channel-wide request awaiting its double opt-in confirmation: `pending`, never consent. */
export interface PendingRequest {
  /** The Marketing Preference Updated event that made the channel pending: one confirmation mail each. */
  readonly eventId: string;
  /** When the request lapses (ms); null when the state carries none. */
  readonly expiresAt: number | null;
}

export interface ContactConsent {
  readonly externalId: string;
  /** The state's version: increases with every effective change of this contact. */
  readonly version: number;
  /** Known status per channel; a channel the contact never expressed consent on is absent. */
  readonly channels: Readonly<Partial<Record<Channel, ConsentStatus>>>;
  /**
   * Topic choices per channel, sorted by topic id (docs/consent-model.md). A topic without an entry
   * follows its channel; absent on states written before topics existed.
   */
  readonly topics?: Readonly<Partial<Record<Channel, readonly TopicConsent[]>>>;
  /** Channels whose channel-wide status is `pending` (left out of `channels`): the confirmation mail's cue. */
  readonly pending?: Readonly<Partial<Record<Channel, PendingRequest>>>;
  /** eventId of the change that produced this state (idempotency keys, trace). */
  readonly causationId: string;
  /** Present only when the adapter declared `needs: ['email']` and the identity store holds one. */
  readonly email?: string;
  /** E.164; present only when the adapter declared `needs: ['phone']` and the identity store holds one. */
  readonly phone?: string;
}

export type ProviderName = 'sendgrid' | 'mailchimp' | 'braze' | 'attentive' | 'onesignal';

export const PROVIDER_NAMES: readonly ProviderName[] = [
  'sendgrid',
  'mailchimp',
  'braze',
  'attentive',
  'onesignal',
];

/**
 * What a connector delivers to, each with its own delivery log, parking and dead letters: a platform's
 * consent, or the email connector's double opt-in confirmation mail (sent through SendGrid).
 */
export type DeliveryTarget = ProviderName | 'confirmation-mail';

export type Address = 'email' | 'phone';

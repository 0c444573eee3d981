/**
 * What one provider must hold for one contact: the contact's consent on EVERY channel (an SMS STOP also
 * updates the email platform's profile of that person), plus the addresses a provider keyed by address
 * needs. Built from a `contact-preferences.state.v1` message; addresses are looked up only for adapters
 * that declare they need them, because the state topic carries none.
 */
export type Channel = 'email' | 'sms' | 'push';
export type ConsentStatus = 'subscribed' | 'unsubscribed';

export const CHANNELS: readonly Channel[] = ['email', 'sms', 'push'];

export interface ContactConsent {
  readonly externalId: string;
  /** The state's version: increases with every effective change of this contact. */
  readonly version: number;
  /** Known status per channel; a channel the contact never expressed consent on is absent. */
  readonly channels: Readonly<Partial<Record<Channel, ConsentStatus>>>;
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

export type Address = 'email' | 'phone';

import type { KnownStatus } from './channels';
import type { ContactState } from './contact-state';

/**
 * The seed's consent traits (Segment-style, snake_case), derived from the state and nothing else.
 *
 * Values follow what the gateway already accepts in identify traits, so a profile can be fed back
 * unchanged: `*_subscribed_status` is 'subscribed' | 'unsubscribed' (the seed sketches a boolean; we
 * keep the status words), `push_notification_enabled` a boolean. null everywhere means "no choice on
 * record" — deliberately not `false`/'unsubscribed': we must not claim a person opted out (or in)
 * when they never said anything.
 */
export interface ProfileTraits {
  readonly email_subscribed_status: KnownStatus | null;
  readonly sms_subscribed_status: KnownStatus | null;
  readonly push_notification_enabled: boolean | null;
  /**
   * ISO 8601 time the person gave their current SMS consent: the winning subscribe's occurredAt while
   * SMS is subscribed (a newer re-subscribe moves it forward, see `same_status`), null otherwise — an
   * opted-out contact has no opt-in that a destination could mistake for consent (TCPA).
   */
  readonly sms_opt_in_date: string | null;
}

export const profileTraits = (state: ContactState | null): ProfileTraits => {
  const email = state?.channels.email;
  const sms = state?.channels.sms;
  const push = state?.channels.push;
  return {
    email_subscribed_status: email?.status ?? null,
    sms_subscribed_status: sms?.status ?? null,
    push_notification_enabled: push === undefined ? null : push.status === 'subscribed',
    sms_opt_in_date: sms?.status === 'subscribed' ? new Date(sms.occurredAt).toISOString() : null,
  };
};

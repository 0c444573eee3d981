import type { ContactConsent, PendingRequest } from '../consent';
import type { HttpRequest } from '../http';

/** Who the double opt-in confirmation mail is from, and the brand it names (docs/preference-center.md). */
export interface ConfirmationMailSettings {
  /** A sender SendGrid has verified for the account. */
  readonly fromEmail: string;
  readonly fromName?: string;
  readonly brandName: string;
}

/** How long a request stays pending when the state carries no expiry (the gateway's default). */
export const DEFAULT_PENDING_MS = 72 * 3_600_000;

/**
 * One confirmation mail per pending request: the fingerprint is the event that made email pending, so
 * a later state of the same contact (an SMS change while email waits) sends nothing again, and a new
 * request after a lapsed one sends a new mail.
 */
export const confirmationMailFingerprint = (consent: ContactConsent): string =>
  consent.pending?.email?.eventId ?? '';

/** The pending email request a mail is due for, or why none is. */
export function dueConfirmation(
  consent: ContactConsent,
  nowMs: number,
): { readonly request: PendingRequest; readonly expiresAt: number } | { readonly skip: string } {
  const request = consent.pending?.email;
  if (!request) return { skip: 'email is not pending' };
  const expiresAt = request.expiresAt ?? nowMs + DEFAULT_PENDING_MS;
  if (expiresAt <= nowMs) return { skip: 'the pending request has lapsed' };
  if (!consent.email) return { skip: 'no email address' };
  return { request, expiresAt };
}

/**
 * SendGrid v3 Mail Send of the confirmation (SG-MAIL in docs/providers.md). It bypasses the global
 * unsubscribe list: the person has just asked to be mailed again, and an earlier opt-out keeps their
 * address on that list until they confirm. Click tracking is off so the link is the gateway's own.
 */
export function confirmationMailRequest(
  email: string,
  confirmUrl: string,
  expiresAt: number,
  settings: ConfirmationMailSettings,
  externalId: string,
): HttpRequest {
  const brand = settings.brandName;
  const until = new Date(expiresAt).toUTCString();
  const text = [
    `You asked to receive emails from ${brand} again.`,
    `Confirm it here: ${confirmUrl}`,
    '',
    `The link works until ${until}. If you did not ask, ignore this message: nothing changes.`,
  ].join('\n');
  const html = [
    `<p>You asked to receive emails from ${escapeHtml(brand)} again.</p>`,
    `<p><a href="${escapeHtml(confirmUrl)}">Confirm my subscription</a></p>`,
    `<p>The link works until ${escapeHtml(until)}. If you did not ask, ignore this message: nothing changes.</p>`,
  ].join('\n');
  return {
    method: 'POST',
    path: '/v3/mail/send',
    body: {
      personalizations: [{ to: [{ email }] }],
      from: { email: settings.fromEmail, ...(settings.fromName ? { name: settings.fromName } : {}) },
      subject: `Confirm your subscription to ${brand} emails`,
      content: [
        { type: 'text/plain', value: text },
        { type: 'text/html', value: html },
      ],
      custom_args: { optstream_external_id: externalId, optstream_purpose: 'double-opt-in' },
      mail_settings: { bypass_unsubscribe_management: { enable: true } },
      tracking_settings: { click_tracking: { enable: false }, subscription_tracking: { enable: false } },
    },
  };
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

export type MailchimpWebhookType =
  | 'subscribe'
  | 'unsubscribe'
  | 'profile'
  | 'cleaned'
  | 'upemail'
  | 'campaign';

/** Nested data as Mailchimp's PHP heritage nests it: `{merges: {EMAIL}}` → `data[merges][EMAIL]`. */
export interface MailchimpWebhookData {
  readonly [key: string]: string | number | MailchimpWebhookData;
}

/** `YYYY-MM-DD HH:MM:SS` in UTC: Mailchimp's `fired_at` is not ISO-8601 (docs/providers.md, "Mailchimp"). */
export function mailchimpFiredAt(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** The `application/x-www-form-urlencoded` body of a Mailchimp audience webhook. */
export function mailchimpWebhookForm(
  type: MailchimpWebhookType | string,
  data: MailchimpWebhookData,
  firedAt: Date = new Date(),
): string {
  const form = new URLSearchParams({ type, fired_at: mailchimpFiredAt(firedAt) });
  for (const [key, value] of flatten('data', data)) form.append(key, value);
  return form.toString();
}

function flatten(prefix: string, data: MailchimpWebhookData): [string, string][] {
  return Object.entries(data).flatMap(([key, value]) =>
    typeof value === 'object' ? flatten(`${prefix}[${key}]`, value) : [[`${prefix}[${key}]`, String(value)]],
  );
}

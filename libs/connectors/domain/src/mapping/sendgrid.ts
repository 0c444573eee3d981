import type { ContactConsent, ConsentStatus } from '../consent';
import type { DeliveryPlan, HttpRequest, PlannedRequest, SkippedContact } from '../http';
import { channelFingerprint, enc } from './common';

export interface SendgridMappingConfig {
  /**
   * Unsubscribe groups to suppress in instead of the global list (an unknown or deleted group id makes
   * SendGrid fall back to the GLOBAL list). Empty/absent = global suppressions.
   */
  readonly groupIds?: readonly number[];
}

/** SendGrid represents the email channel only. */
export const sendgridFingerprint = (consent: ContactConsent): string =>
  channelFingerprint(consent, ['email']);

/**
 * Unsubscribed emails: ONE `POST …/suppressions` carrying every address of the batch (per group in
 * group mode). Subscribed: one `DELETE` per address (the API deletes one address per call) — in group
 * mode from each configured group, which is where our unsubscribes put them.
 */
export function planSendgrid(batch: readonly ContactConsent[], config: SendgridMappingConfig): DeliveryPlan {
  const skipped: SkippedContact[] = [];
  const byStatus: Record<ConsentStatus, ContactConsent[]> = { subscribed: [], unsubscribed: [] };
  for (const contact of batch) {
    const status = contact.channels.email;
    if (!contact.email) skipped.push({ contact, reason: 'no email address' });
    else if (!status) skipped.push({ contact, reason: 'no email consent to represent' });
    else byStatus[status].push(contact);
  }
  const groups = config.groupIds ?? [];
  return {
    requests: [
      ...suppress(byStatus.unsubscribed, groups),
      ...byStatus.subscribed.flatMap((c) => unsuppress(c, groups)),
    ],
    skipped,
  };
}

function suppress(contacts: readonly ContactConsent[], groups: readonly number[]): PlannedRequest[] {
  if (contacts.length === 0) return [];
  const body = { recipient_emails: [...new Set(contacts.map((c) => c.email ?? ''))] };
  const paths = groups.length === 0 ? ['/v3/asm/suppressions/global'] : groups.map(groupPath);
  return paths.map((path) => ({ request: { method: 'POST', path, body }, contacts }));
}

function unsuppress(contact: ContactConsent, groups: readonly number[]): PlannedRequest[] {
  const email = enc(contact.email ?? '');
  const paths =
    groups.length === 0
      ? [`/v3/asm/suppressions/global/${email}`]
      : groups.map((g) => `${groupPath(g)}/${email}`);
  return paths.map((path): PlannedRequest => ({ request: { method: 'DELETE', path }, contacts: [contact] }));
}

const groupPath = (id: number): string => `/v3/asm/groups/${id}/suppressions`;

/** Read: the global list, or every group of the address (one call) in group mode. */
export function sendgridReadRequest(email: string, config: SendgridMappingConfig): HttpRequest {
  const path = config.groupIds?.length
    ? `/v3/asm/suppressions/${enc(email)}`
    : `/v3/asm/suppressions/global/${enc(email)}`;
  return { method: 'GET', path };
}

/**
 * Global: `{recipient_email}` = suppressed, `{}` = not. Groups: `{suppressions:[{id, suppressed}]}`,
 * unsubscribed if suppressed in any configured group. "Not suppressed" reads as subscribed: that is
 * all SendGrid can say.
 */
export function sendgridViewOf(body: unknown, config: SendgridMappingConfig): ConsentStatus {
  const record = (body ?? {}) as Record<string, unknown>;
  if (!config.groupIds?.length)
    return typeof record['recipient_email'] === 'string' ? 'unsubscribed' : 'subscribed';
  const list = Array.isArray(record['suppressions'])
    ? (record['suppressions'] as Record<string, unknown>[])
    : [];
  const ids = new Set(config.groupIds);
  return list.some((g) => ids.has(Number(g['id'])) && g['suppressed'] === true)
    ? 'unsubscribed'
    : 'subscribed';
}

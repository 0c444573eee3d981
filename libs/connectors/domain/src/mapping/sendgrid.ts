import type { ContactConsent, ConsentStatus } from '../consent';
import type { DeliveryPlan, HttpRequest, PlannedRequest, SkippedContact } from '../http';
import { channelFingerprint, enc, representedTopics } from './common';

export interface SendgridMappingConfig {
  /**
   * Unsubscribe groups to suppress in instead of the global list (an unknown or deleted group id makes
   * SendGrid fall back to the GLOBAL list). Empty/absent = global suppressions.
   */
  readonly groupIds?: readonly number[];
  /** Catalogue topic id → the unsubscribe (ASM) group that represents it. */
  readonly topicGroups?: Readonly<Record<string, number>>;
}

/** SendGrid represents the email channel only (with its topics). */
export const sendgridFingerprint = (consent: ContactConsent): string =>
  channelFingerprint(consent, ['email']);

/** One suppression list: the global one (`group` undefined) or an unsubscribe group. */
interface Write {
  readonly group: number | undefined;
  readonly status: ConsentStatus;
  readonly contact: ContactConsent;
}

/**
 * The channel-wide choice goes to the global list (or the configured groups); each topic's own choice
 * goes to its group only. A topic never touches the global list: SendGrid's global suppression
 * overrides every group, so a group resubscribe after a global opt-out is written as SendGrid itself
 * records it (out of the group's list) and the person still gets nothing — see docs/connectors.md.
 * Suppressions of a batch are one `POST` per list; removals one `DELETE` per address (the API's shape).
 */
export function planSendgrid(batch: readonly ContactConsent[], config: SendgridMappingConfig): DeliveryPlan {
  const skipped: SkippedContact[] = [];
  const writes: Write[] = [];
  for (const contact of batch) {
    const mine = writesOf(contact, config);
    if (!contact.email) skipped.push({ contact, reason: 'no email address' });
    else if (mine.length === 0) skipped.push({ contact, reason: 'no email consent to represent' });
    else writes.push(...mine);
  }
  return {
    requests: [
      ...suppressions(writes.filter((w) => w.status === 'unsubscribed')),
      ...writes.filter((w) => w.status === 'subscribed').map(removal),
    ],
    skipped,
  };
}

function writesOf(contact: ContactConsent, config: SendgridMappingConfig): Write[] {
  const status = contact.channels.email;
  const channelGroups = config.groupIds ?? [];
  const channelWide: Write[] =
    status === undefined
      ? []
      : channelGroups.length === 0
        ? [{ group: undefined, status, contact }]
        : channelGroups.map((group) => ({ group, status, contact }));
  // A group the channel-wide choice already writes keeps that choice: a topic never lifts it.
  const taken = new Set(channelWide.map((w) => w.group));
  const topics = representedTopics(contact, 'email', config.topicGroups)
    .filter(([, group]) => !taken.has(group))
    .map(([topic, group]): Write => ({ group, status: topic.status, contact }));
  return [...channelWide, ...topics];
}

function suppressions(writes: readonly Write[]): PlannedRequest[] {
  const byList = new Map<number | undefined, ContactConsent[]>();
  for (const w of writes) byList.set(w.group, [...(byList.get(w.group) ?? []), w.contact]);
  return [...byList].map(([group, contacts]) => ({
    request: {
      method: 'POST',
      path: group === undefined ? '/v3/asm/suppressions/global' : groupPath(group),
      body: { recipient_emails: [...new Set(contacts.map((c) => c.email ?? ''))] },
    },
    contacts,
  }));
}

function removal({ group, contact }: Write): PlannedRequest {
  const email = enc(contact.email ?? '');
  const path = group === undefined ? `/v3/asm/suppressions/global/${email}` : `${groupPath(group)}/${email}`;
  return { request: { method: 'DELETE', path }, contacts: [contact] };
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

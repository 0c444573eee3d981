import { createHash } from 'node:crypto';
import { normalizeEmail } from '../../core/validation';

export type MailchimpStatus =
  | 'subscribed'
  | 'unsubscribed'
  | 'cleaned'
  | 'pending'
  | 'transactional'
  | 'archived';

export interface MailchimpMember {
  readonly id: string;
  readonly email_address: string;
  readonly unique_email_id: string;
  readonly status: MailchimpStatus;
  readonly merge_fields: Readonly<Record<string, unknown>>;
  /** Interest (group) id → member is in it; kept whatever the status (MC-MEM). */
  readonly interests: Readonly<Record<string, boolean>>;
  readonly list_id: string;
  readonly last_changed: string;
}

/** The subscriber hash: hex MD5 of the lower-cased, trimmed address (MC-MEM). */
export const subscriberHash = (email: string): string =>
  createHash('md5').update(normalizeEmail(email)).digest('hex');

/** Audience members per list, keyed by subscriber hash like the API. */
export class MailchimpState {
  private readonly lists = new Map<string, Map<string, MailchimpMember>>();
  private readonly confirmations: string[] = [];

  constructor(private readonly countEffect: (n?: number) => void) {}

  member(listId: string, email: string): MailchimpMember | undefined {
    return this.byHash(listId, subscriberHash(email));
  }

  byHash(listId: string, hash: string): MailchimpMember | undefined {
    return this.lists.get(listId)?.get(hash);
  }

  /** Writes a member: fields given replace the stored ones, merge fields merge. */
  write(
    listId: string,
    email: string,
    change: {
      status: MailchimpStatus;
      merge_fields?: Record<string, unknown> | undefined;
      interests?: Record<string, boolean> | undefined;
    },
    now: number,
  ): MailchimpMember {
    const hash = subscriberHash(email);
    const previous = this.byHash(listId, hash);
    const member: MailchimpMember = {
      id: hash,
      email_address: previous?.email_address ?? email.trim(),
      unique_email_id: hash.slice(0, 10),
      status: change.status,
      merge_fields: { ...previous?.merge_fields, ...change.merge_fields },
      interests: { ...previous?.interests, ...change.interests },
      list_id: listId,
      last_changed: new Date(now).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    };
    const list = this.lists.get(listId) ?? new Map<string, MailchimpMember>();
    list.set(hash, member);
    this.lists.set(listId, list);
    // Entering `pending` makes Mailchimp email its own opt-in confirmation to the address.
    if (member.status === 'pending' && previous?.status !== 'pending')
      this.confirmations.push(member.email_address);
    this.countEffect();
    return member;
  }

  /** Addresses Mailchimp sent its double opt-in confirmation to, oldest first. */
  confirmationsSent(): readonly string[] {
    return [...this.confirmations];
  }

  /** Permanent delete (GDPR erasure): the member is gone. */
  remove(listId: string, hash: string): boolean {
    const removed = this.lists.get(listId)?.delete(hash) ?? false;
    if (removed) this.countEffect();
    return removed;
  }

  reset(): void {
    this.lists.clear();
    this.confirmations.length = 0;
  }
}

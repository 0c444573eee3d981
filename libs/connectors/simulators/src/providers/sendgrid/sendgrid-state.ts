import { normalizeEmail } from '../../core/validation';

/** One recipient's copy of a message accepted by Mail Send, as SendGrid would deliver (or drop) it. */
export interface SentMail {
  readonly messageId: string;
  readonly at: number;
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  /** The `text/plain` and `text/html` content, '' when absent. */
  readonly text: string;
  readonly html: string;
  /** The message's headers, personalization headers over the message's own. */
  readonly headers: Readonly<Record<string, string>>;
  readonly customArgs: Readonly<Record<string, string>>;
  /** false: dropped, as SendGrid drops mail to a globally unsubscribed address unless told to bypass (SG-MAIL). */
  readonly delivered: boolean;
}

/** What the Mail Send route hands over after validating a request (sendgrid-mail-send.ts). */
export interface MailToRecord {
  readonly personalizations: readonly {
    readonly to: readonly { readonly email: string }[];
    readonly subject?: string;
    readonly headers?: Readonly<Record<string, string>>;
    readonly custom_args?: Readonly<Record<string, string>>;
  }[];
  readonly from: { readonly email: string };
  readonly subject?: string;
  readonly content?: readonly { readonly type: string; readonly value: string }[];
  readonly headers?: Readonly<Record<string, string>>;
  readonly custom_args?: Readonly<Record<string, string>>;
  readonly asm?: { readonly group_id: number };
  readonly mail_settings?: {
    readonly bypass_list_management?: { readonly enable: boolean };
    readonly bypass_unsubscribe_management?: { readonly enable: boolean };
  };
}

export interface SendgridGroup {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly isDefault: boolean;
}

/** SendGrid's unsubscribe groups and suppression lists (global + per group), emails case-insensitive. */
export class SendgridState {
  private readonly global = new Set<string>();
  private readonly groups = new Map<number, SendgridGroup>();
  private readonly groupMembers = new Map<number, Set<string>>();
  private readonly mails: SentMail[] = [];

  constructor(private readonly countEffect: (n?: number) => void) {}

  isGloballySuppressed(email: string): boolean {
    return this.global.has(normalizeEmail(email));
  }

  groupSuppressions(groupId: number): readonly string[] {
    return [...(this.groupMembers.get(groupId) ?? [])];
  }

  /** Unsubscribe groups exist only once created (API or this helper); see `suppressInGroup`. */
  addGroup(id: number, name = `Group ${id}`, description = '', isDefault = false): SendgridGroup {
    const group = { id, name, description, isDefault };
    this.groups.set(id, group);
    this.countEffect();
    return group;
  }

  /** The account's own set-up (what an operator created in SendGrid's UI): not an effect of a request. */
  configureGroup(id: number, name: string, description: string): void {
    this.groups.set(id, { id, name, description, isDefault: false });
  }

  listGroups(): readonly SendgridGroup[] {
    return [...this.groups.values()];
  }

  hasGroup(id: number): boolean {
    return this.groups.has(id);
  }

  suppressGlobally(emails: readonly string[]): void {
    for (const email of emails) this.global.add(normalizeEmail(email));
    this.countEffect(emails.length);
  }

  unsuppressGlobally(email: string): void {
    this.global.delete(normalizeEmail(email));
    this.countEffect();
  }

  /** Only into a group of the account: the API answers 404 for any other id (SG-GRP). */
  suppressInGroup(groupId: number, emails: readonly string[]): void {
    if (!this.groups.has(groupId)) throw new Error(`SendGrid unsubscribe group ${groupId} does not exist`);
    const members = this.groupMembers.get(groupId) ?? new Set<string>();
    for (const email of emails) members.add(normalizeEmail(email));
    this.groupMembers.set(groupId, members);
    this.countEffect(emails.length);
  }

  unsuppressInGroup(groupId: number, email: string): void {
    this.groupMembers.get(groupId)?.delete(normalizeEmail(email));
    this.countEffect();
  }

  isSuppressedInGroup(groupId: number, email: string): boolean {
    return this.groupMembers.get(groupId)?.has(normalizeEmail(email)) ?? false;
  }

  /**
   * Whether SendGrid would deliver a message sent with this unsubscribe group (`asm.group_id`), or with
   * none: a global suppression overrides every group (SG-GRP) — leaving a group's list lets mail of that
   * group through only while the address is not globally suppressed.
   */
  wouldDeliver(email: string, groupId?: number): boolean {
    if (this.isGloballySuppressed(email)) return false;
    return groupId === undefined || !this.isSuppressedInGroup(groupId, email);
  }

  /** Records one copy per `to` recipient; whether it is delivered follows SendGrid's suppression rules. */
  recordMail(messageId: string, mail: MailToRecord, at: number): void {
    const content = (type: string) => mail.content?.find((c) => c.type === type)?.value ?? '';
    const settings = mail.mail_settings ?? {};
    for (const p of mail.personalizations) {
      for (const { email } of p.to) {
        const bypass =
          settings.bypass_list_management?.enable === true ||
          (settings.bypass_unsubscribe_management?.enable === true &&
            (mail.asm === undefined || !this.isSuppressedInGroup(mail.asm.group_id, email)));
        this.mails.push({
          messageId,
          at,
          from: mail.from.email,
          to: normalizeEmail(email),
          subject: p.subject ?? mail.subject ?? '',
          text: content('text/plain'),
          html: content('text/html'),
          headers: { ...mail.headers, ...p.headers },
          customArgs: { ...mail.custom_args, ...p.custom_args },
          delivered: bypass || this.wouldDeliver(email, mail.asm?.group_id),
        });
      }
    }
    this.countEffect();
  }

  /** Every copy of a message sent to this address, oldest first. */
  mailsTo(email: string): readonly SentMail[] {
    return this.mails.filter((m) => m.to === normalizeEmail(email));
  }

  reset(): void {
    this.mails.length = 0;
    this.global.clear();
    this.groups.clear();
    this.groupMembers.clear();
  }
}

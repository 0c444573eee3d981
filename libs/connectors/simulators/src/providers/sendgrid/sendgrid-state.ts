import { normalizeEmail } from '../../core/validation';

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

  reset(): void {
    this.global.clear();
    this.groups.clear();
    this.groupMembers.clear();
  }
}

export type BrazeGlobalSubscription = 'opted_in' | 'subscribed' | 'unsubscribed';
export type BrazeGroupState = 'subscribed' | 'unsubscribed';

/** How an attributes/events object names its user (BZ-ATTR). */
export type BrazeUserKey =
  | { readonly external_id: string }
  | { readonly user_alias: { readonly alias_name: string; readonly alias_label: string } }
  | { readonly braze_id: string };

export interface BrazeUser {
  readonly external_id?: string;
  readonly user_aliases: readonly { alias_name: string; alias_label: string }[];
  readonly braze_id: string;
  readonly email?: string;
  readonly phone?: string;
  readonly email_subscribe?: BrazeGlobalSubscription;
  readonly push_subscribe?: BrazeGlobalSubscription;
  /** subscription group id → state */
  readonly subscription_groups: Readonly<Record<string, BrazeGroupState>>;
  readonly custom_attributes: Readonly<Record<string, unknown>>;
  readonly events: readonly { name: string; time: string; properties?: Record<string, unknown> }[];
}

type MutableUser = { -readonly [K in keyof BrazeUser]: BrazeUser[K] } & {
  subscription_groups: Record<string, BrazeGroupState>;
  custom_attributes: Record<string, unknown>;
  events: { name: string; time: string; properties?: Record<string, unknown> }[];
};

const keyOf = (key: BrazeUserKey): string => {
  if ('external_id' in key) return `external:${key.external_id}`;
  if ('braze_id' in key) return `braze:${key.braze_id}`;
  return `alias:${key.user_alias.alias_label}:${key.user_alias.alias_name}`;
};

/** Braze user profiles, addressable by external id, alias or braze id. */
export class BrazeState {
  private readonly users = new Map<string, MutableUser>();
  private nextBrazeId = 1;

  constructor(private readonly countEffect: (n?: number) => void) {}

  user(externalId: string): BrazeUser | undefined {
    return this.users.get(keyOf({ external_id: externalId }));
  }

  /**
   * Whether an email campaign (to an email subscription group, or to everyone subscribed) reaches this
   * user: a globally unsubscribed user gets no email whatever their group states (BZ-SUBST); a group
   * campaign needs the group subscribed too.
   */
  receivesEmail(externalId: string, groupId?: string): boolean {
    const user = this.user(externalId);
    if (user === undefined || user.email_subscribe === 'unsubscribed') return false;
    return groupId === undefined || user.subscription_groups[groupId] === 'subscribed';
  }

  find(key: BrazeUserKey): BrazeUser | undefined {
    return this.users.get(keyOf(key));
  }

  /** Applies a change to a user, creating the profile unless `existingOnly`; false when skipped. */
  update(key: BrazeUserKey, change: (user: MutableUser) => void, existingOnly = false): boolean {
    let user = this.users.get(keyOf(key));
    if (!user && existingOnly) return false;
    if (!user) user = this.create(key);
    change(user);
    this.countEffect();
    return true;
  }

  /** Users whose email (or phone) profile field equals the value. */
  usersWith(field: 'email' | 'phone', value: string): BrazeUserKey[] {
    const wanted = field === 'email' ? value.trim().toLowerCase() : value.trim();
    return [...this.users.entries()]
      .filter(([, u]) => (field === 'email' ? u.email?.toLowerCase() : u.phone) === wanted)
      .map(([k]) => this.keyFromStored(k));
  }

  delete(key: BrazeUserKey): boolean {
    const deleted = this.users.delete(keyOf(key));
    if (deleted) this.countEffect();
    return deleted;
  }

  reset(): void {
    this.users.clear();
    this.nextBrazeId = 1;
  }

  private create(key: BrazeUserKey): MutableUser {
    const user: MutableUser = {
      braze_id: `braze-${String(this.nextBrazeId++).padStart(6, '0')}`,
      user_aliases: 'user_alias' in key ? [key.user_alias] : [],
      subscription_groups: {},
      custom_attributes: {},
      events: [],
      ...('external_id' in key ? { external_id: key.external_id } : {}),
    };
    this.users.set(keyOf(key), user);
    return user;
  }

  private keyFromStored(stored: string): BrazeUserKey {
    const user = this.users.get(stored);
    if (user?.external_id !== undefined) return { external_id: user.external_id };
    const alias = user?.user_aliases[0];
    if (alias && stored.startsWith('alias:')) return { user_alias: alias };
    return { braze_id: stored.slice('braze:'.length) };
  }
}

export type { MutableUser as MutableBrazeUser };

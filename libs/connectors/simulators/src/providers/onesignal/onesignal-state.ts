import { randomUUID } from 'node:crypto';

export const ONESIGNAL_SUBSCRIPTION_TYPES = [
  'iOSPush',
  'AndroidPush',
  'HuaweiPush',
  'FireOSPush',
  'WindowsPush',
  'macOSPush',
  'ChromeExtensionPush',
  'ChromePush',
  'FirefoxPush',
  'SafariPush',
  'Email',
  'SMS',
] as const;

/** OS-SUB; SMS tokens are E.164 numbers, Email tokens addresses. */
export type OnesignalSubscriptionType = (typeof ONESIGNAL_SUBSCRIPTION_TYPES)[number];

/** `notification_types`: 1 subscribed, -2 unsubscribed through the API (OS-USER). */
export const NOTIFICATION_TYPES = { subscribed: 1, disabledViaApi: -2 } as const;

export interface OnesignalSubscription {
  readonly id: string;
  readonly type: OnesignalSubscriptionType;
  readonly token: string;
  readonly enabled: boolean;
  readonly notification_types: number;
}

export interface OnesignalUser {
  readonly properties: Readonly<Record<string, unknown>>;
  readonly identity: { readonly external_id: string; readonly onesignal_id: string };
  readonly subscriptions: readonly OnesignalSubscription[];
}

export interface SeedSubscription {
  readonly type: OnesignalSubscriptionType;
  readonly token: string;
  /** Defaults to true (notification_types 1). */
  readonly enabled?: boolean;
}

/**
 * OneSignal users exist only once a device or address registered them; our adapter never creates one,
 * so tests seed users with their subscriptions.
 */
export class OnesignalState {
  private readonly users = new Map<string, OnesignalUser>();
  // Indexes to the owning user (externalId), so a lookup costs the same with 10 users or 1,000,000.
  // A token belongs to one subscription, as at OneSignal: seeding it again moves it to the new user.
  private readonly bySubscriptionId = new Map<string, string>();
  private readonly byToken = new Map<string, string>();

  constructor(private readonly countEffect: (n?: number) => void) {}

  seedUser(externalId: string, subscriptions: readonly SeedSubscription[]): OnesignalUser {
    const user: OnesignalUser = {
      properties: { tags: {} },
      identity: { external_id: externalId, onesignal_id: randomUUID() },
      subscriptions: subscriptions.map((s) => ({
        id: randomUUID(),
        type: s.type,
        token: s.token,
        enabled: s.enabled ?? true,
        notification_types:
          s.enabled === false ? NOTIFICATION_TYPES.disabledViaApi : NOTIFICATION_TYPES.subscribed,
      })),
    };
    this.forget(externalId);
    this.users.set(externalId, user);
    for (const s of user.subscriptions) {
      this.bySubscriptionId.set(s.id, externalId);
      this.byToken.set(tokenKey(s.type, s.token), externalId);
    }
    return user;
  }

  user(externalId: string): OnesignalUser | undefined {
    return this.users.get(externalId);
  }

  /** Finds a subscription by id, or by type + token (the `subscriptions_by_token` path). */
  findSubscription(
    match: { id: string } | { type: string; token: string },
  ): { user: OnesignalUser; subscription: OnesignalSubscription } | undefined {
    const owner =
      'id' in match
        ? this.bySubscriptionId.get(match.id)
        : this.byToken.get(tokenKey(match.type, match.token));
    const user = owner === undefined ? undefined : this.users.get(owner);
    const subscription = user?.subscriptions.find((s) =>
      'id' in match ? s.id === match.id : s.type === match.type && s.token === match.token,
    );
    return user && subscription ? { user, subscription } : undefined;
  }

  /** Merges data tags into the user's; a tag set to "" is removed. Undefined for an unknown user. */
  setTags(externalId: string, changes: Readonly<Record<string, string>>): Record<string, string> | undefined {
    const user = this.users.get(externalId);
    if (!user) return undefined;
    const tags = { ...(user.properties['tags'] as Record<string, string> | undefined) };
    for (const [key, value] of Object.entries(changes)) {
      if (value === '') delete tags[key];
      else tags[key] = value;
    }
    this.users.set(externalId, { ...user, properties: { ...user.properties, tags } });
    this.countEffect();
    return tags;
  }

  setEnabled(subscriptionId: string, enabled: boolean): boolean {
    const found = this.findSubscription({ id: subscriptionId });
    if (!found) return false;
    const updated: OnesignalSubscription = {
      ...found.subscription,
      enabled,
      notification_types: enabled ? NOTIFICATION_TYPES.subscribed : NOTIFICATION_TYPES.disabledViaApi,
    };
    this.users.set(found.user.identity.external_id, {
      ...found.user,
      subscriptions: found.user.subscriptions.map((s) => (s.id === subscriptionId ? updated : s)),
    });
    this.countEffect();
    return true;
  }

  deleteUser(externalId: string): boolean {
    this.forget(externalId);
    const deleted = this.users.delete(externalId);
    if (deleted) this.countEffect();
    return deleted;
  }

  reset(): void {
    this.users.clear();
    this.bySubscriptionId.clear();
    this.byToken.clear();
  }

  /** Drops the index entries that still point at this user's subscriptions. */
  private forget(externalId: string): void {
    for (const s of this.users.get(externalId)?.subscriptions ?? []) {
      if (this.bySubscriptionId.get(s.id) === externalId) this.bySubscriptionId.delete(s.id);
      const key = tokenKey(s.type, s.token);
      if (this.byToken.get(key) === externalId) this.byToken.delete(key);
    }
  }
}

const tokenKey = (type: string, token: string): string => `${type}\u0000${token}`;

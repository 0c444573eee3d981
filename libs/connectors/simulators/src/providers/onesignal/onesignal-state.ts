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
    this.users.set(externalId, user);
    return user;
  }

  user(externalId: string): OnesignalUser | undefined {
    return this.users.get(externalId);
  }

  /** Finds a subscription by id, or by type + token (the `subscriptions_by_token` path). */
  findSubscription(
    match: { id: string } | { type: string; token: string },
  ): { user: OnesignalUser; subscription: OnesignalSubscription } | undefined {
    for (const user of this.users.values()) {
      const subscription = user.subscriptions.find((s) =>
        'id' in match ? s.id === match.id : s.type === match.type && s.token === match.token,
      );
      if (subscription) return { user, subscription };
    }
    return undefined;
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
    const deleted = this.users.delete(externalId);
    if (deleted) this.countEffect();
    return deleted;
  }

  reset(): void {
    this.users.clear();
  }
}

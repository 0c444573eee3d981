import { randomBytes } from 'node:crypto';
import { normalizeEmail } from '../../core/validation';

export type AttentiveChannel = 'TEXT' | 'EMAIL';
export type AttentiveType = 'MARKETING' | 'TRANSACTIONAL';
export type AttentiveStatus = 'SUBSCRIBED' | 'UNSUBSCRIBED';

export interface AttentiveSubscription {
  readonly type: AttentiveType;
  readonly channel: AttentiveChannel;
  readonly status: AttentiveStatus;
}

/** Access tokens live an hour, like typical OAuth2 client-credentials tokens (expires_in 3600). */
export const ATTENTIVE_TOKEN_TTL_SECONDS = 3600;

/**
 * Attentive subscriptions per address: email addresses hold EMAIL subscriptions, phones TEXT ones
 * (docs/providers.md, "Attentive": an email matches only email subscriptions, a phone only text ones). Also the OAuth tokens.
 */
export class AttentiveState {
  private readonly byAddress = new Map<string, Map<string, AttentiveSubscription>>();
  private readonly tokens = new Map<string, number>();
  private readonly texts = new Map<string, number>();
  private issued = 0;

  constructor(private readonly countEffect: (n?: number) => void) {}

  subscriptions(phoneOrEmail: string): readonly AttentiveSubscription[] {
    return [...(this.byAddress.get(addressKey(phoneOrEmail))?.values() ?? [])];
  }

  subscription(
    address: string,
    type: AttentiveType,
    channel: AttentiveChannel,
  ): AttentiveSubscription | undefined {
    return this.byAddress.get(addressKey(address))?.get(`${type}:${channel}`);
  }

  set(address: string, subscription: AttentiveSubscription): void {
    const key = addressKey(address);
    const subs = this.byAddress.get(key) ?? new Map<string, AttentiveSubscription>();
    subs.set(`${subscription.type}:${subscription.channel}`, subscription);
    this.byAddress.set(key, subs);
    this.countEffect();
  }

  /** A TEXT unsubscribe texts the person a confirmation unless `notification.disabled` (docs/providers.md). */
  recordConfirmationText(phone: string): void {
    this.texts.set(phone, (this.texts.get(phone) ?? 0) + 1);
  }

  confirmationTextsSent(phone: string): number {
    return this.texts.get(phone) ?? 0;
  }

  issueToken(now: number): { token: string; expiresIn: number } {
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, now + ATTENTIVE_TOKEN_TTL_SECONDS * 1000);
    this.issued += 1;
    return { token, expiresIn: ATTENTIVE_TOKEN_TTL_SECONDS };
  }

  tokenValid(token: string | undefined, now: number): boolean {
    const expiresAt = token === undefined ? undefined : this.tokens.get(token);
    return expiresAt !== undefined && expiresAt > now;
  }

  /** Makes every issued token expire, so a test can check the client fetches a new one. */
  expireTokens(): void {
    this.tokens.clear();
  }

  tokensIssued(): number {
    return this.issued;
  }

  reset(): void {
    this.byAddress.clear();
    this.tokens.clear();
    this.texts.clear();
    this.issued = 0;
  }
}

const addressKey = (address: string): string =>
  address.includes('@') ? normalizeEmail(address) : address.trim();

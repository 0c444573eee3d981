import { PROVIDER_MOUNTS } from '../mounts';
import type { AttentiveSubscription } from '../providers/attentive';
import type { BrazeUser } from '../providers/braze';
import type { MailchimpMember } from '../providers/mailchimp';
import type { OnesignalUser, SeedSubscription } from '../providers/onesignal';
import type { SendgridGroup, SentMail } from '../providers/sendgrid';
import type { Fault, ProviderName, RateLimit, RecordedCall, SimulatorCredentials } from '../types';

export interface SimulatorStats {
  readonly calls: number;
  readonly effects: number;
  readonly maxObservedRatePerSecond: number;
  readonly tokensIssued: number;
}

export interface SimulatorConfig {
  readonly url: string;
  readonly baseUrls: Readonly<Record<ProviderName, string>>;
  readonly credentials: SimulatorCredentials;
}

/** The control API (`/_sim`) of simulators running in another process, e.g. `npm start`'s demo. */
export class SimulatorClient {
  private readonly root: string;

  constructor(url: string) {
    this.root = url.replace(/\/+$/, '');
  }

  baseUrl(provider: ProviderName): string {
    return `${this.root}${PROVIDER_MOUNTS[provider]}`;
  }

  health(): Promise<{ ok: boolean }> {
    return this.request('GET', '/_sim/health');
  }

  config(): Promise<SimulatorConfig> {
    return this.request('GET', '/_sim/config');
  }

  calls(provider?: ProviderName): Promise<RecordedCall[]> {
    return this.request('GET', `/_sim/calls${provider ? `?provider=${provider}` : ''}`);
  }

  clearCalls(): Promise<void> {
    return this.request('DELETE', '/_sim/calls');
  }

  stats(provider: ProviderName): Promise<SimulatorStats> {
    return this.request('GET', `/_sim/stats/${provider}`);
  }

  setFault(provider: ProviderName, fault: Fault | null): Promise<void> {
    return fault === null
      ? this.request('DELETE', `/_sim/faults/${provider}`)
      : this.request('PUT', `/_sim/faults/${provider}`, fault);
  }

  setRateLimit(provider: ProviderName, limit: RateLimit | null): Promise<void> {
    return limit === null
      ? this.request('DELETE', `/_sim/rate-limits/${provider}`)
      : this.request('PUT', `/_sim/rate-limits/${provider}`, limit);
  }

  reset(): Promise<void> {
    return this.request('POST', '/_sim/reset');
  }

  seedOnesignalUser(externalId: string, subscriptions: readonly SeedSubscription[]): Promise<OnesignalUser> {
    return this.request('POST', '/_sim/onesignal/users', { externalId, subscriptions });
  }

  addSendgridGroup(id: number, name?: string): Promise<SendgridGroup> {
    return this.request('POST', '/_sim/sendgrid/groups', { id, ...(name === undefined ? {} : { name }) });
  }

  expireAttentiveTokens(): Promise<void> {
    return this.request('POST', '/_sim/attentive/expire-tokens');
  }

  async isGloballySuppressed(email: string): Promise<boolean> {
    const body = await this.request<{ suppressed: boolean }>(
      'GET',
      `/_sim/state/sendgrid/suppressions/global/${encodeURIComponent(email)}`,
    );
    return body.suppressed;
  }

  sendgridGroupSuppressions(groupId: number): Promise<string[]> {
    return this.request('GET', `/_sim/state/sendgrid/groups/${groupId}/suppressions`);
  }

  /** The messages SendGrid's Mail Send accepted for this address, delivered or dropped, oldest first. */
  sendgridMailsTo(email: string): Promise<SentMail[]> {
    return this.request('GET', `/_sim/state/sendgrid/mails/${encodeURIComponent(email)}`);
  }

  brazeUser(externalId: string): Promise<BrazeUser | undefined> {
    return this.optional(`/_sim/state/braze/users/${encodeURIComponent(externalId)}`);
  }

  onesignalUser(externalId: string): Promise<OnesignalUser | undefined> {
    return this.optional(`/_sim/state/onesignal/users/${encodeURIComponent(externalId)}`);
  }

  mailchimpMember(listId: string, email: string): Promise<MailchimpMember | undefined> {
    return this.optional(
      `/_sim/state/mailchimp/lists/${encodeURIComponent(listId)}/members/${encodeURIComponent(email)}`,
    );
  }

  attentiveSubscriptions(phoneOrEmail: string): Promise<AttentiveSubscription[]> {
    return this.request('GET', `/_sim/state/attentive/subscriptions/${encodeURIComponent(phoneOrEmail)}`);
  }

  /** A state read whose 404 means "the provider holds nothing for this key". */
  private async optional<T>(path: string): Promise<T | undefined> {
    const response = await fetch(`${this.root}${path}`);
    if (response.status === 404) return undefined;
    return this.parse<T>('GET', path, response);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.root}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    return this.parse<T>(method, path, response);
  }

  private async parse<T>(method: string, path: string, response: Response): Promise<T> {
    const text = await response.text();
    if (!response.ok) throw new Error(`simulator control ${method} ${path} → ${response.status}: ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }
}

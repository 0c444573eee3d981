import {
  CHANNELS,
  type Channel,
  type ConsentStatus,
  type ProviderAdapter,
  type ProviderView,
} from '@optstream/connectors-domain';

/** One contact as the read model holds it: the known status per channel. */
export interface AuditContact {
  readonly externalId: string;
  readonly channels: Readonly<Partial<Record<Channel, ConsentStatus>>>;
}

export interface ChannelDiff {
  readonly channel: Channel;
  readonly expected: ConsentStatus;
  readonly actual: ConsentStatus;
}

/**
 * One platform's view of one contact, judged:
 * - match: every compared channel agrees;
 * - mismatch: at least one compared channel differs (`diffs`);
 * - error: the platform could not be read (counts against the match rate: unverified is not matched);
 * - skipped: nothing to compare — the platform does not hold the person (not found, no address), or
 *   holds no status for any channel we know and it represents (`absent`: reported, not a mismatch;
 *   a platform that does not know a person cannot message them).
 * Compared channels: those the platform represents (its adapter's fingerprint), the read model has a
 * status for, and the platform reported.
 */
export type Finding =
  | { readonly kind: 'match'; readonly compared: readonly Channel[]; readonly absent: readonly Channel[] }
  | {
      readonly kind: 'mismatch';
      readonly compared: readonly Channel[];
      readonly absent: readonly Channel[];
      readonly diffs: readonly ChannelDiff[];
    }
  | { readonly kind: 'error'; readonly reason: string }
  | { readonly kind: 'skipped'; readonly reason: string };

/**
 * The channels a provider can represent, read off its fingerprint of a contact with no consent
 * (`email=-|sms=-`): the fingerprint is by contract exactly "what this vendor can represent".
 */
export function representedChannels(adapter: Pick<ProviderAdapter, 'fingerprint'>): Channel[] {
  const fingerprint = adapter.fingerprint({ externalId: '', version: 0, channels: {}, causationId: '' });
  const named = new Set(fingerprint.split('|').map((part) => part.split('=')[0]));
  return CHANNELS.filter((c) => named.has(c));
}

export function judge(contact: AuditContact, represented: readonly Channel[], view: ProviderView): Finding {
  switch (view.kind) {
    case 'error':
      return { kind: 'error', reason: view.status ? `${view.status}: ${view.reason}` : view.reason };
    case 'not-applicable':
      return { kind: 'skipped', reason: view.reason };
    case 'not-found':
      return { kind: 'skipped', reason: 'not on the platform' };
    case 'found':
      break;
  }
  const compared: Channel[] = [];
  const absent: Channel[] = [];
  const diffs: ChannelDiff[] = [];
  for (const channel of represented) {
    const expected = contact.channels[channel];
    if (expected === undefined) continue;
    const actual = view.channels[channel];
    if (actual === undefined) {
      absent.push(channel);
      continue;
    }
    compared.push(channel);
    if (actual !== expected) diffs.push({ channel, expected, actual });
  }
  if (compared.length === 0)
    return {
      kind: 'skipped',
      reason: absent.length > 0 ? `no status on the platform for ${absent.join(', ')}` : 'nothing to compare',
    };
  return diffs.length > 0
    ? { kind: 'mismatch', compared, absent, diffs }
    : { kind: 'match', compared, absent };
}

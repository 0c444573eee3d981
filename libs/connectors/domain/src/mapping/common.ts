import type { Channel, ConsentStatus, ContactConsent, TopicConsent } from '../consent';
import type { DeliveryPlan, PlannedRequest, SkippedContact } from '../http';

/**
 * `email=unsubscribed|sms=-` over the channels a vendor can represent; '-' = unknown. Topic choices are
 * appended per channel (`email=unsubscribed[newsletter=subscribed/unsubscribed]`) only when there are
 * some, so a contact without topics keeps the fingerprint it was delivered with before topics existed.
 */
export function channelFingerprint(consent: ContactConsent, channels: readonly Channel[]): string {
  return channels
    .map((ch) => {
      const topics = topicsOf(consent, ch);
      const suffix =
        topics.length === 0
          ? ''
          : `[${topics.map((t) => `${t.topic}=${t.status}/${t.effective}`).join(',')}]`;
      return `${ch}=${consent.channels[ch] ?? '-'}${suffix}`;
    })
    .join('|');
}

/** The topic choices of one channel (none on states written before topics existed). */
export const topicsOf = (consent: ContactConsent, channel: Channel): readonly TopicConsent[] =>
  consent.topics?.[channel] ?? [];

/**
 * The topic choices of `channel` that have a representation at a platform, with it: `representation`
 * maps a catalogue topic id to the platform's own id (SendGrid group, Mailchimp interest, …).
 */
export function representedTopics<R>(
  consent: ContactConsent,
  channel: Channel,
  representation: Readonly<Record<string, R>> | undefined,
): readonly [TopicConsent, R][] {
  if (representation === undefined) return [];
  return topicsOf(consent, channel).flatMap((t) => {
    // Own keys only: a topic id from the log is data, never a path into Object.prototype.
    if (!Object.hasOwn(representation, t.topic)) return [];
    return [[t, representation[t.topic] as R]];
  });
}

/** The known channels of a contact restricted to `channels`, in that order. */
export function knownChannels(
  consent: ContactConsent,
  channels: readonly Channel[],
): readonly [Channel, ConsentStatus][] {
  return channels.flatMap((ch) => {
    const status = consent.channels[ch];
    return status ? [[ch, status] as [Channel, ConsentStatus]] : [];
  });
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Builds a plan from per-contact decisions: either requests or a skip reason. */
export function planPerContact(
  batch: readonly ContactConsent[],
  decide: (contact: ContactConsent) => PlannedRequest[] | string,
): DeliveryPlan {
  const requests: PlannedRequest[] = [];
  const skipped: SkippedContact[] = [];
  for (const contact of batch) {
    const decision = decide(contact);
    if (typeof decision === 'string') skipped.push({ contact, reason: decision });
    else requests.push(...decision);
  }
  return { requests, skipped };
}

export const enc = encodeURIComponent;

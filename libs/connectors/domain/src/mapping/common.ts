import type { Channel, ConsentStatus, ContactConsent } from '../consent';
import type { DeliveryPlan, PlannedRequest, SkippedContact } from '../http';

/** `email=unsubscribed|sms=-` over the channels a vendor can represent; '-' = unknown. */
export function channelFingerprint(consent: ContactConsent, channels: readonly Channel[]): string {
  return channels.map((ch) => `${ch}=${consent.channels[ch] ?? '-'}`).join('|');
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

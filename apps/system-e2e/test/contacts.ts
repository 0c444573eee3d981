import { randomInt, randomUUID } from 'node:crypto';
import { waitFor } from '@optstream/testing';
import type { SystemHarness } from './system-harness';

/** A fresh person for one scenario: an externalId, an email and a (fictional, valid) US mobile number. */
export interface Person {
  readonly externalId: string;
  readonly email: string;
  readonly phone: string;
}

export function newPerson(label: string): Person {
  const externalId = randomUUID();
  return {
    externalId,
    email: `${label}.${externalId.slice(0, 8)}@example.com`,
    // 415-555-01xx is reserved for fiction; the rest of the range keeps numbers distinct per person.
    phone: `+1415${String(randomInt(2_000_000, 9_999_999))}`,
  };
}

export const at = (iso: string): string => new Date(iso).toISOString();
export const newId = (): string => randomUUID();

export interface SubscribeOptions {
  /** The identify's timestamp; default one minute ago. */
  readonly timestamp?: string;
  /** Also give the person an Email subscription on OneSignal (default true). */
  readonly onesignalEmail?: boolean;
}

/**
 * A known contact, subscribed on every channel and every platform, with devices on OneSignal: a
 * server-side identify with the seed's traits, then wait until Braze holds email and push opted in.
 */
export async function subscribedEverywhere(
  h: SystemHarness,
  label: string,
  options: SubscribeOptions = {},
): Promise<Person> {
  const person = newPerson(label);
  await h.simulators.seedOnesignalUser(person.externalId, [
    { type: 'iOSPush', token: newId() },
    ...(options.onesignalEmail === false ? [] : [{ type: 'Email' as const, token: person.email }]),
    { type: 'SMS', token: person.phone },
  ]);
  const answer = await h.webhooks.segmentIdentify({
    userId: person.externalId,
    timestamp: options.timestamp ?? new Date(Date.now() - 60_000).toISOString(),
    traits: {
      email: person.email,
      phone: person.phone,
      email_subscribed_status: 'subscribed',
      sms_subscribed_status: 'subscribed',
      push_notification_enabled: true,
    },
  });
  if (answer.status !== 200) throw new Error(`identify answered ${answer.status}`);
  await waitFor(
    async () => {
      const braze = await h.simulators.brazeUser(person.externalId);
      return braze?.email_subscribe === 'opted_in' && braze.push_subscribe === 'opted_in';
    },
    { timeoutMs: 60_000, description: `${label}: subscribed on Braze` },
  );
  return person;
}

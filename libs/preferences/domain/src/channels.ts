import type { Channel, SubscriptionStatus } from '@optstream/contracts';

/**
 * The channels and statuses a person can actually consent with. The schema's `unknown` symbol is only
 * the Avro enum default that lets an old reader decode a newer writer's symbol; it carries no consent
 * and is never applied (see `RejectedPreferenceEvent`).
 */
export type KnownChannel = Exclude<Channel, 'unknown'>;
export type KnownStatus = Exclude<SubscriptionStatus, 'unknown'>;

/** The fixed order channels appear in on the state topic, so equal states encode to equal bytes. */
export const CHANNEL_ORDER: readonly KnownChannel[] = ['email', 'sms', 'push'];

export const isKnownChannel = (channel: Channel): channel is KnownChannel => channel !== 'unknown';
export const isKnownStatus = (status: SubscriptionStatus): status is KnownStatus => status !== 'unknown';

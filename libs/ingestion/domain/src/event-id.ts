import { createHash } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import type { SourceSystem } from './inbound-fact';

/**
 * Fixed namespace for optstream event ids. Changing it changes every derived id and breaks
 * deduplication against events already in the log: never change it.
 */
export const OPTSTREAM_EVENT_NAMESPACE = '6f1b7c1e-3d2a-5b8e-9c4f-0a7d2e9b1c33';

/**
 * Deterministic event id: UUID v5 of "<system>:<providerEventRef>". Provider retries and duplicates
 * carry the same ref (SendGrid `sg_event_id`, Twilio `MessageSid`, Segment `messageId`), so they
 * collapse to one id downstream. The system prefix keeps equal refs from different providers apart.
 */
export const deriveEventId = (system: SourceSystem, providerEventRef: string): string =>
  uuidv5(`${system}:${providerEventRef}`, OPTSTREAM_EVENT_NAMESPACE);

/**
 * Mailchimp webhooks carry no event id. Its retries resend the same fields, so a hash of what
 * identifies the action — type, fired_at (second precision), address and audience — collapses them.
 * The cost: the same action on the same address and list within one second counts once, which is
 * harmless because it would set the same state. The normalized email goes in so a retry that
 * differs only in case still collapses; it is hashed, so no address appears in the ref.
 */
export const mailchimpEventRef = (type: string, firedAt: string, email: string, listId: string): string =>
  `mc-${sha256Hex([type, firedAt, email, listId].join('\u001f'))}`;

/** A ref for one of several facts derived from one provider event (e.g. Segment identify traits). */
export const derivedEventRef = (parentRef: string, part: string): string => `${parentRef}#${part}`;

/** Last resort for providers whose id is optional (Segment `messageId`): hash of the event's own bytes. */
export const contentEventRef = (canonicalContent: string): string => `content-${sha256Hex(canonicalContent)}`;

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

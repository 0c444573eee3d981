import type { BackfillChannel, BackfillStatus } from './formats';
import type { Identifiers } from './row-mapper';

/**
 * The backfill's merge rules, pure. Which rows are one person, and which change per channel wins, are
 * decided here; `SpooledMerge` applies them to files of any size with sorts on disk.
 */

/** Where a value came from: file (index into the run's files) and the line its row starts on. */
export interface Side {
  readonly status: BackfillStatus;
  readonly occurredAt: number;
  readonly file: number;
  readonly line: number;
  /**
   * The row's own email and phone, where they are the person's (`belongsTo`): the published change
   * carries them, so it reaches the contact that holds the address it is about.
   */
  readonly email?: string | null;
  readonly phone?: string | null;
}

/** Two rows of one person disagree on a channel's status; the later one (by occurredAt) wins. */
export interface ChannelConflict {
  readonly kind: 'channel';
  readonly contact: Identifiers;
  readonly channel: BackfillChannel;
  readonly a: Side;
  readonly b: Side;
  readonly winner: 'a' | 'b';
}

/** An email or phone that rows tie to two different externalIds: not linked (rule 4 of docs/architecture.md), reported. */
export interface IdentifierConflict {
  readonly kind: 'identifier';
  readonly attribute: 'email' | 'phone';
  readonly value: string;
  readonly externalIds: readonly [string, string];
  readonly file: number;
  readonly line: number;
}

export type Conflict = ChannelConflict | IdentifierConflict;

/** One consolidated person: identifiers plus the winning status per channel. */
export interface MergedContact {
  readonly identifiers: Identifiers;
  readonly channels: readonly (Side & { readonly channel: BackfillChannel })[];
}

export interface MergeCounts {
  facts: number;
  duplicates: number;
  superseded: number;
  conflicts: number;
  identifierConflicts: number;
}

export type OfferOutcome = 'first' | 'duplicate' | 'superseded' | 'conflict';

/**
 * A channel's next change against the one holding so far. The later occurredAt wins; an exact tie
 * between statuses goes to unsubscribed (the projector's rule); the same status at the same instant is
 * a duplicate. Same status at another time is "superseded" (no conflict to report).
 */
export function offer(
  current: Side | undefined,
  incoming: Side,
): { readonly kept: Side; readonly outcome: OfferOutcome } {
  if (!current) return { kept: incoming, outcome: 'first' };
  if (current.status === incoming.status) {
    if (current.occurredAt === incoming.occurredAt) return { kept: current, outcome: 'duplicate' };
    return {
      kept: incoming.occurredAt > current.occurredAt ? incoming : current,
      outcome: 'superseded',
    };
  }
  const incomingWins =
    incoming.occurredAt !== current.occurredAt
      ? incoming.occurredAt > current.occurredAt
      : incoming.status === 'unsubscribed';
  return { kept: incomingWins ? incoming : current, outcome: 'conflict' };
}

/**
 * A person is named by an anchor: "x:<externalId>", "e:<email>" or "p:<phone>". What an email or phone
 * of a row resolves to, from the claims on it across all rows, is an anchor or "" (nobody claims it):
 * - a value on a row with an externalId is claimed by that externalId, the earliest row's if several
 *   (the others are identifier conflicts and keep only their externalId);
 * - a phone on a row with an email but no externalId is claimed by that email, the earliest row's, and
 *   resolves to that email's person (its externalId's if the email is claimed by one).
 */
export const externalIdAnchor = (externalId: string): string => `x:${externalId}`;
export const emailAnchor = (email: string): string => `e:${email}`;
export const phoneAnchor = (phone: string): string => `p:${phone}`;

/**
 * The person a row belongs to, in the identity resolver's order: its own externalId; else the externalId
 * its email, then its phone, resolves to; else its email; else the person its phone resolves to; else its
 * phone. Used for a row's facts that no address of the row decides (push; a channel whose address the
 * row lacks): see `anchorOfFact`.
 */
export function anchorOf(ids: Identifiers, emailResolves: string, phoneResolves: string): string {
  if (ids.externalId !== null) return externalIdAnchor(ids.externalId);
  if (emailResolves.startsWith('x:')) return emailResolves;
  if (phoneResolves.startsWith('x:')) return phoneResolves;
  if (ids.email !== null) return emailAnchor(ids.email);
  if (phoneResolves !== '') return phoneResolves;
  if (ids.phone !== null) return phoneAnchor(ids.phone);
  throw new Error('a row with no identifier has no person');
}

/**
 * The person one fact of a row belongs to. A row with an externalId is that externalId's, whole. Without
 * one, an email change goes with the row's email (to the externalId that claims it, else the email's own
 * person) and an SMS change with the row's phone (to whoever the phone resolves to, else the phone's own
 * person): a consent change is never separated from the address it is about, even when the row's email
 * and phone lead to different people. Other facts follow `anchorOf`.
 *
 * Links are followed this far and no further (docs/cli.md). Rows kept apart here that the resolver later
 * links still end in the right state: every change is published with the address it is about and its own
 * time, and the projector's latest-wins fold is order-free.
 */
export function anchorOfFact(
  ids: Identifiers,
  channel: BackfillChannel,
  emailResolves: string,
  phoneResolves: string,
): string {
  if (ids.externalId === null) {
    if (channel === 'email' && ids.email !== null)
      return emailResolves.startsWith('x:') ? emailResolves : emailAnchor(ids.email);
    if (channel === 'sms' && ids.phone !== null) return phoneResolves || phoneAnchor(ids.phone);
  }
  return anchorOf(ids, emailResolves, phoneResolves);
}

/**
 * Whether a row's email or phone is published with a person: it is the person's own anchor value, or it
 * is claimed by this person, or nobody claims it and the person is an externalId's.
 */
export const belongsTo = (anchor: string, valueAnchor: string, resolves: string): boolean =>
  anchor === valueAnchor || resolves === anchor || (resolves === '' && anchor.startsWith('x:'));

/**
 * A row without externalId whose email is claimed by one externalId and phone by another ties two
 * people together: they are not merged (rule 4 of docs/architecture.md), and the tie is reported.
 */
export function crossedExternalIds(
  ids: Identifiers,
  emailResolves: string,
  phoneResolves: string,
): readonly [string, string] | null {
  if (ids.externalId !== null) return null;
  const a = externalIdOf(emailResolves);
  const b = externalIdOf(phoneResolves);
  return a !== null && b !== null && a !== b ? [a, b] : null;
}

/**
 * Within one person, which changes compete for a channel: email changes per email address and SMS changes
 * per phone (the row's own, where it is the person's), push changes all together. A person with two
 * phones thus publishes the newest change of each, so both phones reach the contact (the projector then
 * keeps the newest for the contact); one winner per channel would leave the other phone unlinked.
 */
export function slotOf(channel: BackfillChannel, email: string | null, phone: string | null): string {
  if (channel === 'email') return `email\t${email ?? ''}`;
  if (channel === 'sms') return `sms\t${phone ?? ''}`;
  return channel;
}

/** The externalId an anchor names, if it names one. */
export const externalIdOf = (anchor: string): string | null =>
  anchor.startsWith('x:') ? anchor.slice(2) : null;

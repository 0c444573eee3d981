/*
 * Test builders for the identity decider (used by specs only; not exported from the lib).
 * Hashing is done here the way the resolver service does it: HMAC of the normalized value.
 */
import { createHmac } from 'node:crypto';
import type { Channel, ContactInbound, InboundFactKind, SubscriptionStatus } from '@optstream/contracts';
import type { Decision, ResolveInbound } from '../decide';
import type { MatchKind } from '../identifiers';
import { ID_SUFFIX, uuidV5Ids } from '../ids';
import { identityView, type ContactNode, type IdentityView } from '../view';

export const deriveId = uuidV5Ids();
export const RECORDED_AT = 1_767_225_600_000;
export const OCCURRED_AT = 1_767_225_000_000;

export const keyedHash = (kind: MatchKind, value: string): string =>
  createHmac('sha256', 'test-matching-key').update(`${kind}:${value}`).digest('base64url');

/** What the gateway does before the fact is published: trim + lowercase. */
export const normalizeEmail = (raw: string): string => raw.trim().toLowerCase();

export interface FactSpec {
  readonly eventId?: string;
  readonly kind: InboundFactKind;
  readonly externalId?: string | null;
  readonly email?: string | null;
  readonly phone?: string | null;
  readonly channel?: Channel;
  readonly status?: SubscriptionStatus;
  readonly pushEnabled?: boolean;
  readonly occurredAt?: number;
}

export const fact = (spec: FactSpec): ContactInbound => ({
  eventId: spec.eventId ?? 'evt-1',
  source: { system: 'optstream_api', providerEventRef: `ref-${spec.eventId ?? 'evt-1'}` },
  occurredAt: spec.occurredAt ?? OCCURRED_AT,
  receivedAt: (spec.occurredAt ?? OCCURRED_AT) + 5,
  identifiers: {
    externalId: spec.externalId ?? null,
    email: spec.email ?? null,
    phone: spec.phone ?? null,
    anonymousId: null,
  },
  kind: spec.kind,
  preferenceChange:
    spec.kind === 'preference_change'
      ? { channel: spec.channel ?? 'email', newStatus: spec.status ?? 'unsubscribed', sourceOfChange: 'Test' }
      : null,
  identify: spec.kind === 'identify' ? { traitsJson: '{}' } : null,
  pushPermissionChange:
    spec.kind === 'push_permission_change'
      ? { enabled: spec.pushEnabled ?? false, sourceOfChange: 'Mobile App Settings' }
      : null,
});

/** The resolver service's side: hash what the fact carries (values arrive already normalized). */
export const command = (spec: FactSpec): ResolveInbound => commandFor(fact(spec));

export const commandFor = (inbound: ContactInbound): ResolveInbound => ({
  fact: inbound,
  emailHash: inbound.identifiers.email === null ? null : keyedHash('email', inbound.identifiers.email),
  phoneHash: inbound.identifiers.phone === null ? null : keyedHash('phone', inbound.identifiers.phone),
  recordedAt: RECORDED_AT,
  deriveId,
});

export interface ContactSpec {
  readonly provisional?: boolean;
  readonly mergedInto?: string;
  readonly emails?: readonly string[];
  readonly phones?: readonly string[];
}

export const contact = (externalId: string, spec: ContactSpec = {}): ContactNode => ({
  externalId,
  provisional: spec.provisional ?? false,
  mergedInto: spec.mergedInto ?? null,
  identifiers: [
    ...(spec.emails ?? []).map((e) => ({ kind: 'email' as const, keyedHash: keyedHash('email', e) })),
    ...(spec.phones ?? []).map((p) => ({ kind: 'phone' as const, keyedHash: keyedHash('phone', p) })),
  ],
});

export const viewOf = (...contacts: readonly ContactNode[]): IdentityView => identityView(contacts);

/** The provisional contact id an opt-out with this eventId creates. */
export const provisionalId = (eventId: string): string => deriveId(eventId, ID_SUFFIX.provisionalContact);

/**
 * One readable line per decision, so table rows state the whole outcome. Hash → plaintext is
 * recovered from the decision itself (plaintext travels with it), ids are shown as given.
 */
export const summarize = (decisions: readonly Decision[]): readonly string[] =>
  decisions.map((d) => {
    switch (d.type) {
      case 'publish_identity': {
        const e = d.event;
        const id = e.identifier === null ? '' : ` ${e.identifier.kind}=${e.identifier.plaintext}`;
        const other = e.otherExternalId === null ? '' : ` from=${e.otherExternalId}`;
        const prov = e.kind === 'contact_registered' ? ` provisional=${e.provisional}` : '';
        return `${e.kind} ${e.externalId}${prov}${id}${other}`;
      }
      case 'publish_preference':
        return `preference ${d.event.externalId} ${d.event.channel}=${d.event.newStatus}`;
      case 'reemit_preferences':
        return `reemit ${d.from} -> ${d.to}`;
      case 'rejected':
        return `rejected ${d.code}`;
      default:
        return assertNeverDecision(d);
    }
  });

const assertNeverDecision = (d: never): never => {
  throw new Error(`unhandled decision ${JSON.stringify(d)}`);
};

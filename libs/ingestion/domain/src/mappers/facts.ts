import { deriveEventId } from '../event-id';
import type {
  ConsentChannel,
  ConsentStatus,
  ContactInbound,
  Evidence,
  InboundIdentifiers,
  SourceSystem,
  TimestampPrecision,
} from '../inbound-fact';

/** What every fact shares; the event id is derived from `system` and `providerEventRef`. */
export type FactEnvelope = {
  readonly system: SourceSystem;
  readonly providerEventRef: string;
  readonly occurredAt: number;
  readonly receivedAt: number;
  readonly identifiers: InboundIdentifiers;
  /** The resolution of the source's clock; omitted: milliseconds. */
  readonly precision?: TimestampPrecision;
};

/** The consent-model fields of a preference change (docs/consent-model.md); all optional. */
export type ConsentDetail = {
  /** A catalogue topic id; absent or null: the whole channel. */
  readonly topic?: string | null;
  readonly evidence?: Evidence | null;
  readonly pendingExpiresAt?: number | null;
  /** Proof of consent, personal data: only on the 7-day inbound topic, sealed by the resolver. */
  readonly ipAddress?: string | null;
  readonly userAgent?: string | null;
};

const base = (e: FactEnvelope) => ({
  eventId: deriveEventId(e.system, e.providerEventRef),
  source: { system: e.system, providerEventRef: e.providerEventRef },
  occurredAt: e.occurredAt,
  receivedAt: e.receivedAt,
  identifiers: { ...e.identifiers },
  ...(e.precision === undefined ? {} : { occurredAtPrecision: e.precision }),
});

export const preferenceChangeFact = (
  e: FactEnvelope,
  channel: ConsentChannel,
  newStatus: ConsentStatus,
  sourceOfChange: string,
  detail: ConsentDetail = {},
): ContactInbound => ({
  ...base(e),
  kind: 'preference_change',
  preferenceChange: { channel, newStatus, sourceOfChange, ...detail },
  identify: null,
  pushPermissionChange: null,
});

export const identifyFact = (e: FactEnvelope, traitsJson: string): ContactInbound => ({
  ...base(e),
  kind: 'identify',
  preferenceChange: null,
  identify: { traitsJson },
  pushPermissionChange: null,
});

export const pushPermissionChangeFact = (
  e: FactEnvelope,
  enabled: boolean,
  sourceOfChange: string,
): ContactInbound => ({
  ...base(e),
  kind: 'push_permission_change',
  preferenceChange: null,
  identify: null,
  pushPermissionChange: { enabled, sourceOfChange },
});

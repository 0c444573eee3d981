import { deriveEventId } from '../event-id';
import type {
  ConsentChannel,
  ConsentStatus,
  ContactInbound,
  InboundIdentifiers,
  SourceSystem,
} from '../inbound-fact';

/** What every fact shares; the event id is derived from `system` and `providerEventRef`. */
export type FactEnvelope = {
  readonly system: SourceSystem;
  readonly providerEventRef: string;
  readonly occurredAt: number;
  readonly receivedAt: number;
  readonly identifiers: InboundIdentifiers;
};

const base = (e: FactEnvelope) => ({
  eventId: deriveEventId(e.system, e.providerEventRef),
  source: { system: e.system, providerEventRef: e.providerEventRef },
  occurredAt: e.occurredAt,
  receivedAt: e.receivedAt,
  identifiers: { ...e.identifiers },
});

export const preferenceChangeFact = (
  e: FactEnvelope,
  channel: ConsentChannel,
  newStatus: ConsentStatus,
  sourceOfChange: string,
): ContactInbound => ({
  ...base(e),
  kind: 'preference_change',
  preferenceChange: { channel, newStatus, sourceOfChange },
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

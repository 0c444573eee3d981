import {
  combineOutcomes,
  type ContactConsent,
  type DeliveryPlan,
  type DeliveryResult,
  type PlannedRequest,
  type RequestOutcome,
} from '@optstream/connectors-domain';
import type { CallResult, ReliableClient } from './reliable-client';

/** The one call a plan needs: the reliable client, or an adapter's wrapper around it. */
export type PlanClient = Pick<ReliableClient, 'call'>;

/** Vendor-specific reading of an answer: per-contact outcomes of one planned request. */
export type Interpret = (
  planned: PlannedRequest,
  result: CallResult,
) => ReadonlyMap<ContactConsent, RequestOutcome>;

export interface ExecuteOptions {
  readonly interpret?: Interpret;
  /**
   * Smaller requests to retry a REJECTED multi-contact request with, one contact each: a batch call
   * refused because of one poison address must not dead-letter its neighbours.
   */
  readonly split?: (planned: PlannedRequest) => readonly PlannedRequest[];
}

/** Runs every request of the plan (the client bounds concurrency) and folds the outcomes per contact. */
export async function executePlan(
  client: PlanClient,
  batch: readonly ContactConsent[],
  plan: DeliveryPlan,
  options: ExecuteOptions = {},
): Promise<DeliveryResult[]> {
  const outcomes = new Map<ContactConsent, RequestOutcome[]>();
  const add = (contact: ContactConsent, outcome: RequestOutcome) =>
    outcomes.set(contact, [...(outcomes.get(contact) ?? []), outcome]);
  const perRequest = await Promise.all(plan.requests.map((planned) => runPlanned(client, planned, options)));
  for (const map of perRequest) for (const [contact, outcome] of map) add(contact, outcome);
  const skipped = new Map(plan.skipped.map((s) => [s.contact, s.reason]));
  return batch.map((contact) => {
    const reason = skipped.get(contact);
    const outcome =
      reason !== undefined
        ? ({ kind: 'not-applicable', reason } as const)
        : combineOutcomes(outcomes.get(contact) ?? []);
    return { externalId: contact.externalId, version: contact.version, outcome };
  });
}

async function runPlanned(
  client: PlanClient,
  planned: PlannedRequest,
  options: ExecuteOptions,
): Promise<ReadonlyMap<ContactConsent, RequestOutcome>> {
  const result = await client.call(planned.request, { idempotencyFor: planned.contacts });
  if (result.outcome.kind === 'rejected' && planned.contacts.length > 1 && options.split) {
    const parts = await Promise.all(options.split(planned).map((part) => runPlanned(client, part, options)));
    return new Map(parts.flatMap((part) => [...part]));
  }
  return options.interpret ? options.interpret(planned, result) : sameForAll(planned, result.outcome);
}

export const sameForAll = (
  planned: PlannedRequest,
  outcome: RequestOutcome,
): Map<ContactConsent, RequestOutcome> => new Map(planned.contacts.map((c) => [c, outcome]));

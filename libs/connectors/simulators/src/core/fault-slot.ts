import type { ContactRef, Fault } from '../types';

export type TransportFault = Exclude<Fault, { kind: 'reject' }>;
export type RejectFault = Extract<Fault, { kind: 'reject' }>;

/** One provider's current fault, counting down `times` as requests consume it. */
export class FaultSlot {
  private fault: Fault | null = null;
  private remaining: number | undefined;

  set(fault: Fault | null): void {
    this.fault = fault;
    this.remaining = fault && 'times' in fault ? fault.times : undefined;
  }

  /** The transport-level fault this request suffers, if any; consumes one of its `times`. */
  take(): TransportFault | undefined {
    const fault = this.fault;
    if (fault === null || fault.kind === 'reject') return undefined;
    if (this.remaining !== undefined) {
      this.remaining -= 1;
      if (this.remaining <= 0) this.set(null);
    }
    return fault;
  }

  /** The reject fault, when the request concerns one of its poison contacts. */
  rejects(contacts: ContactRef): RejectFault | undefined {
    const fault = this.fault;
    if (fault === null || fault.kind !== 'reject') return undefined;
    return matchesPoison(fault, contacts) ? fault : undefined;
  }
}

export function matchesPoison(fault: RejectFault, contacts: ContactRef): boolean {
  // Emails compare case-insensitively like every provider does; ids and E.164 phones exactly.
  const norm = (values: readonly string[] | undefined, fold: boolean) =>
    (values ?? []).map((v) => (fold ? v.trim().toLowerCase() : v.trim()));
  const hit = (poison: readonly string[] | undefined, given: readonly string[] | undefined, fold = false) =>
    norm(given, fold).some((v) => norm(poison, fold).includes(v));
  return (
    hit(fault.forExternalIds, contacts.externalIds) ||
    hit(fault.forEmails, contacts.emails, true) ||
    hit(fault.forPhones, contacts.phones)
  );
}

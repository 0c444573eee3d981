import type {
  ContactConsent,
  DeliveryOutcome,
  ErasureOutcome,
  ProviderAdapter,
  ProviderName,
} from '@optstream/connectors-domain';

/**
 * A provider whose answers the test scripts per contact. It stands in for an external platform only;
 * Kafka and Postgres stay real. Adapter-to-platform behaviour is tested against the simulators.
 */
export class ScriptedProvider implements ProviderAdapter {
  readonly calls: ContactConsent[][] = [];
  readonly erased: string[] = [];
  answer: (consent: ContactConsent) => DeliveryOutcome = () => ({ kind: 'delivered' });
  /** How long each call takes (a provider's answer time), so calls can overlap. */
  delayMs = 0;
  /** Throws instead of answering while this says so (the batch fails part-way, as after a crash). */
  failCall: (batch: readonly ContactConsent[]) => boolean = () => false;
  /** Calls in flight now, and the most there ever were at once. */
  inFlight = 0;
  mostInFlight = 0;

  constructor(
    readonly provider: ProviderName,
    readonly maxBatch = 2,
    readonly maxInFlight?: number,
  ) {}

  readonly needs = [] as const;

  fingerprint(consent: ContactConsent): string {
    return JSON.stringify(consent.channels);
  }

  async deliver(batch: readonly ContactConsent[]) {
    this.inFlight += 1;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    try {
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      if (this.failCall(batch)) throw new Error(`${this.provider} call failed before it was answered`);
      this.calls.push([...batch]);
      return batch.map((c) => ({ externalId: c.externalId, version: c.version, outcome: this.answer(c) }));
    } finally {
      this.inFlight -= 1;
    }
  }

  async erase(externalId: string): Promise<ErasureOutcome> {
    this.erased.push(externalId);
    return { kind: 'erased' };
  }

  sentTo(externalId: string): ContactConsent[] {
    return this.calls.flat().filter((c) => c.externalId === externalId);
  }
}

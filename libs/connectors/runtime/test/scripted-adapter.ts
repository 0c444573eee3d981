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

  constructor(
    readonly provider: ProviderName,
    readonly maxBatch = 2,
  ) {}

  readonly needs = [] as const;

  fingerprint(consent: ContactConsent): string {
    return JSON.stringify(consent.channels);
  }

  async deliver(batch: readonly ContactConsent[]) {
    this.calls.push([...batch]);
    return batch.map((c) => ({ externalId: c.externalId, version: c.version, outcome: this.answer(c) }));
  }

  async erase(externalId: string): Promise<ErasureOutcome> {
    this.erased.push(externalId);
    return { kind: 'erased' };
  }

  sentTo(externalId: string): ContactConsent[] {
    return this.calls.flat().filter((c) => c.externalId === externalId);
  }
}

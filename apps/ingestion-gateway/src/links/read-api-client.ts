import type { ContactConsent } from '@optstream/ingestion-preference-pages';

/** What the pages need to know about a contact; `unavailable` when the read API did not answer in time. */
export type ContactLookup =
  | { readonly kind: 'found'; readonly consent: ContactConsent }
  | { readonly kind: 'erased' }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'unavailable'; readonly reason: string };

interface ContactResponse {
  readonly erasedAt: string | null;
  readonly channels: ContactConsent;
}

/** The read API over HTTP: apps never import each other; the gateway asks it like any client. */
export class ReadApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly timeoutMs: number,
  ) {}

  async contact(externalId: string): Promise<ContactLookup> {
    try {
      const response = await fetch(
        `${this.baseUrl.replace(/\/+$/, '')}/v1/contacts/${encodeURIComponent(externalId)}`,
        {
          headers: { 'x-api-key': this.apiKey, accept: 'application/json' },
          signal: AbortSignal.timeout(this.timeoutMs),
        },
      );
      if (response.status === 404) return { kind: 'unknown' };
      if (!response.ok) return { kind: 'unavailable', reason: `read API answered ${response.status}` };
      const body = (await response.json()) as ContactResponse;
      return body.erasedAt !== null ? { kind: 'erased' } : { kind: 'found', consent: body.channels };
    } catch (error) {
      return { kind: 'unavailable', reason: (error as Error).message };
    }
  }

  /** How many history events of the contact came from one submission (their source ref starts with it). */
  async recorded(externalId: string, submissionRef: string): Promise<number> {
    try {
      const response = await fetch(
        `${this.baseUrl.replace(/\/+$/, '')}/v1/contacts/${encodeURIComponent(externalId)}/history`,
        { headers: { 'x-api-key': this.apiKey }, signal: AbortSignal.timeout(this.timeoutMs) },
      );
      if (!response.ok) return 0;
      const body = (await response.json()) as { events: { source: { providerEventRef: string } }[] };
      return body.events.filter((e) => e.source.providerEventRef.startsWith(`${submissionRef}:`)).length;
    } catch {
      return 0;
    }
  }
}

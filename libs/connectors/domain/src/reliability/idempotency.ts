import { createHash } from 'node:crypto';
import type { ContactConsent, ProviderName } from '../consent';
import type { HttpRequest } from '../http';

/**
 * The `Idempotency-Key` of a write: derived from (provider, externalId, version) of every contact the
 * request carries, plus the request's method and path — so the SAME request re-sent after a timeout or
 * a redelivered Kafka message gets the same key, while two different writes for one contact state
 * (OneSignal: one PATCH per subscription) never share one. Hashed: the key must not leak addresses.
 */
export function idempotencyKey(
  provider: ProviderName,
  contacts: readonly Pick<ContactConsent, 'externalId' | 'version'>[],
  request: Pick<HttpRequest, 'method' | 'path'>,
): string {
  const parts = contacts.map((c) => `${c.externalId}@${c.version}`).sort();
  const material = [provider, request.method, request.path, ...parts].join('\n');
  return createHash('sha256').update(material).digest('base64url').slice(0, 43);
}

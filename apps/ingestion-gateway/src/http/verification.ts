import { Verification } from '@optstream/ingestion-domain';
import { httpError } from '@optstream/http-errors';

/** Missing credentials are 401; present but wrong or stale ones are 403. Nothing is published either way. */
export function assertVerified(verification: Verification): void {
  if (verification.ok) return;
  const missing = verification.code === 'MISSING_SIGNATURE' || verification.code === 'MISSING_TIMESTAMP';
  throw httpError(missing ? 401 : 403, verification.code, verification.reason);
}

export function notConfigured(what: string, setting: string): never {
  throw httpError(404, 'ENDPOINT_NOT_CONFIGURED', `${what} is not enabled on this gateway (set ${setting})`);
}

// SQLSTATE classes where trying again can help: connection exceptions (08), serialization failures and
// deadlocks (40), insufficient resources (53), operator intervention such as a restart (57).
const TRANSIENT_SQLSTATE = /^(08|40|53|57)/;
const TRANSIENT_NETWORK = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection terminated|timeout exceeded/i;

/** A PostgreSQL failure that waiting can cure (a restart, a lost connection), not a bad statement. */
export function isTransientDatabaseError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return (typeof code === 'string' && TRANSIENT_SQLSTATE.test(code)) || TRANSIENT_NETWORK.test(message);
}

/** The SQLSTATE of a node-postgres error (TypeORM wraps it in QueryFailedError, keeping `code`). */
export const pgErrorCode = (error: unknown): string | undefined => {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const driver = (error as { driverError?: unknown }).driverError;
  return driver === error ? undefined : pgErrorCode(driver);
};

export const UNIQUE_VIOLATION = '23505';

/**
 * Another writer changed the graph between our read and our commit (a unique key was taken, a contact
 * we decided on moved on). Retriable: resolving again against the fresh graph gives the right answer.
 * `retriable` is the property the consumer library's isRetriable reads.
 */
export class IdentityConflictError extends Error {
  readonly code = 'IDENTITY_CONFLICT';
  readonly retriable = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IdentityConflictError';
  }
}

/** A unique violation means a concurrent writer won a race: surface it as a retriable conflict. */
export const asConflict = (error: unknown, what: string): unknown =>
  pgErrorCode(error) === UNIQUE_VIOLATION
    ? new IdentityConflictError(`${what}: taken concurrently`, { cause: error })
    : error;

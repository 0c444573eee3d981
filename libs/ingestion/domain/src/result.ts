/**
 * Errors are values: every fallible domain function returns one of these instead of throwing.
 * `code` is stable (callers map it to HTTP status and metrics labels); `reason` is for humans and
 * names the offending field and value shape precisely, but never echoes an email or phone in full.
 */
export type Ok<T> = { readonly ok: true; readonly value: T };
export type Failure<C extends string = string> = {
  readonly ok: false;
  readonly code: C;
  readonly reason: string;
};
export type Result<T, C extends string = string> = Ok<T> | Failure<C>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const fail = <C extends string>(code: C, reason: string): Failure<C> => ({ ok: false, code, reason });

/** Exhaustiveness guard for `switch` statements over closed unions. */
export const assertNever = (value: never): never => {
  throw new Error(`unreachable: ${JSON.stringify(value)}`);
};

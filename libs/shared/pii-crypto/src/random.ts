import { randomBytes } from 'node:crypto';

/**
 * Source of cryptographic randomness. Injected so tests can be deterministic; production code always
 * uses the default (the OS CSPRNG). Never pass a non-cryptographic source outside tests.
 */
export type RandomBytes = (size: number) => Buffer;

export const secureRandomBytes: RandomBytes = (size) => randomBytes(size);

import { randomInt, randomUUID } from 'node:crypto';

/** A fresh person for one scenario: an externalId, an email and a (fictional, valid) US mobile number. */
export interface Person {
  readonly externalId: string;
  readonly email: string;
  readonly phone: string;
}

export function newPerson(label: string): Person {
  const externalId = randomUUID();
  return {
    externalId,
    email: `${label}.${externalId.slice(0, 8)}@example.com`,
    // 415-555-01xx is reserved for fiction; the rest of the range keeps numbers distinct per person.
    phone: `+1415${String(randomInt(2_000_000, 9_999_999))}`,
  };
}

export const at = (iso: string): string => new Date(iso).toISOString();
export const newId = (): string => randomUUID();

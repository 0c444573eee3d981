import type { ContactInbound, DeadLetter } from '@optstream/contracts';
import {
  DataKeyDestroyedError,
  deadLetterKeyOwner,
  loadBatchView,
  type DataKeyStore,
  type Queryable,
} from '@optstream/identity-data-access';
import { ownerOf, survivorOf } from '@optstream/identity-domain';
import { deadLetterAssociatedData, type AvroCodec } from '@optstream/kafka';
import { seal } from '@optstream/pii-crypto';
import { factIdentifiers, viewQueryOf } from './fact-identifiers';

export interface DeadLetterSealing {
  readonly db: Queryable;
  readonly keys: DataKeyStore;
  readonly codec: AvroCodec;
  readonly hashKey: Buffer;
}

/** Why the bytes of a fact about an erased contact are not kept. */
export const ERASED_CONTACT_REDACTION =
  'original value dropped: it names an erased contact, and nothing new about an erased person is kept';

/**
 * An inbound fact carries plaintext addresses and traits, so its dead letter never holds them in the
 * clear (docs/privacy.md):
 * - a fact about an erased contact (`DATA_KEY_DESTROYED`, or one whose key is found destroyed) keeps
 *   no bytes at all: replaying it could only dead-letter it again;
 * - a fact naming a live contact is sealed with that contact's data key, which its erasure destroys;
 * - any other (an unknown person, undecodable bytes) is sealed with a key of its own, registered under
 *   the fact's strongest identifier, which an erasure of the contact that identifier later belongs to
 *   destroys too (`eraseContact`).
 * `optstream dlq replay` opens them again with the master keys.
 */
export function sealInboundDeadLetter(deps: DeadLetterSealing): (letter: DeadLetter) => Promise<DeadLetter> {
  return async (letter) => {
    const value = letter.originalValue;
    if (value === null) return letter;
    if (letter.errorCode === 'DATA_KEY_DESTROYED') return erased(letter);
    const fact = await decoded(deps.codec, value);
    const owner = (fact && (await liveContactOf(deps, fact))) ?? ownDeadLetterKey(deps.hashKey, letter, fact);
    try {
      const key = await deps.keys.keyFor(owner);
      return {
        ...letter,
        originalValue: seal(key.key, value, deadLetterAssociatedData(letter)),
        sealedWithKeyId: key.keyId,
      };
    } catch (error) {
      if (error instanceof DataKeyDestroyedError) return erased(letter);
      throw error;
    }
  };
}

const erased = (letter: DeadLetter): DeadLetter => ({
  ...letter,
  originalValue: null,
  redacted: ERASED_CONTACT_REDACTION,
});

async function decoded(codec: AvroCodec, value: Buffer): Promise<ContactInbound | null> {
  try {
    return await codec.decode<ContactInbound>(value);
  } catch {
    return null;
  }
}

/** The live contact the fact names (externalId, else email owner, else phone owner), or null. */
async function liveContactOf(deps: DeadLetterSealing, fact: ContactInbound): Promise<string | null> {
  const ids = factIdentifiers(deps.hashKey, fact);
  const { externalId, refs } = ids;
  const { view } = await loadBatchView(deps.db, viewQueryOf([ids]));
  const contact =
    (externalId !== null ? survivorOf(view, externalId) : null) ??
    refs.map((ref) => ownerOf(view, ref)).find((c) => c !== null) ??
    null;
  return contact?.externalId ?? null;
}

/** A key for this dead letter alone, under the fact's strongest identifier (or its message key). */
function ownDeadLetterKey(hashKey: Buffer, letter: DeadLetter, fact: ContactInbound | null): string {
  const ids = fact && factIdentifiers(hashKey, fact);
  const identifier =
    (ids && (ids.externalId ?? ids.emailHash ?? ids.phoneHash)) ??
    letter.originalKey?.toString('utf8') ??
    'none';
  return deadLetterKeyOwner(
    identifier,
    `${letter.originalTopic}/${letter.originalPartition}/${letter.originalOffset}`,
  );
}

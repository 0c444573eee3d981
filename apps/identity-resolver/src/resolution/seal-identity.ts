import type { IdentityEvent } from '@optstream/contracts';
import type { DataKey } from '@optstream/identity-data-access';
import type { IdentityDecision } from '@optstream/identity-domain';
import { identifierAssociatedData, seal } from '@optstream/pii-crypto';

/**
 * Turns a decided identity event into the identity.v1 event: the plaintext identifier is sealed under
 * the data key of the contact the event is about (`dataKeys`, fetched for the whole batch at once),
 * with (externalId, kind) as associated data, so the sealed value cannot be passed off as another
 * contact's or another kind. The plaintext goes no further.
 */
export const sealIdentity = (
  dataKeys: ReadonlyMap<string, DataKey>,
  decision: IdentityDecision,
): IdentityEvent => {
  const { identifier, ...rest } = decision;
  if (identifier === null) return { ...rest, identifier: null };
  const dataKey = dataKeys.get(decision.externalId);
  if (dataKey === undefined) throw new Error(`no data key fetched for ${decision.externalId}`);
  return {
    ...rest,
    identifier: {
      kind: identifier.kind,
      keyedHash: identifier.keyedHash,
      sealedValue: seal(
        dataKey.key,
        identifier.plaintext,
        identifierAssociatedData(decision.externalId, identifier.kind),
      ),
      dataKeyId: dataKey.keyId,
    },
  };
};

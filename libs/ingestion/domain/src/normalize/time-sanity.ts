import type { ContactInbound, SourceTrust } from '../inbound-fact';

/**
 * Time sanity (docs/consent-model.md): a source's clock may be wrong, and latest-wins would let a change
 * dated in the future win forever. An occurredAt more than `maxFutureSkewMs` after the gateway received
 * the fact is clamped to the receive time; the value the source sent is kept in `originalOccurredAt`
 * and shown by the history. The gateway also stamps how far it trusts the credential that sent it.
 */
export const withTimeSanity = (
  fact: ContactInbound,
  maxFutureSkewMs: number,
  sourceTrust: SourceTrust = 'server',
): ContactInbound => {
  const clamped = fact.occurredAt > fact.receivedAt + maxFutureSkewMs;
  return {
    ...fact,
    sourceTrust,
    ...(clamped ? { occurredAt: fact.receivedAt, originalOccurredAt: fact.occurredAt } : {}),
  };
};

import { randomBytes } from 'node:crypto';
import {
  confirmationMailFingerprint,
  confirmationMailRequest,
  dueConfirmation,
  type ConfirmationMailSettings,
  type ContactConsent,
  type DeliveryResult,
  type ProviderAdapter,
} from '@optstream/connectors-domain';
import { linkUrl, mintLinkToken, type KeyRing } from '@optstream/shared-link-tokens';
import { reliableClient, staticAuth } from '../adapter';
import { DEFAULT_BASE_URLS, type ReliabilitySettings } from '../config';
import { resolveDeps, type ProviderDeps } from '../deps';

export interface ConfirmationMailConfig extends ReliabilitySettings, ConfirmationMailSettings {
  /** SendGrid's API key and base URL: the same account the SendGrid adapter writes suppressions to. */
  readonly apiKey: string;
  readonly baseUrl?: string;
  /** The signed-link settings the gateway verifies the confirmation link with. */
  readonly links: { readonly ring: KeyRing; readonly audience: string; readonly baseUrl: string };
}

/**
 * The double opt-in confirmation mail (docs/preference-center.md): for every contact whose email became
 * `pending`, a `confirm` link — valid until the request lapses — minted and sent to the address unsealed
 * with the contact's key, through SendGrid's Mail Send. A delivery target like a platform, so it gets
 * the same delivery log (one mail per pending request), retries, parking and dead letters.
 */
export function createConfirmationMailAdapter(
  config: ConfirmationMailConfig,
  providerDeps?: ProviderDeps,
): ProviderAdapter {
  const deps = resolveDeps(providerDeps);
  const client = reliableClient(
    'sendgrid',
    config.baseUrl ?? DEFAULT_BASE_URLS.sendgrid,
    staticAuth({ authorization: `Bearer ${config.apiKey}` }),
    config,
    deps,
  );
  const send = async (consent: ContactConsent): Promise<DeliveryResult> => {
    const result = (outcome: DeliveryResult['outcome']): DeliveryResult => ({
      externalId: consent.externalId,
      version: consent.version,
      outcome,
    });
    const nowMs = deps.now();
    const due = dueConfirmation(consent, nowMs);
    if ('skip' in due) return result({ kind: 'not-applicable', reason: due.skip });
    const { token } = mintLinkToken(
      { externalId: consent.externalId, purpose: 'confirm', channel: 'email' },
      {
        ring: config.links.ring,
        audience: config.links.audience,
        nowMs,
        ttlSeconds: Math.max(1, Math.floor((due.expiresAt - nowMs) / 1000)),
        randomId: () => randomBytes(16),
      },
    );
    const request = confirmationMailRequest(
      consent.email ?? '',
      linkUrl(config.links.baseUrl, 'confirm', token),
      due.expiresAt,
      config,
      consent.externalId,
    );
    const call = await client.call(request, { idempotencyFor: [consent] });
    return result(call.outcome);
  };
  return {
    provider: 'confirmation-mail',
    needs: ['email'],
    // One message per person: each carries its own link.
    maxBatch: 10,
    fingerprint: confirmationMailFingerprint,
    deliver: (batch) => Promise.all(batch.map(send)),
    // Nothing is kept at SendGrid by a confirmation; a mail already sent cannot be recalled.
    erase: () =>
      Promise.resolve({
        kind: 'not-supported',
        reason: 'a sent confirmation mail cannot be recalled; the mail send keeps nothing to delete',
      }),
  };
}

import type { KeyRing } from './key-ring';
import { LinkChannel, LinkClaims, LinkPurpose, signLinkToken } from './link-token';

export interface MintRequest {
  readonly externalId: string;
  readonly purpose: LinkPurpose;
  readonly channel?: LinkChannel;
  readonly topic?: string;
}

export interface MintContext {
  readonly ring: KeyRing;
  readonly audience: string;
  readonly nowMs: number;
  readonly ttlSeconds: number;
  /** Fresh random bytes per token, from the caller (domain code takes randomness as input). */
  readonly randomId: () => Buffer;
}

/** The paths the gateway serves each purpose under (docs/preference-center.md). */
export const LINK_PATHS: Readonly<Record<LinkPurpose, string>> = {
  unsubscribe: '/u/',
  preferences: '/p/',
  confirm: '/c/',
};

export function mintLinkToken(
  request: MintRequest,
  context: MintContext,
): { token: string; claims: LinkClaims } {
  const issuedAt = Math.floor(context.nowMs / 1000);
  const claims: LinkClaims = {
    tokenId: context.randomId().toString('base64url'),
    externalId: request.externalId,
    purpose: request.purpose,
    audience: context.audience,
    ...(request.channel ? { channel: request.channel } : {}),
    ...(request.topic ? { topic: request.topic } : {}),
    issuedAt,
    expiresAt: issuedAt + context.ttlSeconds,
  };
  return { token: signLinkToken(claims, context.ring), claims };
}

/** `<base URL>/<u|p|c>/<token>`; the base URL is where the gateway's pages are reachable publicly. */
export function linkUrl(baseUrl: string, purpose: LinkPurpose, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${LINK_PATHS[purpose]}${token}`;
}

/** What a sender puts into one message for one contact. */
export interface ContactLinks {
  readonly externalId: string;
  readonly unsubscribeUrl: string;
  readonly preferencesUrl: string;
  /** The two headers of RFC 8058 one-click unsubscribe, ready to copy into a send. */
  readonly headers: { readonly 'List-Unsubscribe': string; readonly 'List-Unsubscribe-Post': string };
  readonly tokenIds: { readonly unsubscribe: string; readonly preferences: string };
  readonly expiresAt: string;
}

/** Both links for a contact: one-click unsubscribe from a channel (optionally one topic), and the center. */
export function mintContactLinks(
  request: { readonly externalId: string; readonly channel: LinkChannel; readonly topic?: string },
  context: MintContext & { readonly baseUrl: string },
): ContactLinks {
  const unsubscribe = mintLinkToken({ ...request, purpose: 'unsubscribe' }, context);
  const preferences = mintLinkToken({ externalId: request.externalId, purpose: 'preferences' }, context);
  const unsubscribeUrl = linkUrl(context.baseUrl, 'unsubscribe', unsubscribe.token);
  return {
    externalId: request.externalId,
    unsubscribeUrl,
    preferencesUrl: linkUrl(context.baseUrl, 'preferences', preferences.token),
    headers: {
      'List-Unsubscribe': `<${unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
    tokenIds: { unsubscribe: unsubscribe.claims.tokenId, preferences: preferences.claims.tokenId },
    expiresAt: new Date(unsubscribe.claims.expiresAt * 1000).toISOString(),
  };
}

/**
 * The mint context from the link settings (docs/preference-center.md), for every place that mints: the
 * clock and the randomness still come from the caller, so this stays pure.
 */
export function linkMintContext(
  settings: { readonly LINK_AUDIENCE: string; readonly LINK_TTL_DAYS: number },
  ring: KeyRing,
  baseUrl: string,
  source: { readonly nowMs: number; readonly randomId: () => Buffer },
): MintContext & { readonly baseUrl: string } {
  return {
    ring,
    audience: settings.LINK_AUDIENCE,
    baseUrl,
    nowMs: source.nowMs,
    ttlSeconds: settings.LINK_TTL_DAYS * 86_400,
    randomId: source.randomId,
  };
}

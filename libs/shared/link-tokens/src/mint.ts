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
  /** Random, from the caller (domain code takes randomness as input): e.g. randomBytes(16). */
  readonly tokenIdBytes: Buffer;
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
    tokenId: context.tokenIdBytes.toString('base64url'),
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

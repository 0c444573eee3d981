import { createHmac, timingSafeEqual } from 'node:crypto';
import type { KeyRing } from './key-ring';

/**
 * What a link lets its holder do:
 * - `unsubscribe`: opt out of one channel (optionally one topic), one click, no login (RFC 8058);
 * - `preferences`: open the person's preference center;
 * - `confirm`: confirm a double opt-in for one channel.
 */
export type LinkPurpose = 'unsubscribe' | 'preferences' | 'confirm';
export const LINK_PURPOSES: readonly LinkPurpose[] = ['unsubscribe', 'preferences', 'confirm'];

export type LinkChannel = 'email' | 'sms' | 'push';
export const LINK_CHANNELS: readonly LinkChannel[] = ['email', 'sms', 'push'];

/**
 * The claims of a link. The contact is named by its externalId only — never an email or phone — so a
 * forwarded or logged URL reveals nothing about the person; erasure makes the id point at nobody.
 */
export interface LinkClaims {
  /** Token id: random, unique per minted link; recorded as the evidence of each change it makes. */
  readonly tokenId: string;
  readonly externalId: string;
  readonly purpose: LinkPurpose;
  /** Which deployment/brand the link is for (the verifier's own audience must match). */
  readonly audience: string;
  /** For `unsubscribe` and `confirm`; absent for `preferences`. */
  readonly channel?: LinkChannel;
  /** For `unsubscribe` scoped to one topic. */
  readonly topic?: string;
  /** Seconds since the epoch. */
  readonly issuedAt: number;
  readonly expiresAt: number;
}

export type LinkRefusal =
  | 'MALFORMED'
  | 'UNKNOWN_KEY'
  | 'BAD_SIGNATURE'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'WRONG_AUDIENCE'
  | 'WRONG_PURPOSE';

export type LinkVerification =
  | { readonly ok: true; readonly claims: LinkClaims; readonly keyId: string }
  | { readonly ok: false; readonly code: LinkRefusal; readonly reason: string };

const VERSION = 'v1';
/** Tolerated clock difference between the minting and the verifying host. */
const CLOCK_SKEW_SECONDS = 60;
const MAX_TOKEN_LENGTH = 2048;
const OPAQUE = /^[A-Za-z0-9_-]+$/;

/** Compact wire names keep links short; they are documented in docs/preference-center.md. */
interface WireClaims {
  jti: string;
  sub: string;
  pur: LinkPurpose;
  aud: string;
  ch?: LinkChannel;
  tp?: string;
  iat: number;
  exp: number;
}

/** `v1.<key id>.<claims, base64url JSON>.<HMAC-SHA256 of the first three parts, base64url>` */
export function signLinkToken(claims: LinkClaims, ring: KeyRing): string {
  const wire: WireClaims = {
    jti: claims.tokenId,
    sub: claims.externalId,
    pur: claims.purpose,
    aud: claims.audience,
    ...(claims.channel ? { ch: claims.channel } : {}),
    ...(claims.topic ? { tp: claims.topic } : {}),
    iat: claims.issuedAt,
    exp: claims.expiresAt,
  };
  const signed = `${VERSION}.${ring.signing.id}.${Buffer.from(JSON.stringify(wire)).toString('base64url')}`;
  return `${signed}.${mac(ring.signing.secret, signed).toString('base64url')}`;
}

export interface VerifyOptions {
  readonly ring: KeyRing;
  readonly audience: string;
  /** The purposes this URL accepts (an unsubscribe URL refuses a preference-center token). */
  readonly purposes: readonly LinkPurpose[];
  readonly nowMs: number;
}

/** Checks, in order: shape, key, signature (constant time), then the claims. Never throws. */
export function verifyLinkToken(token: string, options: VerifyOptions): LinkVerification {
  if (token.length > MAX_TOKEN_LENGTH)
    return refuse('MALFORMED', `the token is longer than ${MAX_TOKEN_LENGTH} characters`);
  const parts = token.split('.');
  const [version, keyId, payload, signature] = parts;
  if (
    parts.length !== 4 ||
    version !== VERSION ||
    !keyId ||
    !payload ||
    !signature ||
    !parts.every((p) => OPAQUE.test(p))
  )
    return refuse('MALFORMED', 'the token is not of the form v1.<key id>.<claims>.<signature>');
  const secret = options.ring.verifying.get(keyId);
  if (!secret)
    return refuse(
      'UNKNOWN_KEY',
      'the token was signed with a key this server does not have (retired or foreign)',
    );
  // Compared as canonical text, so no two spellings of one signature are both accepted.
  const expected = Buffer.from(mac(secret, `${version}.${keyId}.${payload}`).toString('base64url'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return refuse('BAD_SIGNATURE', 'the token signature does not match: it was altered or forged');
  const claims = parseClaims(payload);
  if (!claims) return refuse('MALFORMED', 'the signed claims are not valid');
  return checkClaims(claims, keyId, options);
}

function checkClaims(claims: LinkClaims, keyId: string, options: VerifyOptions): LinkVerification {
  const now = Math.floor(options.nowMs / 1000);
  if (claims.audience !== options.audience)
    return refuse('WRONG_AUDIENCE', `the token is for another audience than "${options.audience}"`);
  if (!options.purposes.includes(claims.purpose))
    return refuse(
      'WRONG_PURPOSE',
      `a ${claims.purpose} token cannot be used here (expected ${options.purposes.join(' or ')})`,
    );
  if (now >= claims.expiresAt + CLOCK_SKEW_SECONDS)
    return refuse('EXPIRED', `the link expired at ${new Date(claims.expiresAt * 1000).toISOString()}`);
  if (claims.issuedAt > now + CLOCK_SKEW_SECONDS)
    return refuse('NOT_YET_VALID', 'the token was issued in the future');
  return { ok: true, claims, keyId };
}

function parseClaims(payload: string): LinkClaims | undefined {
  let wire: unknown;
  try {
    wire = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isWireClaims(wire)) return undefined;
  return {
    tokenId: wire.jti,
    externalId: wire.sub,
    purpose: wire.pur,
    audience: wire.aud,
    ...(wire.ch ? { channel: wire.ch } : {}),
    ...(wire.tp ? { topic: wire.tp } : {}),
    issuedAt: wire.iat,
    expiresAt: wire.exp,
  };
}

function isWireClaims(value: unknown): value is WireClaims {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    nonEmpty(v['jti']) &&
    nonEmpty(v['sub']) &&
    nonEmpty(v['aud']) &&
    LINK_PURPOSES.includes(v['pur'] as LinkPurpose) &&
    // An unsubscribe or a confirmation is always about one channel.
    (v['ch'] === undefined ? v['pur'] === 'preferences' : LINK_CHANNELS.includes(v['ch'] as LinkChannel)) &&
    (v['tp'] === undefined || nonEmpty(v['tp'])) &&
    Number.isSafeInteger(v['iat']) &&
    Number.isSafeInteger(v['exp'])
  );
}

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const mac = (secret: Buffer, signed: string): Buffer => createHmac('sha256', secret).update(signed).digest();
const refuse = (code: LinkRefusal, reason: string): LinkVerification => ({ ok: false, code, reason });

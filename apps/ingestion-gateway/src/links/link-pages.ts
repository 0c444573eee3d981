import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { TopicIndex } from '@optstream/consent-topics';
import { brandProblems, type Brand } from '@optstream/ingestion-preference-pages';
import { keyRingFromSettings, type KeyRing } from '@optstream/shared-link-tokens';
import type { GatewayConfig } from '../config/gateway-config';
import { ReadApiClient } from './read-api-client';

/** Everything the link pages need, built once; `undefined` when links are not configured on this gateway. */
export interface LinkPages {
  readonly ring: KeyRing;
  readonly audience: string;
  readonly brand: Brand;
  readonly topics: TopicIndex;
  readonly readApi: ReadApiClient | undefined;
  /** Origin the forms are served from: a cross-origin POST to them is refused (CSRF). */
  readonly origin: string | undefined;
  readonly csrfKey: Buffer;
  readonly pendingMs: number;
}

/** Page version recorded as evidence (`collectionPoint`): raise it when what the pages ask changes. */
export const PAGE_VERSION = 1;

const LOGO_TYPES: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
};

/** Refuses to start with a brand that fails WCAG AA contrast or a logo the CSP would block. */
export function linkPagesFromConfig(
  config: GatewayConfig,
  hashKey: Buffer,
  topics: TopicIndex,
): LinkPages | undefined {
  if (!config.LINK_TOKEN_KEYS) return undefined;
  const ring = keyRingFromSettings(config);
  if (!ring.ok) throw new Error(`ingestion-gateway: ${ring.reason}`);
  const brand: Brand = {
    name: config.BRAND_NAME,
    logoDataUri: config.BRAND_LOGO_FILE ? logoDataUri(config.BRAND_LOGO_FILE) : null,
    accentColor: config.BRAND_ACCENT_COLOR,
    textColor: config.BRAND_TEXT_COLOR,
    backgroundColor: config.BRAND_BACKGROUND_COLOR,
  };
  const problems = brandProblems(brand);
  if (problems.length > 0)
    throw new Error(`ingestion-gateway: the brand cannot be used:\n  - ${problems.join('\n  - ')}`);
  const readApi =
    config.PREFERENCE_CENTER_READ_API_URL && config.PREFERENCE_CENTER_READ_API_KEY
      ? new ReadApiClient(
          config.PREFERENCE_CENTER_READ_API_URL,
          config.PREFERENCE_CENTER_READ_API_KEY,
          config.PREFERENCE_CENTER_READ_TIMEOUT_MS,
        )
      : undefined;
  return {
    ring: ring.ring,
    audience: config.LINK_AUDIENCE,
    brand,
    topics,
    readApi,
    origin: config.LINK_BASE_URL ? new URL(config.LINK_BASE_URL).origin : undefined,
    // Domain-separated from the identifier hashes that use the same key.
    csrfKey: createHmac('sha256', hashKey).update('optstream preference-center csrf').digest(),
    pendingMs: config.DOUBLE_OPT_IN_HOURS * 3_600_000,
  };
}

function logoDataUri(file: string): string {
  const type = LOGO_TYPES[extname(file).toLowerCase()];
  if (!type) throw new Error(`ingestion-gateway: BRAND_LOGO_FILE must be a .png, .svg, .jpg or .webp file`);
  return `data:${type};base64,${readFileSync(file).toString('base64')}`;
}

/**
 * The form's anti-forgery value: bound to the link's token id, so a form from one person's page cannot be
 * replayed against another's, and unknowable without the gateway's key.
 */
export function csrfFor(pages: LinkPages, tokenId: string): string {
  return createHmac('sha256', pages.csrfKey).update(tokenId).digest('base64url');
}

export function csrfMatches(pages: LinkPages, tokenId: string, given: string | undefined): boolean {
  const expected = Buffer.from(csrfFor(pages, tokenId));
  const actual = Buffer.from(given ?? '');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A fresh id per rendered form: resubmitting the same form dedupes, a new visit is a new submission. */
export const newSubmissionId = (): string => randomBytes(12).toString('base64url');
export const SUBMISSION_ID = /^[A-Za-z0-9_-]{16}$/;

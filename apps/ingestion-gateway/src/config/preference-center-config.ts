import { env, linkSettings } from '@optstream/config';
import { z } from 'zod';

/**
 * The signed-link pages the gateway serves (docs/preference-center.md): they need the link keys, the read
 * API (to show current consent and to refuse an erased contact), and the brand.
 */
export const preferenceCenterSettings = {
  ...linkSettings,
  /** The read API, e.g. http://preference-projector:8090; its key needs the `read` scope. */
  PREFERENCE_CENTER_READ_API_URL: env.url().optional(),
  PREFERENCE_CENTER_READ_API_KEY: z.string().min(16).optional(),
  /** How long the read API may take before a page says "try again" (a one-click unsubscribe still goes through). */
  PREFERENCE_CENTER_READ_TIMEOUT_MS: env.positiveInt(2_000),
  /** An unconfirmed email re-subscription lapses after this many hours. */
  DOUBLE_OPT_IN_HOURS: env.positiveInt(72),
  BRAND_NAME: z.string().min(1).max(80).default('optstream'),
  /** A PNG, SVG, JPEG or WebP file, inlined as a data: URI (the pages load nothing from elsewhere). */
  BRAND_LOGO_FILE: z.string().min(1).optional(),
  BRAND_ACCENT_COLOR: z.string().default('#1d4ed8'),
  BRAND_TEXT_COLOR: z.string().default('#111827'),
  BRAND_BACKGROUND_COLOR: z.string().default('#ffffff'),
};

export const PREFERENCE_CENTER_SECRET_NAMES = ['LINK_TOKEN_KEYS', 'PREFERENCE_CENTER_READ_API_KEY'] as const;

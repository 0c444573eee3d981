import { z } from 'zod';
import { env } from './fields';

/**
 * Settings of the signed links (docs/preference-center.md), shared by whoever mints them (read API, CLI)
 * and whoever verifies them (the gateway's pages). Links are off while LINK_TOKEN_KEYS is unset.
 */
export const linkSettings = {
  /** `id=base64,id2=base64`: every key a live link may be signed with (rotation keeps the old one). */
  LINK_TOKEN_KEYS: env.keyRing().optional(),
  /** The key that signs new links. */
  LINK_TOKEN_ACTIVE_KEY_ID: z.string().min(1).optional(),
  /** Names this deployment (or brand) in every token; a token for another audience is refused. */
  LINK_AUDIENCE: z.string().min(1).default('optstream'),
  /** Where people reach the gateway's pages, e.g. https://preferences.example.com. */
  LINK_BASE_URL: env.url().optional(),
  /** How long a minted link works. CAN-SPAM wants an unsubscribe link to work 30 days after the send. */
  LINK_TTL_DAYS: env.positiveInt(90),
};

export const LINK_SECRET_NAMES = ['LINK_TOKEN_KEYS'] as const;

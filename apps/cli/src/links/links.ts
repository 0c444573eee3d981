import { randomBytes } from 'node:crypto';
import { linkSettings, LINK_SECRET_NAMES, loadConfig, withSecretFiles } from '@optstream/config';
import {
  keyRingFromSettings,
  LINK_CHANNELS,
  linkMintContext,
  linkUrl,
  mintContactLinks,
  mintLinkToken,
  type LinkChannel,
} from '@optstream/shared-link-tokens';
import { z } from 'zod';
import { UsageError } from '../usage-error';

export const LINKS_USAGE = `usage: optstream links --contact <externalId> [--channel email|sms|push] [--topic <id>] [--confirm]

Mints the signed links for one contact and prints them as JSON: the one-click unsubscribe URL (for the
channel, email by default, optionally one topic), the preference-center URL, and the List-Unsubscribe and
List-Unsubscribe-Post headers to put into a send (RFC 8058). --confirm adds a double opt-in confirmation
URL. Tokens carry the externalId only, never an address; they are checked when used, not here.
Needs LINK_TOKEN_KEYS, LINK_TOKEN_ACTIVE_KEY_ID, LINK_AUDIENCE, LINK_BASE_URL (and LINK_TTL_DAYS) as
the gateway has them — see docs/preference-center.md.`;

export interface LinksOptions {
  readonly externalId: string;
  readonly channel: LinkChannel;
  readonly topic: string | undefined;
  readonly confirm: boolean;
}

export function parseLinksArgs(argv: readonly string[]): LinksOptions {
  const at = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const externalId = at('--contact');
  if (!externalId) throw new UsageError('--contact <externalId> is required');
  const channel = at('--channel') ?? 'email';
  if (!LINK_CHANNELS.includes(channel as LinkChannel))
    throw new UsageError(`--channel must be one of ${LINK_CHANNELS.join(', ')}`);
  return {
    externalId,
    channel: channel as LinkChannel,
    topic: at('--topic'),
    confirm: argv.includes('--confirm'),
  };
}

const linksConfigSchema = z.object({ ...linkSettings, LINK_BASE_URL: linkSettings.LINK_BASE_URL.unwrap() });

export function runLinks(
  options: LinksOptions,
  source: NodeJS.ProcessEnv,
  stdout: NodeJS.WritableStream,
): void {
  const config = loadConfig('optstream links', linksConfigSchema, withSecretFiles(source, LINK_SECRET_NAMES));
  const ring = keyRingFromSettings(config);
  if (!ring.ok) throw new UsageError(ring.reason);
  const context = linkMintContext(config, ring.ring, config.LINK_BASE_URL, {
    nowMs: Date.now(),
    randomId: () => randomBytes(16),
  });
  const request = {
    externalId: options.externalId,
    channel: options.channel,
    ...(options.topic ? { topic: options.topic } : {}),
  };
  const links = mintContactLinks(request, context);
  const confirm = options.confirm
    ? {
        confirmUrl: linkUrl(
          config.LINK_BASE_URL,
          'confirm',
          mintLinkToken({ ...request, purpose: 'confirm' }, context).token,
        ),
      }
    : {};
  stdout.write(`${JSON.stringify({ ...links, ...confirm }, null, 2)}\n`);
}

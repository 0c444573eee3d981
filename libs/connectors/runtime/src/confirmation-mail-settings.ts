import { ConfigError, linkSettings, LINK_SECRET_NAMES, withSecretFiles } from '@optstream/config';
import type { ConfirmationMailConfig, SendgridSettings } from '@optstream/connectors-providers';
import { keyRingFromSettings } from '@optstream/shared-link-tokens';
import { z } from 'zod';

const schema = z.object({
  ...linkSettings,
  /** A sender verified in the SendGrid account; setting it turns the confirmation mail on. */
  DOUBLE_OPT_IN_MAIL_FROM: z.string().email(),
  DOUBLE_OPT_IN_MAIL_FROM_NAME: z.string().min(1).optional(),
  BRAND_NAME: z.string().min(1).default('optstream'),
});

/**
 * The email connector's double opt-in confirmation mail (docs/preference-center.md): on when
 * `DOUBLE_OPT_IN_MAIL_FROM` is set, and then it needs SendGrid and the signed-link settings (the same
 * key ring and base URL as the gateway that verifies the link); a half configuration stops the start.
 */
export function confirmationMailFromEnv(
  service: string,
  sendgrid: SendgridSettings | undefined,
  rawSource: NodeJS.ProcessEnv,
): ConfirmationMailConfig | undefined {
  if (!rawSource['DOUBLE_OPT_IN_MAIL_FROM']) return undefined;
  const parsed = schema.safeParse(withSecretFiles(rawSource, LINK_SECRET_NAMES));
  if (!parsed.success)
    throw new ConfigError(
      service,
      parsed.error.issues.map((i) => `${i.path.join('.')} (double opt-in mail): ${i.message}`),
    );
  const s = parsed.data;
  const ring = keyRingFromSettings(s);
  const problems = [
    ...(sendgrid ? [] : ['CONNECTOR_PROVIDERS: the double opt-in mail is sent through sendgrid; enable it']),
    ...(ring.ok ? [] : [`LINK_TOKEN_KEYS (double opt-in mail): ${ring.reason}`]),
    ...(s.LINK_BASE_URL ? [] : ['LINK_BASE_URL (double opt-in mail): where the gateway serves /c/<token>']),
  ];
  if (!sendgrid || !ring.ok || !s.LINK_BASE_URL) throw new ConfigError(service, problems);
  return {
    apiKey: sendgrid.apiKey,
    ...(sendgrid.baseUrl ? { baseUrl: sendgrid.baseUrl } : {}),
    ...(sendgrid.rateLimit ? { rateLimit: sendgrid.rateLimit } : {}),
    ...(sendgrid.timeoutMs ? { timeoutMs: sendgrid.timeoutMs } : {}),
    fromEmail: s.DOUBLE_OPT_IN_MAIL_FROM,
    ...(s.DOUBLE_OPT_IN_MAIL_FROM_NAME ? { fromName: s.DOUBLE_OPT_IN_MAIL_FROM_NAME } : {}),
    brandName: s.BRAND_NAME,
    links: { ring: ring.ring, audience: s.LINK_AUDIENCE, baseUrl: s.LINK_BASE_URL },
  };
}

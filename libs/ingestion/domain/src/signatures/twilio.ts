import { createHmac } from 'node:crypto';
import type { FormFields } from '../form';
import { constantTimeEqual, rejected, VERIFIED, type Verification } from './verification';

export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';

export type TwilioSignatureInput = {
  /** Primary Auth Token of the account (configuration). */
  readonly authToken: string;
  /**
   * The webhook URL exactly as configured in Twilio, query included. Behind a proxy the URL the
   * gateway sees differs, so this comes from configuration, never from the request.
   */
  readonly publicUrl: string;
  /** Every received POST parameter: Twilio adds parameters without notice and signs them all. */
  readonly params: FormFields;
  readonly signature: string | undefined;
};

/** `X-Twilio-Signature`: base64 HMAC-SHA1 (Auth Token) of URL + each sorted param as name+value. */
export const verifyTwilioSignature = (input: TwilioSignatureInput): Verification => {
  if (input.signature === undefined || input.signature.trim() === '') {
    return rejected('MISSING_SIGNATURE', `the ${TWILIO_SIGNATURE_HEADER} header is missing`);
  }
  const received = Buffer.from(input.signature.trim(), 'utf8');
  // Like Twilio's SDK, accept the URL with and without an explicit default port: Twilio signs the
  // URL as typed in its console, and operators write it both ways.
  const matches = urlVariants(input.publicUrl).some((url) =>
    constantTimeEqual(Buffer.from(twilioSignature(input.authToken, url, input.params), 'utf8'), received),
  );
  return matches
    ? VERIFIED
    : rejected(
        'SIGNATURE_MISMATCH',
        'the Twilio signature does not match the configured URL and the parameters',
      );
};

/** The signature Twilio computes; exported for simulators and tests. */
export const twilioSignature = (authToken: string, url: string, params: FormFields): string => {
  const data = Object.keys(params)
    .sort()
    .reduce(
      (acc, name) =>
        acc +
        paramValues(params[name])
          .map((value) => name + value)
          .join(''),
      url,
    );
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
};

// Array values are de-duplicated and sorted, each appended as name+value (twilio-node webhooks.ts).
const paramValues = (value: string | readonly string[] | undefined): string[] => {
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  return [...new Set(value)].sort();
};

const DEFAULT_PORTS: { readonly [protocol: string]: string } = { 'https:': '443', 'http:': '80' };

const urlVariants = (url: string): string[] => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [url];
  }
  const defaultPort = DEFAULT_PORTS[parsed.protocol];
  if (defaultPort === undefined || (parsed.port !== '' && parsed.port !== defaultPort)) return [url];
  parsed.port = ''; // the URL API normalises a default port away, so `parsed` is now the portless form
  const portless = parsed.toString();
  const authority = `${parsed.protocol}//${parsed.host}`;
  const ported = portless.startsWith(authority)
    ? `${authority}:${defaultPort}${portless.slice(authority.length)}`
    : portless;
  return [...new Set([url, portless, ported])];
};

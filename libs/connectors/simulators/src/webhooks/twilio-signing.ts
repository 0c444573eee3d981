import { createHmac } from 'node:crypto';

export const TWILIO_SIGNATURE_HEADER = 'X-Twilio-Signature';

export type TwilioParams = Readonly<Record<string, string | readonly string[]>>;

/**
 * `X-Twilio-Signature` (docs/providers.md, "Twilio inbound SMS"): base64 HMAC-SHA1, keyed with the Auth Token, of the full URL
 * as configured followed by each POST parameter, names sorted, as name+value; an array's values are
 * de-duplicated and sorted, each appended as name+value.
 */
export function signTwilioRequest(authToken: string, url: string, params: TwilioParams): string {
  const data = Object.keys(params)
    .sort()
    .reduce(
      (acc, name) =>
        acc +
        values(params[name])
          .map((value) => name + value)
          .join(''),
      url,
    );
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

const values = (value: string | readonly string[] | undefined): string[] => {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...new Set(value)].sort();
};

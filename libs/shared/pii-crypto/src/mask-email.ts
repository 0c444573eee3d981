const STARS = '***';

/**
 * `john.doe@example.com` → `j***@e***.com`. Keeps just enough to tell two log lines apart while
 * debugging: the first character of the local part and of the domain, and the top-level domain.
 * A one-character local part is hidden entirely, since its first character would be all of it.
 * Input that is not an address (no '@') is masked wholesale rather than passed through.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 0) return STARS;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  const maskedLocal = local.length > 1 ? `${firstChar(local)}${STARS}` : STARS;
  const dot = domain.lastIndexOf('.');
  const maskedDomain = dot > 0 ? `${firstChar(domain)}${STARS}${domain.slice(dot)}` : STARS;
  return `${maskedLocal}@${maskedDomain}`;
}

/** First code point, so a multi-byte character is never split into a broken surrogate. */
function firstChar(value: string): string {
  return String.fromCodePoint(value.codePointAt(0) as number);
}

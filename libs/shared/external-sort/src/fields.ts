/**
 * Tab-separated records that group by their fields when sorted as plain strings: a field never contains a
 * tab or newline (escaped here), so all lines sharing a first field sort next to each other, and within
 * them lines sharing the second, and so on. Between different fields the order is the string order of
 * the escaped text, which is the field's own order except around control characters and escapes (a
 * total, deterministic order either way). Numbers that must sort numerically are written at a fixed
 * width (`fixedWidth`).
 */
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const UNESCAPES: Record<string, string> = { '\\': '\\', t: '\t', n: '\n', r: '\r' };

export function escapeField(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c] ?? c) : value;
}

export function unescapeField(value: string): string {
  return value.includes('\\') ? value.replace(/\\(.)/g, (_, c: string) => UNESCAPES[c] ?? c) : value;
}

/** One record line from its fields (escaped). */
export function joinFields(fields: readonly string[]): string {
  return fields.map(escapeField).join('\t');
}

/** A record line's fields (unescaped). */
export function splitFields(line: string): string[] {
  return line.split('\t').map(unescapeField);
}

const WIDTH = 15;

/** A non-negative integer below 10^15 as 15 digits, so that string order is numeric order. */
export function fixedWidth(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || n >= 1e15)
    throw new RangeError(`${n} cannot be written at width ${WIDTH}`);
  return String(n).padStart(WIDTH, '0');
}

/*
 * Identity's own refusal list. The gateway already drops placeholders, but the resolver is the last
 * line before a value becomes a match key in an append-only graph: linking "null" or the nil UUID
 * once would merge every later visitor who sends it into one person. So it checks again, on the raw
 * value it is about to link, independent of what any upstream did.
 */
const BLOCKED_VALUES: ReadonlySet<string> = new Set([
  'null',
  'undefined',
  'nil',
  'none',
  'nan',
  'n/a',
  '(none)',
  '<nil>',
  'anonymous',
  'anon',
  'unknown',
  'guest',
  'true',
  'false',
  '[object object]',
  '[]',
  '{}',
  '0',
  '-1',
]);

// All-zero ids in any dash layout: the nil UUID, "000000", "0-0".
const ALL_ZEROS = /^[0-]+$/;

/** True when `value` is absent, blank or a known placeholder that must never be linked to a contact. */
export const isBlockedIdentifierValue = (value: string | null | undefined): boolean => {
  if (value === null || value === undefined) return true;
  const v = value.trim().toLowerCase();
  return v.length === 0 || BLOCKED_VALUES.has(v) || ALL_ZEROS.test(v);
};

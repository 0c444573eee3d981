/** What a CSV cell can hold; null and undefined are the empty field. */
export type CsvValue = string | number | bigint | boolean | null | undefined;

/**
 * A spreadsheet runs a cell that starts with one of these as a formula (`=HYPERLINK(…)`, `@SUM(…)`,
 * `+cmd|…`), and a tab or carriage return can hide such a lead. externalIds, reasons and
 * sourceOfChange come from senders, so every text field of every CSV we write is checked.
 */
const FORMULA_LEAD = /^[=+\-@\t\r]/;

/** RFC 4180 quoting is needed for these (and for leading/trailing space, which some readers trim). */
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/**
 * One CSV field per RFC 4180, neutralised against formula injection the way OWASP recommends: a text
 * field with a formula lead gets a leading apostrophe (which spreadsheets read as "this is text") and
 * is quoted. Numbers and booleans are our own values and cannot hold a formula, so -1 stays -1.
 */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  if (FORMULA_LEAD.test(value)) return quoted(`'${value}`);
  return NEEDS_QUOTES.test(value) ? quoted(value) : value;
}

const quoted = (text: string): string => `"${text.replaceAll('"', '""')}"`;

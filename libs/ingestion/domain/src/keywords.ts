/**
 * SMS keyword classification (docs/providers.md, "Twilio inbound SMS": keywords). A keyword counts only when it is the WHOLE message
 * (trimmed, case-insensitive): "please stop texting me" is not consent, exactly as carriers and Twilio
 * treat it. Twilio's Advanced Opt-Out verdict (`OptOutType`) wins over our own reading of the body
 * because it reflects the Messaging Service's custom keywords, which we cannot see.
 */
export type KeywordKind = 'opt_out' | 'opt_in' | 'help' | 'none';
export type KeywordResult = { readonly kind: KeywordKind };

export const OPT_OUT_KEYWORDS: readonly string[] = [
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'REVOKE',
  'OPTOUT',
];
export const OPT_IN_KEYWORDS: readonly string[] = ['START', 'YES', 'UNSTOP'];
export const HELP_KEYWORDS: readonly string[] = ['HELP', 'INFO'];

const BY_KEYWORD: ReadonlyMap<string, KeywordKind> = new Map<string, KeywordKind>([
  ...OPT_OUT_KEYWORDS.map((k) => [k, 'opt_out'] as const),
  ...OPT_IN_KEYWORDS.map((k) => [k, 'opt_in'] as const),
  ...HELP_KEYWORDS.map((k) => [k, 'help'] as const),
]);

const OPT_OUT_TYPES: ReadonlyMap<string, KeywordKind> = new Map<string, KeywordKind>([
  ['STOP', 'opt_out'],
  ['START', 'opt_in'],
  ['HELP', 'help'],
]);

/** Classifies an inbound SMS. An unrecognised `OptOutType` falls back to the body. */
export const classifySms = (body: string | undefined, optOutType?: string): KeywordResult => {
  const verdict = optOutType === undefined ? undefined : OPT_OUT_TYPES.get(optOutType.trim().toUpperCase());
  if (verdict !== undefined) return { kind: verdict };
  return { kind: BY_KEYWORD.get((body ?? '').trim().toUpperCase()) ?? 'none' };
};

import { createHash } from 'node:crypto';
import en from './messages/en.json';
import fr from './messages/fr.json';

export type MessageKey = keyof typeof en;
export type Messages = Readonly<Record<MessageKey, string>>;

/** Every language must translate every key: the type of `fr` is checked against `en`. */
const LANGUAGES: Readonly<Record<string, Messages>> = { en, fr: fr satisfies Messages };
export const DEFAULT_LANGUAGE = 'en';

/**
 * The best supported language of an `Accept-Language` header (RFC 9110 §12.5.4): by q-value, then order;
 * a regional tag (fr-CA) matches its language. Unparseable parts are skipped, never an error.
 */
export function chooseLanguage(acceptLanguage: string | undefined): string {
  const ranked = (acceptLanguage ?? '')
    .slice(0, 512)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)?.[1]).find(Boolean);
      return { language: tag.split('-')[0] ?? '', q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.q > 0 && r.language in LANGUAGES)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.language ?? DEFAULT_LANGUAGE;
}

export const messagesFor = (language: string): Messages => LANGUAGES[language] ?? en;

/** `{name}` placeholders filled from `values`; an unknown placeholder stays visible rather than vanishing. */
export function format(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/**
 * The id and version of the consent wording a person saw: evidence names the exact text (a hash of the
 * language's messages), so a later wording change does not rewrite what an old record means.
 */
export function consentText(language: string): { id: string; version: string } {
  const text = JSON.stringify(messagesFor(language));
  return {
    id: `preference-center.${language}`,
    version: createHash('sha256').update(text).digest('hex').slice(0, 16),
  };
}

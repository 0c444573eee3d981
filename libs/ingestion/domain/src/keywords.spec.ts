import fc from 'fast-check';
import { classifySms, HELP_KEYWORDS, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS, type KeywordKind } from './keywords';

describe('classifySms', () => {
  it.each<[string | undefined, string | undefined, KeywordKind]>([
    ['STOP', undefined, 'opt_out'],
    ['stop', undefined, 'opt_out'],
    ['  Stop \n', undefined, 'opt_out'],
    ['STOPALL', undefined, 'opt_out'],
    ['unsubscribe', undefined, 'opt_out'],
    ['Cancel', undefined, 'opt_out'],
    ['END', undefined, 'opt_out'],
    ['quit', undefined, 'opt_out'],
    ['REVOKE', undefined, 'opt_out'],
    ['optout', undefined, 'opt_out'],
    ['START', undefined, 'opt_in'],
    ['yes', undefined, 'opt_in'],
    ['Unstop', undefined, 'opt_in'],
    ['HELP', undefined, 'help'],
    ['info', undefined, 'help'],
    ['Stop please', undefined, 'none'],
    ['please stop texting me', undefined, 'none'],
    ['STOP.', undefined, 'none'],
    ['S TOP', undefined, 'none'],
    ['', undefined, 'none'],
    [undefined, undefined, 'none'],
    ['hello', 'STOP', 'opt_out'],
    ['STOP', 'START', 'opt_in'],
    ['arrêt', 'STOP', 'opt_out'],
    ['STOP', 'HELP', 'help'],
    ['STOP', 'SOMETHING_NEW', 'opt_out'],
    ['hello', 'start', 'opt_in'],
  ])('body %j with OptOutType %j → %s', (body, optOutType, kind) => {
    expect(classifySms(body, optOutType)).toEqual({ kind });
  });

  const keywordCases: [string, KeywordKind][] = [
    ...OPT_OUT_KEYWORDS.map((k): [string, KeywordKind] => [k, 'opt_out']),
    ...OPT_IN_KEYWORDS.map((k): [string, KeywordKind] => [k, 'opt_in']),
    ...HELP_KEYWORDS.map((k): [string, KeywordKind] => [k, 'help']),
  ];
  const whitespace = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r'), maxLength: 4 });

  it('is case- and surrounding-whitespace-insensitive for every keyword', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...keywordCases),
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        whitespace,
        whitespace,
        ([word, kind], upper, pre, post) => {
          const mixed = [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join('');
          expect(classifySms(`${pre}${mixed}${post}`)).toEqual({ kind });
        },
      ),
    );
  });

  it('never treats a keyword inside a longer message as consent', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...keywordCases),
        fc.string({ minLength: 1 }).filter((s) => /\S/.test(s)),
        ([word], extra) => {
          expect(classifySms(`${word} ${extra}`).kind).toBe('none');
        },
      ),
    );
  });
});

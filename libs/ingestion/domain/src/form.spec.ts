import { FORM_MAX_FIELDS, FormFieldLimitExceeded, formValue, parseFormBody } from './form';

describe('parseFormBody / formValue', () => {
  it('decodes percent and plus encoding and keeps PHP-style keys flat', () => {
    const fields = parseFormBody('type=profile&data%5Bmerges%5D%5BFNAME%5D=Jo+Ann&From=%2B12133734253');
    expect(fields).toEqual({ type: 'profile', 'data[merges][FNAME]': 'Jo Ann', From: '+12133734253' });
  });

  it('collects repeated keys into an array and reads the first as the value', () => {
    const fields = parseFormBody('MediaUrl=a&MediaUrl=b&MediaUrl=c');
    expect(fields['MediaUrl']).toEqual(['a', 'b', 'c']);
    expect(formValue(fields, 'MediaUrl')).toBe('a');
  });

  it('does not read inherited properties', () => {
    expect(formValue(parseFormBody(''), 'constructor')).toBeUndefined();
  });
});

describe('parseFormBody with hostile keys', () => {
  it('keeps __proto__ as an ordinary field', () => {
    const fields = parseFormBody('__proto__=x&Body=STOP');
    expect(formValue(fields, '__proto__')).toBe('x');
    expect(formValue(fields, 'Body')).toBe('STOP');
  });
});

describe('parseFormBody bounds its work', () => {
  it('refuses a form with more fields than the limit', () => {
    expect(() => parseFormBody('a=1&'.repeat(11), 10)).toThrow(FormFieldLimitExceeded);
    expect(parseFormBody('a=1&'.repeat(10), 10)['a']).toHaveLength(10);
  });

  it('applies FORM_MAX_FIELDS by default', () => {
    const atLimit = Array.from({ length: FORM_MAX_FIELDS }, () => 'a=1').join('&');
    expect(parseFormBody(atLimit)['a']).toHaveLength(FORM_MAX_FIELDS);
    expect(() => parseFormBody(`${atLimit}&b=2`)).toThrow(FormFieldLimitExceeded);
  });
});

describe('parseFormBody decodes as URLSearchParams does', () => {
  it.each(['a=1&&b=2', 'a', '=x', 'a=%ZZ&b=%E2%82%AC', 'a=b=c&', '&&&', 'x+y=1+2&x+y=3', '%'])(
    '%p',
    (raw) => {
      const expected: Record<string, string | string[]> = {};
      for (const [name, value] of new URLSearchParams(raw)) {
        const existing = expected[name];
        expected[name] = existing === undefined ? value : [existing, value].flat();
      }
      expect({ ...parseFormBody(raw) }).toEqual(expected);
    },
  );
});

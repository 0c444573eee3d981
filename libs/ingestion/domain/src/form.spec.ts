import { formValue, parseFormBody } from './form';

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

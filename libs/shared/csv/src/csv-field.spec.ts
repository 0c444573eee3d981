import { csvField } from './csv-field';

describe('csvField', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","click")', `"'=HYPERLINK(""http://evil.example"",""click"")"`],
    ['+cmd|" /C calc"!A0', `"'+cmd|"" /C calc""!A0"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1:A2)', `"'@SUM(A1:A2)"`],
    ['\t=1+1', `"'\t=1+1"`],
    ['\r=1+1', `"'\r=1+1"`],
    ['+14155550123', `"'+14155550123"`],
  ])('neutralises the formula lead of %j', (value, field) => expect(csvField(value)).toBe(field));

  it.each([
    ['user-42', 'user-42'],
    ['a=b', 'a=b'],
    ['Email Unsubscribe Link', 'Email Unsubscribe Link'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    [' padded', '" padded"'],
    ['', ''],
  ])('writes %j as RFC 4180 text', (value, field) => expect(csvField(value)).toBe(field));

  it.each([
    [null, ''],
    [undefined, ''],
    [-1, '-1'],
    [42, '42'],
    [10n, '10'],
    [false, 'false'],
  ])('writes our own value %p as it is', (value, field) => expect(csvField(value)).toBe(field));
});

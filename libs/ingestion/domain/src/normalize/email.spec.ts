import { normalizeEmail } from './email';

describe('normalizeEmail', () => {
  it.each([
    ['  Hello@World.COM ', 'hello@world.com'],
    ['urist.mcvankab+tag@freddiesjokes.com', 'urist.mcvankab+tag@freddiesjokes.com'],
    ["o'brien@sub.example.co.uk", "o'brien@sub.example.co.uk"],
    ['a@xn--bcher-kva.example', 'a@xn--bcher-kva.example'],
    ['x@b-c.io', 'x@b-c.io'],
  ])('accepts %j as %j', (input, expected) => {
    expect(normalizeEmail(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'email is empty'],
    ['   ', 'email is empty'],
    ['hello world@example.com', 'email contains whitespace'],
    ['hello.example.com', 'email has no "@"'],
    ['a@b@example.com', 'email has more than one "@"'],
    ['@example.com', 'email has nothing before "@"'],
    ['hello@', 'email has no domain after "@"'],
    ['hello@localhost', 'email domain has no top-level domain'],
    ['hello@example.c', 'email top-level domain must be letters (at least two) or punycode'],
    ['hello@example.123', 'email top-level domain must be letters (at least two) or punycode'],
    ['hello@example..com', 'email domain has an empty label (consecutive, leading or trailing dot)'],
    ['hello@-example.com', 'email domain has characters that are not allowed'],
    ['.hello@example.com', 'email local part has characters or dots that are not allowed'],
    ['he..llo@example.com', 'email local part has characters or dots that are not allowed'],
    ['"quoted"@example.com', 'email local part has characters or dots that are not allowed'],
    [`${'a'.repeat(65)}@example.com`, 'email local part is longer than 64 characters'],
    [`a@${'b'.repeat(64)}.com`, 'email domain label is longer than 63 characters'],
  ])('rejects %j: %s', (input, reason) => {
    expect(normalizeEmail(input)).toEqual({ ok: false, code: 'INVALID_EMAIL', reason });
  });

  it('accepts exactly 254 characters', () => {
    const edge = `${'a'.repeat(58)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`;
    expect(edge.length).toBe(254);
    expect(normalizeEmail(edge)).toEqual({ ok: true, value: edge });
  });

  it('rejects addresses over 254 characters', () => {
    const long = `${'a'.repeat(59)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`;
    expect(long.length).toBe(255);
    expect(normalizeEmail(long)).toEqual({
      ok: false,
      code: 'INVALID_EMAIL',
      reason: 'email is 255 characters long; the maximum is 254',
    });
  });

  it.each([
    [42, 'number'],
    [null, 'null'],
    [['a@b.co'], 'array'],
    [{}, 'object'],
  ])('rejects non-string %j', (input, type) => {
    expect(normalizeEmail(input)).toEqual({
      ok: false,
      code: 'INVALID_EMAIL',
      reason: `email must be a string; got ${type}`,
    });
  });
});

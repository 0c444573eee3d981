import fc from 'fast-check';
import { maskEmail } from './mask-email';
import { maskPhone } from './mask-phone';
import { maskPii } from './mask-pii';

const alnum = (min: number, max: number) => fc.stringMatching(new RegExp(`^[a-z0-9]{${min},${max}}$`));
const domainArb = fc
  .tuple(alnum(1, 12), fc.stringMatching(/^[a-z]{2,6}$/))
  .map(([name, tld]) => `${name}.${tld}`);
const e164Arb = fc
  .tuple(fc.integer({ min: 1, max: 9 }), fc.stringMatching(/^[0-9]{7,14}$/))
  .map(([cc, rest]) => `+${cc}${rest}`);

/** The visible TLD is public information about the domain, not about the person; ignore it when searching. */
const withoutTld = (masked: string) => masked.slice(0, masked.lastIndexOf('.'));
const digitsOf = (value: string) => value.replace(/\D/g, '');

describe('maskEmail', () => {
  it('keeps the first characters and the TLD', () => {
    expect(maskEmail('john.doe@example.com')).toBe('j***@e***.com');
    expect(maskEmail('a@b.com')).toBe('***@b***.com');
    expect(maskEmail('not an address')).toBe('***');
  });

  it('never contains the full address, and reveals at most one character of the local part', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        const masked = maskEmail(email);
        const local = email.slice(0, email.lastIndexOf('@'));
        const shownLocal = masked.slice(0, masked.lastIndexOf('@'));

        expect(masked).not.toContain(email);
        expect(shownLocal.replace(/^.?\*\*\*$/u, '')).toBe('');
        if (local.length > 1)
          expect(shownLocal).toBe(`${String.fromCodePoint(local.codePointAt(0) as number)}***`);
      }),
    );
  });

  it('does not contain the local part', () => {
    fc.assert(
      fc.property(alnum(2, 30), domainArb, (local, domain) => {
        expect(withoutTld(maskEmail(`${local}@${domain}`))).not.toContain(local);
      }),
    );
  });

  it('depends only on the first characters and the TLD (nothing else leaks)', () => {
    fc.assert(
      fc.property(alnum(2, 20), alnum(2, 20), domainArb, (a, b, domain) => {
        const sameStart = b.replace(/^./, a[0] as string);
        expect(maskEmail(`${a}@${domain}`)).toBe(maskEmail(`${sameStart}@${domain}`));
      }),
    );
  });
});

describe('maskPhone', () => {
  it('keeps the first digit and the last four of a full number', () => {
    expect(maskPhone('+14155554567')).toBe('+1******4567');
    expect(maskPhone('(415) 555-4567')).toBe('4*****4567');
    expect(maskPhone('12345')).toBe('*****');
  });

  it('never contains the full digits and hides at least half of them', () => {
    fc.assert(
      fc.property(e164Arb, (phone) => {
        const masked = maskPhone(phone);
        const digits = digitsOf(phone);

        expect(masked).not.toContain(digits);
        expect(digitsOf(masked).length).toBeLessThanOrEqual(Math.floor(digits.length / 2));
      }),
    );
  });
});

describe('maskPii', () => {
  it('masks addresses and numbers inside free text and keeps the rest', () => {
    expect(maskPii('STOP from +1 (415) 555-4567 for jane.doe@example.com at 2024-03-01 12:00:00')).toBe(
      'STOP from +1******4567 for j***@e***.com at 2024-03-01 12:00:00',
    );
    expect(maskPii('{"email":"jane@example.com","phone":"+14155554567"}')).toBe(
      '{"email":"j***@e***.com","phone":"+1******4567"}',
    );
  });

  it('leaves UUIDs and short numbers alone', () => {
    const line = 'event 123e4567-e89b-12d3-a456-426614174000 partition 11 offset 123456';
    expect(maskPii(line)).toBe(line);
  });

  it('never lets a generated email or phone through, whatever surrounds it', () => {
    const filler = fc.constantFrom('', ' ', 'text ', ' text', ': ', '"', '(', ')', ',', '\n');
    fc.assert(
      fc.property(alnum(2, 30), domainArb, e164Arb, filler, filler, (local, domain, phone, before, after) => {
        const email = `${local}@${domain}`;
        const masked = maskPii(`${before}${email}${after} ${before}${phone}${after}`);

        expect(masked).not.toContain(email);
        expect(masked).not.toContain(`${local}@`);
        expect(masked).not.toContain(phone);
        expect(digitsOf(masked)).not.toContain(digitsOf(phone));
      }),
    );
  });
});

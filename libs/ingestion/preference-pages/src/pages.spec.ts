import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { brandProblems, contrastRatio, type Brand } from './brand';
import { centerRows, parseCenterForm, renderCenter, type ContactConsent } from './center';
import { escapeHtml } from './html';
import { chooseLanguage, consentText, messagesFor } from './messages';
import { renderRefusal, renderUnsubscribeConfirm } from './simple-pages';

const brand: Brand = {
  name: 'Acme <Shop>',
  logoDataUri: null,
  accentColor: '#1d4ed8',
  textColor: '#111827',
  backgroundColor: '#ffffff',
};
const en = messagesFor('en');
const topics = [
  { id: 'newsletter', name: 'Weekly newsletter', channels: ['email'] },
  { id: 'product-updates', name: 'Product updates', channels: ['email', 'push'] },
];
const consent: ContactConsent = {
  email: { status: 'subscribed', topics: [{ topic: 'newsletter', status: 'unsubscribed' }] },
  sms: { status: 'unsubscribed' },
  push: null,
};

describe('language', () => {
  it.each([
    ['fr-CA,fr;q=0.9,en;q=0.8', 'fr'],
    ['de-DE,en;q=0.5,fr;q=0.7', 'fr'],
    ['de', 'en'],
    [undefined, 'en'],
    ['fr;q=0,en', 'en'],
    ['*;q=0.1, ;;, fr;q=abc', 'fr'],
  ])('%j → %s', (header, language) => expect(chooseLanguage(header)).toBe(language));

  it('never throws on any header', () => {
    fc.assert(fc.property(fc.string(), (h) => expect(['en', 'fr']).toContain(chooseLanguage(h))));
  });

  it('translates every key into French', () => {
    expect(Object.keys(messagesFor('fr')).sort()).toEqual(Object.keys(en).sort());
  });

  it('names the consent wording by language and a hash of its text', () => {
    const expected = createHash('sha256').update(JSON.stringify(en)).digest('hex').slice(0, 16);
    expect(consentText('en')).toEqual({ id: 'preference-center.en', version: expected });
    expect(consentText('fr').version).not.toBe(expected);
  });
});

describe('brand', () => {
  it('computes WCAG contrast ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  it('refuses colours that fail AA contrast and logos that are not data URIs', () => {
    expect(brandProblems(brand)).toEqual([]);
    expect(brandProblems({ ...brand, accentColor: '#ffcc00' }).join('\n')).toMatch(
      /white button text on the accent colour has a contrast of 1\.\d\d:1/,
    );
    expect(brandProblems({ ...brand, logoDataUri: 'https://cdn.example/logo.png' })).toEqual([
      'the logo must be a base64 data: URI of a PNG, SVG, JPEG or WebP image',
    ]);
    expect(brandProblems({ ...brand, textColor: 'black' })).toEqual(['textColor must be a #rrggbb colour']);
  });
});

describe('preference center rows and form', () => {
  const rows = centerRows(consent, topics, en);

  it('shows channels and their topics with the current status; topics of an off channel follow it', () => {
    expect(rows.map((r) => [r.name, r.status, r.choices.length])).toEqual([
      ['c.email', 'subscribed', 2],
      ['t.email.newsletter', 'unsubscribed', 2],
      ['t.email.product-updates', 'subscribed', 2],
      ['c.sms', 'unsubscribed', 0],
      ['c.push', 'unknown', 0],
      ['t.push.product-updates', 'unknown', 0],
    ]);
    expect(rows.find((r) => r.name === 'c.sms')?.hint).toBe(en['sms.resubscribeHint']);
  });

  it('turns the submitted differences into changes', () => {
    const fields = new Map([
      ['action', 'save'],
      ['c.email', 'subscribed'],
      ['t.email.newsletter', 'subscribed'],
      ['t.email.product-updates', 'unsubscribed'],
      ['c.sms', 'subscribed'],
    ]);
    expect(parseCenterForm(fields, rows)).toEqual({
      ok: true,
      changes: [
        { channel: 'email', topic: 'newsletter', choice: 'subscribed' },
        { channel: 'email', topic: 'product-updates', choice: 'unsubscribed' },
      ],
    });
  });

  it('unsubscribes every channel as a whole for "unsubscribe from everything"', () => {
    const result = parseCenterForm(new Map([['action', 'unsubscribe-all']]), rows);
    expect(result.ok && result.changes.map((c) => [c.channel, c.topic, c.choice])).toEqual([
      ['email', null, 'unsubscribed'],
      ['sms', null, 'unsubscribed'],
      ['push', null, 'unsubscribed'],
    ]);
  });

  it('refuses a value that is not a choice and a missing action', () => {
    expect(
      parseCenterForm(
        new Map([
          ['action', 'save'],
          ['c.email', 'maybe'],
        ]),
        rows,
      ),
    ).toEqual({
      ok: false,
      reason: 'c.email must be one of subscribed, unsubscribed',
    });
    expect(parseCenterForm(new Map(), rows).ok).toBe(false);
  });
});

describe('rendering', () => {
  it('renders a labelled, script-free form whose only inline style is allowed by the CSP hash', () => {
    const page = renderCenter({
      brand,
      messages: en,
      rows: centerRows(consent, topics, en),
      action: '/p/TOKEN',
      csrf: 'C"SRF',
      submission: 'S',
      notice: 'saved',
    });
    expect(page.html).not.toMatch(/<script|https?:\/\//);
    expect(page.html).toContain('<html lang="en">');
    expect(page.html).toContain('Acme &lt;Shop&gt;');
    expect(page.html).toContain('value="C&quot;SRF"');
    expect(page.html).toContain('<legend>Email</legend>');
    expect(page.html).toMatch(
      /<label><input type="radio" name="t.email.newsletter" value="unsubscribed" checked> Do not receive<\/label>/,
    );
    const style = /<style>([\s\S]*?)<\/style>/.exec(page.html)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(page.csp).toBe(
      `default-src 'none'; style-src 'sha256-${hash}'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    );
  });

  it('renders the unsubscribe question in French with a one-click form', () => {
    const page = renderUnsubscribeConfirm(
      { brand, messages: messagesFor('fr'), channel: 'email', topicName: 'Weekly newsletter' },
      '/u/T',
    );
    expect(page.html).toContain('<html lang="fr">');
    expect(page.html).toContain('Ne plus recevoir Weekly newsletter (E-mail) de Acme &lt;Shop&gt; ?');
    expect(page.html).toContain('<input type="hidden" name="List-Unsubscribe" value="One-Click">');
  });

  it('gives refusals their HTTP status', () => {
    expect(renderRefusal(brand, en, 'expired').status).toBe(410);
    expect(renderRefusal(brand, en, 'invalid').status).toBe(400);
    expect(renderRefusal(brand, en, 'erased').html).toContain(en['refused.erased']);
  });

  it('escapes every character HTML gives a meaning to', () => {
    fc.assert(
      fc.property(fc.string(), (s) =>
        expect(escapeHtml(s)).not.toMatch(/[<>"']|&(?!amp;|lt;|gt;|quot;|#39;)/),
      ),
    );
  });
});

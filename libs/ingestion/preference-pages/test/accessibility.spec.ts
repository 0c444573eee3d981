import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import {
  centerRows,
  messagesFor,
  renderCenter,
  renderRefusal,
  renderUnsubscribeConfirm,
  type Brand,
  type ContactConsent,
  type Page,
} from '../src';

jest.setTimeout(120_000);

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const ORIGIN = 'http://pages.optstream.test';
const PRIMARY_BUTTON_BACKGROUND = `getComputedStyle(document.querySelector('button.primary')).backgroundColor`;
const FOCUSED_ELEMENT = `(() => { const el = document.activeElement;
  return el.tagName + ':' + (el.name || '') + ':' + getComputedStyle(el).outlineStyle; })()`;

const brand: Brand = {
  name: 'Acme',
  logoDataUri: null,
  accentColor: '#1d4ed8',
  textColor: '#111827',
  backgroundColor: '#ffffff',
};
const topics = [
  { id: 'newsletter', name: 'Weekly newsletter', channels: ['email'] },
  { id: 'product-updates', name: 'Product updates', channels: ['email', 'push'] },
  { id: 'promotions', name: 'Promotions', channels: ['email', 'sms'] },
];
const consent: ContactConsent = {
  email: { status: 'subscribed', topics: [{ topic: 'promotions', status: 'unsubscribed' }] },
  sms: { status: 'unsubscribed' },
  push: { status: 'subscribed' },
};

function chromiumPath(): string {
  const path = process.env['OPTSTREAM_CHROMIUM'];
  if (!path)
    throw new Error(
      `Chromium is not available: ${process.env['OPTSTREAM_CHROMIUM_ERROR'] ?? 'no global setup'}`,
    );
  return path;
}

/**
 * Every page, rendered by the library and served with its own Content-Security-Policy to Debian's
 * Chromium: axe-core (WCAG 2.x A and AA, 2.2 included) finds nothing, and the CSP lets the page's own
 * style apply (a blocked style would leave the buttons unstyled).
 */
describe('the pages in a real browser', () => {
  const profile = mkdtempSync(join(tmpdir(), 'optstream-chromium-'));
  let browser: BrowserContext;
  const served = new Map<string, Page>();
  const cspViolations: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath(),
      headless: true,
      args: CHROMIUM_ARGS,
    });
    await browser.route('**/*', (route) => {
      const page = served.get(new URL(route.request().url()).pathname);
      if (!page) return route.abort();
      return route.fulfill({
        status: page.status,
        headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': page.csp },
        body: page.html,
      });
    });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  const pages: [string, () => Page][] = [
    ...['en', 'fr'].map((language): [string, () => Page] => [
      `center-${language}`,
      () => {
        const messages = messagesFor(language);
        return renderCenter({
          brand,
          messages,
          rows: centerRows(consent, topics, messages),
          action: '/p/T',
          csrf: 'c',
          submission: 's'.repeat(16),
          notice: 'saved',
        });
      },
    ]),
    [
      'unsubscribe',
      () =>
        renderUnsubscribeConfirm(
          { brand, messages: messagesFor('en'), channel: 'email', topicName: null },
          '/u/T',
        ),
    ],
    ['refusal', () => renderRefusal(brand, messagesFor('en'), 'expired')],
  ];

  it.each(pages)('%s: no axe violations, and the CSP-allowed style applies', async (name, render) => {
    served.set(`/${name}`, render());
    const page = await browser.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(`${name}: ${m.text()}`);
    });
    await page.goto(`${ORIGIN}/${name}`);
    await page.evaluate(AXE_SOURCE);
    const violations = await page.evaluate(async () => {
      const axe = (
        globalThis as unknown as {
          axe: { run: (o: object) => Promise<{ violations: { id: string; nodes: unknown[] }[] }> };
        }
      ).axe;
      const result = await axe.run({
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      });
      return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
    });
    expect(violations).toEqual([]);
    // Expressions evaluated in the page: this project compiles without the DOM library.
    if (name === 'refusal') expect(await page.locator('button.primary').count()).toBe(0);
    else expect(await page.evaluate<string>(PRIMARY_BUTTON_BACKGROUND)).toBe('rgb(29, 78, 216)');
    expect(cspViolations).toEqual([]);
    if (name === 'center-en' && process.env['OPTSTREAM_UPDATE_SCREENSHOT'] === '1')
      await page.screenshot({
        path: join(__dirname, '../../../../docs/preference-center.png'),
        fullPage: true,
      });
    await page.close();
  });

  it('the keyboard reaches every radio group and both buttons, with a visible focus ring', async () => {
    const messages = messagesFor('en');
    served.set(
      '/keyboard',
      renderCenter({
        brand,
        messages,
        rows: centerRows(consent, topics, messages),
        action: '/p/T',
        csrf: 'c',
        submission: 's'.repeat(16),
        notice: null,
      }),
    );
    const page = await browser.newPage();
    await page.goto(`${ORIGIN}/keyboard`);
    const reached: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate<string>(FOCUSED_ELEMENT));
    }
    // Each radio group is one tab stop (arrow keys move within it), then the two buttons.
    expect(reached).toEqual([
      'INPUT:c.email:solid',
      'INPUT:t.email.newsletter:solid',
      'INPUT:t.email.product-updates:solid',
      'INPUT:t.email.promotions:solid',
      'INPUT:c.push:solid',
      'INPUT:t.push.product-updates:solid',
      'BUTTON:action:solid',
      'BUTTON:action:solid',
    ]);
    await page.close();
  });
});

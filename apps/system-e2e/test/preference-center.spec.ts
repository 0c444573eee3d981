import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ensureChromium } from '@optstream/local-stack';
import { LOCAL_BRAZE_SMS_GROUP_ID, LOCAL_MAILCHIMP_LIST_ID } from '@optstream/local-system';
import { waitFor } from '@optstream/testing';
import { newId, newPerson } from './contacts';
import { SystemHarness } from './system-harness';

jest.setTimeout(600_000);

/** The flags the repo's other browser test uses: nothing leaves the machine, a fresh profile per run. */
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

interface AxeViolation {
  id: string;
  impact: string;
  nodes: { target: string[] }[];
}

/** axe-core's WCAG 2.x A/AA rules (2.2 included) on the page as rendered; evaluated outside the page's CSP. */
async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run: (o: object) => Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const result = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
}

/**
 * A person's own preference center, end to end in a real headless Chromium: links minted by the read API,
 * the page served by the gateway, the change carried through the log to the read model and every
 * platform's simulator; and the RFC 8058 one-click POST a mail provider sends.
 */
describe('preference center and one-click unsubscribe, end to end', () => {
  const h = new SystemHarness();
  const profile = mkdtempSync(join(tmpdir(), 'optstream-chromium-'));
  let browser: BrowserContext;
  const offHost: string[] = [];

  beforeAll(async () => {
    await h.start();
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: ensureChromium((line) => console.warn(line)),
      headless: true,
      args: CHROMIUM_ARGS,
      locale: 'en-US',
    });
    await browser.route('**/*', (route) => {
      if (new URL(route.request().url()).hostname === '127.0.0.1') return route.continue();
      offHost.push(route.request().url());
      return route.abort();
    });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(profile, { recursive: true, force: true });
    await h.stop();
  });

  async function subscribedPerson(label: string) {
    const person = newPerson(label);
    await h.simulators.seedOnesignalUser(person.externalId, [
      { type: 'iOSPush', token: newId() },
      { type: 'SMS', token: person.phone },
    ]);
    const answer = await h.webhooks.segmentIdentify({
      userId: person.externalId,
      timestamp: new Date(Date.now() - 60_000).toISOString(),
      traits: {
        email: person.email,
        phone: person.phone,
        email_subscribed_status: 'subscribed',
        sms_subscribed_status: 'subscribed',
        push_notification_enabled: true,
      },
    });
    expect(answer.status).toBe(200);
    await waitFor(
      async () => {
        const braze = await h.simulators.brazeUser(person.externalId);
        return (
          braze?.email_subscribe === 'opted_in' && braze.push_subscribe === 'opted_in' // the readiness the opt-outs suite waits for
        );
      },
      { timeoutMs: 60_000, description: `${label}: subscribed on Braze` },
    );
    return person;
  }

  async function linksOf(externalId: string, query = '') {
    const response = await fetch(`${h.readApiUrl}/v1/contacts/${externalId}/links${query}`, {
      headers: { 'x-api-key': h.readApiKey },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as {
      unsubscribeUrl: string;
      preferencesUrl: string;
      headers: Record<string, string>;
    };
  }

  it('open the link from an email, turn SMS off, see the new state; the read model and the platforms follow; no axe violations', async () => {
    const person = await subscribedPerson('center');
    const links = await linksOf(person.externalId);
    const page = await browser.newPage();
    const opened = await page.goto(links.preferencesUrl);
    expect(opened?.status()).toBe(200);
    expect(await page.locator('#c_sms-status').textContent()).toBe('Subscribed');
    expect(await axeViolations(page)).toEqual([]);

    await page.check('input[name="c.sms"][value="unsubscribed"]');
    await Promise.all([page.waitForURL(/\?saved=/), page.click('button[value="save"]')]);
    expect(await page.locator('[role="status"]').textContent()).toBe('Your choices were saved.');
    expect(await page.locator('#c_sms-status').textContent()).toBe('Unsubscribed');
    expect(await page.locator('#c_email-status').textContent()).toBe('Subscribed');
    expect(await axeViolations(page)).toEqual([]);
    if (process.env['OPTSTREAM_UPDATE_SCREENSHOT'] === '1')
      await page.screenshot({
        path: resolve(__dirname, '../../../docs/preference-center.png'),
        fullPage: true,
      });

    const contact = await h.contact(person.externalId);
    expect(contact?.channels.sms).toMatchObject({
      status: 'unsubscribed',
      sourceOfChange: 'Preference Center',
    });
    expect(contact?.channels.email?.status).toBe('subscribed');
    await waitFor(
      async () => {
        const [braze, attentive, mailchimp, onesignal] = await Promise.all([
          h.simulators.brazeUser(person.externalId),
          h.simulators.attentiveSubscriptions(person.phone),
          h.simulators.mailchimpMember(LOCAL_MAILCHIMP_LIST_ID, person.email),
          h.simulators.onesignalUser(person.externalId),
        ]);
        return (
          braze?.subscription_groups[LOCAL_BRAZE_SMS_GROUP_ID] === 'unsubscribed' &&
          attentive.some((s) => s.channel === 'TEXT' && s.status === 'UNSUBSCRIBED') &&
          mailchimp?.merge_fields['SMSSTATUS'] === 'unsubscribed' &&
          onesignal?.subscriptions.find((s) => s.type === 'SMS')?.enabled === false
        );
      },
      { timeoutMs: 60_000, description: 'SMS off on Braze, Attentive, Mailchimp and OneSignal' },
    );
    // Email was not touched: SendGrid still mails the person, Braze still has email on.
    expect(await h.simulators.isGloballySuppressed(person.email)).toBe(false);
    expect((await h.simulators.brazeUser(person.externalId))?.email_subscribe).toBe('opted_in');
    expect(offHost).toEqual([]);
  });

  it('email off, then on again from the page: pending with its expiry, a confirmation mailed through SendGrid; its link makes email subscribed everywhere, and the history holds the evidence of each step', async () => {
    const person = await subscribedPerson('double-opt-in');
    const links = await linksOf(person.externalId);
    const page = await browser.newPage();
    await page.goto(links.preferencesUrl);
    await page.check('input[name="c.email"][value="unsubscribed"]');
    await Promise.all([page.waitForURL(/\?saved=/), page.click('button[value="save"]')]);
    expect(await page.locator('#c_email-status').textContent()).toBe('Unsubscribed');
    await waitFor(() => h.simulators.isGloballySuppressed(person.email), {
      timeoutMs: 60_000,
      description: 'email suppressed on SendGrid',
    });

    // Receive again: not consent yet, a confirmation is mailed (double opt-in).
    await page.check('input[name="c.email"][value="subscribed"]');
    await Promise.all([page.waitForURL(/\?saved=.*\.pending$/), page.click('button[value="save"]')]);
    expect(await page.locator('[role="status"]').textContent()).toBe(
      'We sent a confirmation link to your email address. Email stays off until you click it.',
    );
    expect(await page.locator('#c_email-status').textContent()).toBe('Waiting for your confirmation');
    const pending = await h.contact(person.externalId);
    expect(pending?.channels.email?.status).toBe('pending');
    const expiresAt = Date.parse(
      (pending?.channels.email as { pendingExpiresAt?: string } | undefined)?.pendingExpiresAt ?? '',
    );
    expect(expiresAt - Date.now()).toBeGreaterThan(71 * 3_600_000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(72 * 3_600_000);
    const mail = await waitFor(
      async () => (await h.simulators.sendgridMailsTo(person.email)).find((m) => m.delivered),
      { timeoutMs: 60_000, description: 'the confirmation mail delivered by SendGrid' },
    );
    const confirmUrl = /(http:\/\/127\.0\.0\.1:\d+\/c\/\S+)/.exec(mail.text)?.[1] ?? '';
    expect(confirmUrl).not.toBe('');
    expect(mail.html).toContain(confirmUrl);
    // Still not consent: the platforms keep email off until the link is used.
    expect(await h.simulators.isGloballySuppressed(person.email)).toBe(true);
    expect((await h.simulators.sendgridMailsTo(person.email)).filter((m) => m.delivered)).toHaveLength(1);

    const confirmPage = await browser.newPage();
    expect((await confirmPage.goto(confirmUrl))?.status()).toBe(200);
    expect(await axeViolations(confirmPage)).toEqual([]);
    await confirmPage.click('button[type="submit"]');
    await confirmPage.waitForSelector('[role="status"]');
    expect(await confirmPage.locator('[role="status"]').textContent()).toContain('is confirmed');
    await waitFor(async () => (await h.contact(person.externalId))?.channels.email?.status === 'subscribed', {
      timeoutMs: 30_000,
      description: 'email subscribed in the read model',
    });
    expect((await h.contact(person.externalId))?.channels.email?.sourceOfChange).toBe(
      'Double Opt-In Confirmation',
    );
    await waitFor(
      async () => {
        const [suppressed, braze, mailchimp] = await Promise.all([
          h.simulators.isGloballySuppressed(person.email),
          h.simulators.brazeUser(person.externalId),
          h.simulators.mailchimpMember(LOCAL_MAILCHIMP_LIST_ID, person.email),
        ]);
        return (
          !suppressed &&
          braze?.email_subscribe === 'opted_in' &&
          (mailchimp?.status === 'subscribed' || mailchimp?.status === 'pending')
        );
      },
      { timeoutMs: 60_000, description: 'email on again at SendGrid, Braze and Mailchimp' },
    );

    const history = (await (
      await fetch(`${h.readApiUrl}/v1/contacts/${person.externalId}/history`, {
        headers: { 'x-api-key': h.readApiKey },
      })
    ).json()) as {
      events: {
        channel: string;
        status: string;
        sourceOfChange: string;
        pendingExpiresAt: string | null;
        evidence: { kind: string; collectionPoint: string; consentTextId: string } | null;
      }[];
    };
    const fromLinks = ['Preference Center', 'Double Opt-In Confirmation'];
    const steps = history.events.filter((e) => e.channel === 'email' && fromLinks.includes(e.sourceOfChange));
    expect(steps.map((e) => [e.status, e.sourceOfChange, e.evidence?.kind])).toEqual([
      ['unsubscribed', 'Preference Center', 'preference_center'],
      ['pending', 'Preference Center', 'preference_center'],
      ['subscribed', 'Double Opt-In Confirmation', 'double_opt_in_confirmation'],
    ]);
    expect(Date.parse(steps[1]?.pendingExpiresAt ?? '')).toBe(expiresAt);
    expect(steps[2]?.evidence?.collectionPoint).toMatch(/^double-opt-in@1 token:[A-Za-z0-9_-]{22}$/);
    expect(steps.every((e) => e.evidence?.consentTextId === 'preference-center.en')).toBe(true);
    expect(offHost).toEqual([]);
  });

  it('curl -X POST -d List-Unsubscribe=One-Click <link> unsubscribes email everywhere; a GET of it changed nothing', async () => {
    const person = await subscribedPerson('one-click');
    const { unsubscribeUrl, headers } = await linksOf(person.externalId);
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const scanned = await fetch(unsubscribeUrl);
    expect(scanned.status).toBe(200);
    expect((await h.contact(person.externalId))?.channels.email?.status).toBe('subscribed');

    const oneClick = await fetch(unsubscribeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    await waitFor(
      async () => (await h.contact(person.externalId))?.channels.email?.status === 'unsubscribed',
      {
        timeoutMs: 30_000,
        description: 'email unsubscribed in the read model',
      },
    );
    const contact = await h.contact(person.externalId);
    expect(contact?.channels.email?.sourceOfChange).toBe('Email One-Click Unsubscribe');
    // The history holds exactly one change from the link: the POST, not the GET before it.
    const history = (await (
      await fetch(`${h.readApiUrl}/v1/contacts/${person.externalId}/history`, {
        headers: { 'x-api-key': h.readApiKey },
      })
    ).json()) as { events: { sourceOfChange: string }[] };
    expect(history.events.filter((e) => e.sourceOfChange === 'Email One-Click Unsubscribe')).toHaveLength(1);
    await waitFor(
      async () => (await h.simulators.brazeUser(person.externalId))?.email_subscribe === 'unsubscribed',
      {
        timeoutMs: 60_000,
        description: 'email unsubscribed on Braze',
      },
    );
  });
});

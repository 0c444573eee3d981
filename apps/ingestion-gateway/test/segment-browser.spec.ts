import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium, BrowserContext } from 'playwright-core';
import { ContactInbound } from '@optstream/contracts';
import { CHROMIUM_ARGS, LocalSegmentCdn } from '@optstream/testing';
import { GatewayHarness } from './gateway-harness';

jest.setTimeout(120_000);

/**
 * @segment/analytics-next, the browser library, in a real headless Chromium (Debian's package,
 * installed by the repo's own tools/stack/chromium.ts through the Jest global setup): loaded by the
 * snippet from a local stand-in for Segment's CDN on another origin, it posts to the gateway's short
 * paths as text/plain with its write key, across CORS. Nothing may leave 127.0.0.1.
 */
const WRITE_KEY = 'wk_test_browser';

function chromiumPath(): string {
  const path = process.env['OPTSTREAM_CHROMIUM'];
  if (!path) {
    throw new Error(
      `Chromium is not available: ${process.env['OPTSTREAM_CHROMIUM_ERROR'] ?? 'the Jest global setup did not run'}`,
    );
  }
  return path;
}

describe('@segment/analytics-next in Chromium sends to the gateway unmodified', () => {
  let cdn: LocalSegmentCdn;
  let h: GatewayHarness;
  let browser: BrowserContext;
  const profile = mkdtempSync(join(tmpdir(), 'optstream-chromium-'));
  const offHost: string[] = [];
  const gatewayRequests: string[] = [];

  beforeAll(async () => {
    cdn = new LocalSegmentCdn(WRITE_KEY, () => h.gateway.url);
    await cdn.start();
    h = new GatewayHarness({
      SEGMENT_WRITE_KEYS: `${WRITE_KEY}=web-shop`,
      SEGMENT_ALLOWED_ORIGINS: `${WRITE_KEY}=${cdn.origin}`,
    });
    await h.start();
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath(),
      headless: true,
      args: [...CHROMIUM_ARGS],
    });
    await browser.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname !== '127.0.0.1') {
        offHost.push(url.href);
        return route.abort();
      }
      if (url.href.startsWith(h.gateway.url))
        gatewayRequests.push(`${route.request().method()} ${url.pathname}`);
      return route.continue();
    });
  });

  afterAll(async () => {
    await browser?.close();
    await h?.stop();
    await cdn?.stop();
    rmSync(profile, { recursive: true, force: true });
  });

  it('identify and "Marketing Preference Updated" track reach contact.inbound.v1 through /v1/i and /v1/t', async () => {
    const userId = `web-${randomBytes(5).toString('hex')}`;
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${cdn.origin}/`);
    await page.evaluate(
      async ({ userId }) => {
        const analytics = (
          globalThis as unknown as { analytics: Record<string, (...a: unknown[]) => unknown> }
        ).analytics;
        await analytics['identify']?.(userId, {
          email: `${userId}@example.com`,
          email_subscribed_status: 'unsubscribed',
          sms_subscribed_status: true,
        });
        await analytics['track']?.('Marketing Preference Updated', {
          channel: 'push',
          new_status: 'subscribed',
          source_of_change: 'Preference Center',
        });
      },
      { userId },
    );
    const messages = await h.inbound.until((m) => m.value?.includes(userId) ?? false, 4, 60_000);
    const facts: ContactInbound[] = await Promise.all(messages.map((m) => h.decodeInbound(m)));
    expect(
      facts
        .map((f) => [f.kind, f.preferenceChange?.channel ?? null, f.preferenceChange?.newStatus ?? null])
        .sort(),
    ).toEqual(
      [
        ['identify', null, null],
        ['preference_change', 'email', 'unsubscribed'],
        ['preference_change', 'sms', 'subscribed'],
        ['preference_change', 'push', 'subscribed'],
      ].sort(),
    );
    expect(facts.find((f) => f.kind === 'identify')?.identifiers.email).toBe(`${userId}@example.com`);
    expect(gatewayRequests).toEqual(expect.arrayContaining(['POST /v1/i', 'POST /v1/t']));
    expect(offHost).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

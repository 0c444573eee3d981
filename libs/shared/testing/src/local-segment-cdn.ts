import { readFile } from 'node:fs/promises';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { basename, dirname, join } from 'node:path';

/** Headless Chromium that stays on this machine (no background traffic, no QUIC); used with `--no-sandbox` as root. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * A stand-in for Segment's CDN on 127.0.0.1 (the machine has no internet, and the test must not depend
 * on it): serves the page with the Segment snippet, the analytics-next standalone bundle and its chunks
 * exactly as published in the npm package, and the source settings that point the library at the
 * gateway. analytics-next reads its CDN from the snippet's `_cdn` (lib/parse-cdn.js) and fetches
 * `<cdn>/v1/projects/<writeKey>/settings` (browser/index.js, loadCDNSettings).
 */
export class LocalSegmentCdn {
  private server?: Server;
  private readonly bundles = join(
    dirname(require.resolve('@segment/analytics-next/package.json')),
    'dist/umd',
  );

  constructor(
    private readonly writeKey: string,
    private readonly gatewayUrl: () => string,
  ) {}

  get origin(): string {
    const { port } = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async start(port = 0): Promise<void> {
    this.server = createServer((request, response) => {
      this.serve(request.url ?? '/').then(
        ([type, body]) => response.writeHead(200, { 'content-type': type }).end(body),
        () => response.writeHead(404).end(),
      );
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async serve(path: string): Promise<[string, string | Buffer]> {
    if (path === '/') return ['text/html', this.page()];
    if (path === `/v1/projects/${this.writeKey}/settings`)
      return ['application/json', JSON.stringify(this.settings())];
    if (path === `/analytics.js/v1/${this.writeKey}/analytics.min.js`)
      return ['text/javascript', await readFile(join(this.bundles, 'standalone.js'))];
    if (path.startsWith('/analytics-next/bundles/'))
      return ['text/javascript', await readFile(join(this.bundles, basename(path)))];
    throw new Error(`not served: ${path}`);
  }

  /** The snippet's essentials: a call buffer, `_writeKey`, `_cdn`, then the bundle from the CDN. */
  private page(): string {
    const script = `${this.origin}/analytics.js/v1/${this.writeKey}/analytics.min.js`;
    return `<!doctype html><html><head><script>
      var analytics = (window.analytics = []);
      ['identify', 'track', 'page', 'group', 'alias', 'ready'].forEach(function (method) {
        analytics[method] = function () {
          var args = Array.prototype.slice.call(arguments);
          args.unshift(method);
          analytics.push(args);
          return analytics;
        };
      });
      analytics._writeKey = ${JSON.stringify(this.writeKey)};
      analytics._cdn = ${JSON.stringify(this.origin)};
    </script><script async src="${script}"></script></head><body>shop</body></html>`;
  }

  /** Source settings as the CDN serves them, with the Segment.io destination pointed at the gateway. */
  private settings(): object {
    const gateway = new URL(this.gatewayUrl());
    return {
      integrations: {
        'Segment.io': {
          apiKey: this.writeKey,
          apiHost: `${gateway.host}/v1`,
          protocol: gateway.protocol.replace(':', ''),
          unbundledIntegrations: [],
          addBundledMetadata: true,
          maybeBundledConfigIds: {},
        },
      },
      plan: { track: { __default: { enabled: true, integrations: {} } } },
      analyticsNextEnabled: true,
      middlewareSettings: {},
      enabledMiddleware: {},
      metrics: { sampleRate: 0 },
      legacyVideoPluginsEnabled: false,
      remotePlugins: [],
    };
  }
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from '@optstream/observability';

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * /health/live, /health/ready and /metrics on a plain node:http server: the resolver serves no API,
 * so a web framework would add start-up time and surface for three fixed routes.
 */
export const startHealthServer = async (
  port: number,
  host: string,
  isReady: () => boolean,
  registry: Registry,
): Promise<HealthServer> => {
  const server: Server = createServer((req, res) => {
    const send = (status: number, body: string, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') return send(405, JSON.stringify({ error: 'METHOD_NOT_ALLOWED' }));
    if (path === '/health/live') return send(200, JSON.stringify({ status: 'ok' }));
    if (path === '/health/ready') {
      return isReady()
        ? send(200, JSON.stringify({ status: 'ready' }))
        : send(503, JSON.stringify({ status: 'not_ready' }));
    }
    if (path === '/metrics') {
      registry.metrics().then(
        (text) => send(200, text, registry.contentType),
        (error: unknown) => send(500, JSON.stringify({ error: String(error) })),
      );
      return;
    }
    send(404, JSON.stringify({ error: 'NOT_FOUND' }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
};

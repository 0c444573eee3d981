import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { MarketingPreferenceUpdated } from '@optstream/contracts';
import { testDatabaseUrl, waitFor } from '@optstream/testing';
import { emailOptOut, uniqueEmail } from './facts';
import { ResolverHarness } from './resolver-harness';

jest.setTimeout(180_000);

/** A TCP proxy to Postgres that the test can cut (connections dropped, new ones refused) and restore. */
class CuttableProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    if (this.server !== null) return;
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    const closed = new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

const target = new URL(testDatabaseUrl());
const proxy = new CuttableProxy({ host: target.hostname, port: Number(target.port || 5432) });
let harness: ResolverHarness;

beforeAll(async () => {
  await proxy.open();
  const viaProxy = new URL(target);
  viaProxy.host = `127.0.0.1:${proxy.port}`;
  harness = new ResolverHarness({ ownTopics: true, partitions: 2, databaseUrl: viaProxy.toString() });
  await harness.start();
});
afterAll(async () => {
  await proxy.open();
  await harness?.stop();
  await proxy.cut();
});

it('waits out a Postgres outage longer than the retry budget instead of dead-lettering', async () => {
  const failures = async () =>
    (await harness.resolver?.metrics.infrastructureFailures.get())?.values[0]?.value ?? 0;
  await proxy.cut();
  const fact = emailOptOut(uniqueEmail());
  await harness.send(fact);
  // The library's budget is 5 attempts; the outage outlasts well more than that.
  await waitFor(async () => (await failures()) >= 8, {
    timeoutMs: 90_000,
    description: 'more failed attempts than the retry budget',
  });
  expect(harness.deadLetters.messages).toHaveLength(0);
  await proxy.open();
  const [pref] = await harness.preferenceEvents(
    (e: MarketingPreferenceUpdated) => e.causationId === fact.eventId,
    1,
  );
  expect(pref?.newStatus).toBe('unsubscribed');
  expect(harness.deadLetters.messages).toHaveLength(0);
  expect((await harness.resolver?.metrics.deadLetters.get())?.values[0]?.value ?? 0).toBe(0);
});

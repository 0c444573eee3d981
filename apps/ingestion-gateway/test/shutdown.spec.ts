import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v5 as uuidv5 } from 'uuid';
import { TOPICS } from '@optstream/contracts';
import { OPTSTREAM_EVENT_NAMESPACE } from '@optstream/ingestion-domain';
import {
  freePort,
  holdRequest,
  spawnService,
  tailTopic,
  testKafkaConfig,
  waitFor,
  type ServiceProcess,
} from '@optstream/testing';

jest.setTimeout(60_000);

/** Kubernetes' terminationGracePeriodSeconds for the gateway (deploy/k8s) is 30 s; we stay well below. */
const GRACE_MS = 10_000;
const WRITE_KEY = 'wk_shutdown_test';

describe('ingestion-gateway: graceful shutdown on SIGTERM (real process)', () => {
  let gateway: ServiceProcess;
  afterAll(() => gateway?.kill());

  it('answers every request in flight, publishes every accepted fact, and exits 0 within the grace period', async () => {
    const kafka = testKafkaConfig();
    gateway = spawnService('ingestion-gateway', await freePort(), {
      KAFKA_BROKERS: kafka.KAFKA_BROKERS.join(','),
      SCHEMA_REGISTRY_URL: kafka.SCHEMA_REGISTRY_URL,
      OPTSTREAM_HASH_KEY: randomBytes(32).toString('base64'),
      SEGMENT_WRITE_KEYS: `${WRITE_KEY}=shutdown-test`,
      API_SIGNING_SECRETS: randomBytes(32).toString('hex'),
      SPOOL_DIR: mkdtempSync(join(tmpdir(), 'optstream-shutdown-spool-')),
      LOG_LEVEL: 'info',
    });
    await gateway.ready();
    const inbound = await tailTopic(kafka.KAFKA_BROKERS, TOPICS.contactInbound.name);
    try {
      const messageIds = Array.from({ length: 40 }, () => randomUUID());
      const answers: { messageId: string; outcome: number | string; at: number }[] = [];
      const headers = {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`,
      };
      const track = (messageId: string) =>
        JSON.stringify({
          type: 'track',
          event: 'Marketing Preference Updated',
          userId: randomUUID(),
          messageId,
          timestamp: new Date().toISOString(),
          properties: { channel: 'email', new_status: 'unsubscribed', source_of_change: 'Shutdown Test' },
        });
      // One request surely in flight when SIGTERM comes: begun, its body held back until closing started.
      // (The burst alone may be answered in full, in one group commit, before the signal is handled.)
      const heldId = randomUUID();
      const held = await holdRequest(`${gateway.url}/v1/track`, { headers, body: track(heldId) });
      const requests = messageIds.map((messageId) =>
        fetch(`${gateway.url}/v1/track`, { method: 'POST', headers, body: track(messageId) }).then(
          (r) => void answers.push({ messageId, outcome: r.status, at: Date.now() }),
          (error: unknown) => void answers.push({ messageId, outcome: String(error), at: Date.now() }),
        ),
      );
      // The first answer shows the gateway is working through the burst: stop it now.
      await waitFor(() => answers.length > 0, { description: 'a first answer' });
      const signalledAt = Date.now();
      const exiting = gateway.terminate('SIGTERM');
      await waitFor(() => gateway.output().includes('closing HTTP'), { description: 'the gateway closing' });
      const heldAnswer = await held.release();
      expect(heldAnswer.status).toBe(200);
      answers.push({ messageId: heldId, outcome: heldAnswer.status, at: Date.now() });
      const exit = await exiting;
      await Promise.all(requests);

      expect(exit).toMatchObject({ code: 0, signal: null });
      expect(exit.ms).toBeLessThan(GRACE_MS);
      // Every request the gateway held when SIGTERM came was answered 200; later ones were refused
      // (503 while closing, or no connection): the sender retries those, nothing was half-accepted.
      const inFlight = Number(/"inFlight":(\d+)/.exec(gateway.output())?.[1]);
      const before = answers.filter((a) => a.at < signalledAt).length;
      const accepted = answers.filter((a) => a.outcome === 200);
      expect(inFlight).toBeGreaterThan(0);
      expect(accepted.length).toBeGreaterThanOrEqual(before + inFlight);
      for (const a of answers.filter((a) => a.outcome !== 200))
        expect(String(a.outcome)).toMatch(/^(503|TypeError: fetch failed)$/);
      // ...and every accepted fact is on contact.inbound.v1.
      const ids = new Set(accepted.map((a) => uuidv5(`segment:${a.messageId}`, OPTSTREAM_EVENT_NAMESPACE)));
      await inbound.until((m) => ids.has(m.headers?.['optstream-event-id']?.toString() ?? ''), ids.size);
    } finally {
      await inbound.stop();
    }
  });
});

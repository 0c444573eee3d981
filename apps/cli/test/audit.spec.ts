import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { MarketingPreferenceUpdated } from '@optstream/contracts';
import { CONNECTORS_DATABASE, DeliveryLog } from '@optstream/connectors-data-access';
import type { Channel, ConsentStatus, ContactConsent } from '@optstream/connectors-domain';
import { createAdapters, type ProvidersConfig } from '@optstream/connectors-providers';
import { openDatabase } from '@optstream/postgres';
import {
  allocateVersion,
  applyPreferenceBatch,
  dropVersion,
  PREFERENCES_DATABASE,
  setActiveVersion,
} from '@optstream/preferences-data-access';
import { startProviderSimulators, type ProviderSimulators } from '@optstream/provider-simulators';
import { testDatabaseUrl, uniqueName } from '@optstream/testing';
import type { DataSource } from 'typeorm';
import { parseAuditArgs } from '../src/audit/audit-options';
import { repairFetch } from '../src/audit/audit-runtime';
import { readModelContacts, readModelStates } from '../src/audit/read-model-contacts';
import { CONNECTOR_OF, metricsText, runAudit, type AuditReport } from '../src/audit/run-audit';

jest.setTimeout(120_000);

type Consent = Partial<Record<Channel, ConsentStatus>>;
const LIST = 'list-audit';
const T0 = Date.parse('2026-01-01T00:00:00Z');

/** Five contacts of the read model, with addresses (the identity store's job, faked here). */
const people = Array.from({ length: 5 }, (_, i) => ({
  externalId: randomUUID(),
  email: `audit-${i}-${randomUUID().slice(0, 8)}@example.com`,
  phone: `+1415555${String(1000 + i)}`,
}));
const [c1, c2, c3, c4, c5] = people as [
  (typeof people)[0],
  (typeof people)[0],
  (typeof people)[0],
  (typeof people)[0],
  (typeof people)[0],
];
const consent: Record<string, Consent> = {
  [c1.externalId]: { email: 'unsubscribed', sms: 'subscribed', push: 'subscribed' },
  [c2.externalId]: { email: 'subscribed', push: 'subscribed' },
  [c3.externalId]: { email: 'subscribed', sms: 'unsubscribed', push: 'unsubscribed' },
  [c4.externalId]: { email: 'subscribed', sms: 'unsubscribed' },
  [c5.externalId]: { email: 'unsubscribed', sms: 'unsubscribed', push: 'subscribed' },
};

describe('optstream audit: platforms against the read model, with seeded drift', () => {
  const projection = uniqueName('cli-audit');
  let sims: ProviderSimulators;
  let db: DataSource;
  let connectorsDb: DataSource;
  let version: number;
  let config: ProvidersConfig;
  const dir = mkdtempSync(join(tmpdir(), 'optstream-audit-'));

  beforeAll(async () => {
    sims = await startProviderSimulators({ port: 0 });
    const fast = { retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 } };
    config = {
      sendgrid: { apiKey: sims.credentials.sendgridApiKey, baseUrl: sims.baseUrl('sendgrid'), ...fast },
      mailchimp: {
        apiKey: sims.credentials.mailchimpApiKey,
        listId: LIST,
        baseUrl: sims.baseUrl('mailchimp'),
        ...fast,
      },
      braze: { apiKey: sims.credentials.brazeApiKey, baseUrl: sims.baseUrl('braze'), ...fast },
      onesignal: {
        appId: sims.credentials.onesignalAppId,
        apiKey: sims.credentials.onesignalApiKey,
        baseUrl: sims.baseUrl('onesignal'),
        perUserWriteIntervalMs: 0,
        ...fast,
      },
      attentive: {
        clientId: sims.credentials.attentiveClientId,
        clientSecret: sims.credentials.attentiveClientSecret,
        baseUrl: sims.baseUrl('attentive'),
        ...fast,
      },
    };
    for (const p of people)
      sims.state.onesignal.seedUser(p.externalId, [{ type: 'iOSPush', token: `tok-${p.externalId}` }]);

    // The read model: the projector's own batch function over one event per contact and channel.
    db = await openDatabase({
      url: testDatabaseUrl(),
      applicationName: 'cli-audit-test',
      poolSize: 2,
      migrationsTableName: PREFERENCES_DATABASE.migrationsTableName,
      migrations: [...PREFERENCES_DATABASE.migrations],
    });
    connectorsDb = await openDatabase({
      url: testDatabaseUrl(),
      applicationName: 'cli-audit-test',
      poolSize: 2,
      migrationsTableName: CONNECTORS_DATABASE.migrationsTableName,
      migrations: [...CONNECTORS_DATABASE.migrations],
    });
    version = await allocateVersion(db);
    await setActiveVersion(db.manager, projection, version);
    const events: MarketingPreferenceUpdated[] = people.flatMap((p, i) =>
      Object.entries(consent[p.externalId] ?? {}).map(([channel, status]) => ({
        eventId: randomUUID(),
        externalId: p.externalId,
        channel: channel as Channel,
        newStatus: status,
        sourceOfChange: 'Backfill',
        source: { system: 'backfill' as const, providerEventRef: randomUUID() },
        occurredAt: T0 + i,
        recordedAt: T0 + i,
        causationId: randomUUID(),
      })),
    );
    await applyPreferenceBatch(
      db,
      { projection, version, fenceActiveVersion: false, useOutbox: false },
      { topic: projection, partition: 0, events: events.map((value, i) => ({ offset: String(i), value })) },
    );

    // What the connectors did: every platform in sync (plain adapters, the connectors' idempotency keys).
    const states = await readModelStates(
      db,
      projection,
      people.map((p) => p.externalId),
    );
    for (const adapter of createAdapters(config)) {
      const batch: ContactConsent[] = people.map((p) => ({
        externalId: p.externalId,
        version: states.get(p.externalId)?.version ?? 0,
        causationId: states.get(p.externalId)?.causationId ?? '',
        channels: consent[p.externalId] ?? {},
        ...(adapter.needs.includes('email') ? { email: p.email } : {}),
        ...(adapter.needs.includes('phone') ? { phone: p.phone } : {}),
      }));
      const results = await adapter.deliver(batch);
      // (Attentive forwards only opt-outs: a contact with none is not-applicable there.)
      expect(results.filter((r) => !['delivered', 'not-applicable'].includes(r.outcome.kind))).toEqual([]);
    }
  });

  afterAll(async () => {
    await sims?.close();
    if (connectorsDb) {
      await connectorsDb.query(`DELETE FROM connectors.deliveries WHERE external_id = ANY($1::text[])`, [
        people.map((p) => p.externalId),
      ]);
      await connectorsDb.destroy();
    }
    if (db) {
      await dropVersion(db, version);
      await db.query(`DELETE FROM preferences.projections WHERE projection = $1`, [projection]);
      await db.destroy();
    }
  });

  async function audit(args: readonly string[]): Promise<{ report: AuditReport; err: string }> {
    const options = parseAuditArgs(args);
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (c: Buffer) => (err += c.toString()));
    const report = await runAudit(options, {
      contacts: readModelContacts(db, projection, options.selection),
      adapters: createAdapters(config, { fetch: repairFetch(randomUUID()) }),
      addresses: {
        addressesOf: async (ids) =>
          new Map(
            people
              .filter((p) => ids.includes(p.externalId))
              .map((p) => [p.externalId, { email: p.email, phone: p.phone }]),
          ),
      },
      repair: {
        stateOf: (ids) => readModelStates(db, projection, ids),
        markDelivered: (provider, marks) =>
          new DeliveryLog(connectorsDb, CONNECTOR_OF[provider]).markDelivered(provider, marks),
      },
      stdout: new PassThrough(),
      stderr,
    });
    return { report, err };
  }

  it('in sync: 100% on every platform', async () => {
    const { report } = await audit(['--all']);
    expect(report.contacts).toBe(5);
    expect(report.belowThreshold).toEqual([]);
    for (const s of Object.values(report.providers))
      expect(s).toMatchObject({ matchRate: 100, mismatched: 0, errors: 0 });
  });

  it('finds exactly the seeded drift, --repair fixes it, and the next audit is back at 100%', async () => {
    // Drift, made on the platforms' side (a UI edit, an import, a lost call).
    sims.state.sendgrid.unsuppressGlobally(c1.email); // c1 email unsubscribed in optstream
    sims.state.braze.update({ external_id: c2.externalId }, (u) => (u.push_subscribe = 'unsubscribed'));
    const sub = sims.state.onesignal.user(c3.externalId)?.subscriptions[0];
    sims.state.onesignal.setEnabled(sub?.id ?? '', true); // c3 push unsubscribed in optstream
    sims.state.mailchimp.write(
      LIST,
      c4.email,
      { status: 'subscribed', merge_fields: { SMSSTATUS: 'subscribed' } },
      Date.now(),
    );

    const out = join(dir, 'mismatches.csv');
    const metrics = join(dir, 'audit.prom');
    const { report, err } = await audit(['--all', '--out', out, '--metrics-file', metrics]);
    const rows = readFileSync(out, 'utf8').trim().split('\r\n');
    expect(rows[0]).toBe('provider,external_id,kind,channel,expected,actual,reason,repair');
    expect(rows.slice(1).sort()).toEqual(
      [
        `sendgrid,${c1.externalId},mismatch,email,unsubscribed,subscribed,,`,
        `braze,${c2.externalId},mismatch,push,subscribed,unsubscribed,,`,
        `onesignal,${c3.externalId},mismatch,push,unsubscribed,subscribed,,`,
        `mailchimp,${c4.externalId},mismatch,sms,unsubscribed,subscribed,,`,
      ].sort(),
    );
    expect([...report.belowThreshold].sort()).toEqual(['braze', 'mailchimp', 'onesignal', 'sendgrid']);
    expect(report.providers['sendgrid']).toMatchObject({ matched: 4, mismatched: 1, matchRate: 80 });
    expect(report.providers['attentive']).toMatchObject({ mismatched: 0, errors: 0, matchRate: 100 });
    expect(err).toMatch(/BELOW THRESHOLD \(100%\): sendgrid, mailchimp, braze, onesignal/);
    const prom = readFileSync(metrics, 'utf8');
    expect(prom).toContain('optstream_audit_match_ratio{provider="sendgrid"} 0.8');
    expect(prom).toContain('optstream_audit_below_threshold{provider="attentive"} 0');

    // A lower threshold passes (OneSignal compares 4 contacts: 3 of 4 match).
    expect((await audit(['--all', '--threshold', '75'])).report.belowThreshold).toEqual([]);

    const repaired = await audit(['--all', '--repair']);
    for (const provider of ['sendgrid', 'braze', 'onesignal', 'mailchimp'])
      expect(repaired.report.providers[provider]).toMatchObject({
        mismatched: 1,
        repaired: 1,
        repairFailed: 0,
      });
    expect(sims.state.sendgrid.isGloballySuppressed(c1.email)).toBe(true);
    // Recorded as the connector's delivery, at the read model's version.
    const marks = await new DeliveryLog(connectorsDb, 'connector-email').lastDelivered('sendgrid', [
      c1.externalId,
    ]);
    const states = await readModelStates(db, projection, [c1.externalId]);
    expect(marks.get(c1.externalId)).toMatchObject({
      version: states.get(c1.externalId)?.version,
      fingerprint: 'email=unsubscribed',
    });

    const after = await audit(['--all']);
    expect(after.report.belowThreshold).toEqual([]);
    for (const s of Object.values(after.report.providers))
      expect(s).toMatchObject({ matchRate: 100, mismatched: 0 });
  });

  it('--sample N audits N distinct contacts from a random point, wrapping around', async () => {
    for (const size of [1, 3, 5, 8]) {
      const seen: string[] = [];
      for await (const batch of readModelContacts(db, projection, { mode: 'sample', size }))
        seen.push(...batch.map((c) => c.externalId));
      expect(new Set(seen).size).toBe(Math.min(size, 5));
      expect(seen).toHaveLength(Math.min(size, 5));
    }
  });

  it('metrics text and options', () => {
    expect(() => parseAuditArgs(['--all', '--sample', '3'])).toThrow(/exclude/);
    expect(() => parseAuditArgs(['--threshold', '101'])).toThrow(/0 to 100/);
    expect(() => parseAuditArgs(['--providers', 'sendgrid,fax'])).toThrow(/unknown fax/);
    expect(metricsText({ contacts: 1, belowThreshold: [], providers: {} }, parseAuditArgs([]), 0)).toContain(
      'optstream_audit_last_run_timestamp_seconds 0',
    );
  });
});

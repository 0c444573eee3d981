import { randomUUID } from 'node:crypto';
import type { ContactConsent } from '@optstream/connectors-domain';
import { testDatabaseUrl, uniqueName } from '@optstream/testing';
import { DataSource } from 'typeorm';
import { CONNECTORS_DATABASE, DeliveryLog, ParkingLot, type ParkRequest } from '../src';

jest.setTimeout(60_000);

const consent = (externalId: string, version: number): ContactConsent => ({
  externalId,
  version,
  channels: { email: 'unsubscribed' },
  causationId: `evt-${version}`,
  email: 'never-stored@example.com',
});

const parkRequest = (c: ContactConsent, at = new Date(1_767_225_600_000)): ParkRequest => ({
  provider: 'sendgrid',
  consent: c,
  original: {
    topic: 'contact-preferences.state.v1',
    partition: 3,
    offset: String(c.version),
    key: null,
    value: Buffer.from([c.version]),
  },
  error: 'HTTP 503',
  at,
  nextAttemptAt: (attempts) => new Date(at.getTime() + attempts * 1000),
});

describe('delivery bookkeeping (real Postgres)', () => {
  let db: DataSource;
  let connector: string;

  beforeAll(async () => {
    db = new DataSource({
      type: 'postgres',
      url: testDatabaseUrl(),
      migrationsTableName: CONNECTORS_DATABASE.migrationsTableName,
      migrations: [...CONNECTORS_DATABASE.migrations],
    });
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
  });
  beforeEach(() => {
    connector = uniqueName('connector');
  });
  afterAll(() => db.destroy());

  it('remembers the newest delivered version and never moves back to an older one', async () => {
    const log = new DeliveryLog(db, connector);
    const id = randomUUID();
    await log.markDelivered('braze', [{ externalId: id, version: 5, fingerprint: 'e:u' }]);
    await log.markDelivered('braze', [{ externalId: id, version: 3, fingerprint: 'e:s' }]);

    expect((await log.lastDelivered('braze', [id])).get(id)).toEqual({
      externalId: id,
      version: 5,
      fingerprint: 'e:u',
    });
    expect((await log.lastDelivered('sendgrid', [id])).size).toBe(0);
  });

  it('counts attempts for one parked version, restarts them for a newer one, ignores an older one', async () => {
    const lot = new ParkingLot(db, connector);
    const id = randomUUID();
    expect(await lot.park(parkRequest(consent(id, 2)))).toBe(1);
    expect(await lot.park(parkRequest(consent(id, 2)))).toBe(2);
    expect(await lot.park(parkRequest(consent(id, 4)))).toBe(1);
    await lot.park(parkRequest(consent(id, 3)));

    const [parked] = await lot.due(new Date(1_767_225_600_000 + 60_000), 10);
    expect(parked?.consent.version).toBe(4);
    expect(parked?.attempts).toBe(1);
    expect(parked?.original.value).toEqual(Buffer.from([4]));
  });

  it('never stores an address in the parking lot', async () => {
    const lot = new ParkingLot(db, connector);
    const id = randomUUID();
    await lot.park(parkRequest(consent(id, 1)));
    const rows: { consent: object }[] = await db.query(
      `SELECT consent FROM connectors.parked WHERE connector = $1`,
      [connector],
    );
    expect(JSON.stringify(rows)).not.toContain('never-stored@example.com');
  });

  it('hands out only due deliveries, and a delivered mark releases those it made obsolete', async () => {
    const lot = new ParkingLot(db, connector);
    const [a, b] = [randomUUID(), randomUUID()];
    const at = new Date(1_767_225_600_000);
    await lot.park(parkRequest(consent(a, 1), at));
    await lot.park({
      ...parkRequest(consent(b, 7), at),
      nextAttemptAt: () => new Date(at.getTime() + 3_600_000),
    });

    expect((await lot.due(new Date(at.getTime() + 5_000), 10)).map((p) => p.consent.externalId)).toEqual([a]);

    // A delivered mark releases the parked deliveries it makes obsolete, and only those.
    const log = new DeliveryLog(db, connector);
    await log.markDelivered('sendgrid', [{ externalId: b, version: 6, fingerprint: 'e:u' }]);
    await log.markDelivered('braze', [{ externalId: b, version: 7, fingerprint: 'e:u' }]);
    expect(await lot.count()).toBe(2);
    await log.markDelivered('sendgrid', [{ externalId: b, version: 7, fingerprint: 'e:u' }]);
    await lot.remove('sendgrid', a, 1);
    expect(await lot.count()).toBe(0);
  });
});
